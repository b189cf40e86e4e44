import ComputeMetrics
import DiffusionRules
import Foundation

/// `ledger verify` and `ledger history`: everything is recomputed from the events.
extension LedgerCore {
    /// Recomputes the hash chain (every stored field of every event), the chain head, every
    /// projection (`movements`, `caps`, `installed_base`, `reservations`), the cap invariant at
    /// every event, every receipt's signature and ledger position, and the holds, licences and tokens
    /// (`records`) derived from their events.
    public func verify() throws -> VerificationReport {
        try backend.read { session in
            var problems: [String] = []
            var previous = LedgerSchema.genesisHash
            var expected: Int64 = 0, count = 0
            var moves: [String] = [], bases: [String] = []
            var caps: [String: CapRow] = [:]
            var reservations: [String: String] = [:]
            var determinationHashes: [Int64: String] = [:]
            var records: [String: RecordRow] = [:]
            func problem(_ text: String) { if problems.count < 1000 { problems.append(text) } }
            try session.scanEvents { event in
                count += 1
                expected += 1
                if event.seq != expected { problem("event \(event.seq): sequence gap (expected \(expected))"); expected = event.seq }
                if event.prevHash != previous { problem("event \(event.seq): prev_hash does not match the hash of event \(event.seq - 1)") }
                if EventBody.hash(previous: event.prevHash, event) != event.hash {
                    problem("event \(event.seq): content does not match its hash (edited after recording)")
                }
                previous = event.hash
                guard let parsed = EventBody.parse(event.body, seq: event.seq) else {
                    problem("event \(event.seq): body is not valid ledger JSON")
                    return
                }
                if parsed.type != event.kind { problem("event \(event.seq): kind \(event.kind) but body says \(parsed.type)") }
                if parsed.recordedAt != event.recordedAt { problem("event \(event.seq): recorded_at differs from its body") }
                for move in parsed.moves {
                    moves.append(Self.line(move))
                    Self.note(move, in: &caps)
                    caps[move.cap]!.debitCount += move.usedMilli != 0 ? 1 : 0
                    let row = caps[move.cap]!
                    if row.usedMilli < 0 || row.reservedMilli < 0 { problem("event \(event.seq): \(move.cap) goes negative") }
                    if let limit = row.limitMilli, row.usedMilli + row.reservedMilli > limit {
                        problem("event \(event.seq): \(move.cap) exceeds its limit (\(TPP(milli: row.usedMilli + row.reservedMilli)) > \(TPP(milli: limit)))")
                    }
                }
                if let base = parsed.installedBase { bases.append(Self.line(base)) }
                if ReviewProjection.kinds.contains(parsed.type) {
                    do {
                        for row in try ReviewProjection.apply(event, parsed, current: { records["\($0)/\($1)"] }) {
                            records["\(row.kind)/\(row.id)"] = row
                        }
                    } catch let error as LedgerError {
                        problem(error.message)
                    }
                }
                switch parsed.type {
                case "reserve":
                    if let key = parsed.object["key"]?.string {
                        reservations[key] = parsed.object["granted"]?.bool == true ? "reserved" : "refused"
                    }
                case "grant", "deny", "expire":
                    if let id = parsed.object["reservation"]?.string {
                        reservations[id] = ["grant": "granted", "deny": "denied", "expire": "expired"][parsed.type]
                    }
                case "determination":
                    determinationHashes[event.seq] = event.hash
                default: break
                }
            }
            let head = try session.head()
            if head.seq != expected || head.hash != previous {
                problem("chain head is event \(head.seq) but the events end at \(expected) (events deleted or head edited)")
            }
            let storedMoves = try session.allMovements().map(Self.line)
            if storedMoves.sorted() != moves.sorted() {
                problem("movements table differs from the moves recorded in events (\(storedMoves.count) rows stored, \(moves.count) expected)")
            }
            let storedBases = try session.allBaseRows().map(Self.line)
            if storedBases.sorted() != bases.sorted() {
                problem("installed_base table differs from the installed bases recorded in events")
            }
            var storedCaps = Dictionary(try session.allCaps().map { ($0.cap, $0) }, uniquingKeysWith: { a, _ in a })
            for (name, derived) in caps.sorted(by: { $0.key < $1.key }) {
                guard let stored = storedCaps.removeValue(forKey: name) else { problem("cap \(name) is missing"); continue }
                if stored.usedMilli != derived.usedMilli || stored.reservedMilli != derived.reservedMilli
                    || stored.limitMilli != derived.limitMilli || stored.debitCount != derived.debitCount {
                    problem("cap \(name) holds used \(TPP(milli: stored.usedMilli)), reserved \(TPP(milli: stored.reservedMilli)), limit \(stored.limitMilli.map { "\(TPP(milli: $0))" } ?? "none"), \(stored.debitCount) debits; events give \(TPP(milli: derived.usedMilli)), \(TPP(milli: derived.reservedMilli)), \(derived.limitMilli.map { "\(TPP(milli: $0))" } ?? "none"), \(derived.debitCount)")
                }
            }
            for name in storedCaps.keys.sorted() { problem("cap \(name) has no moves in events") }
            var storedReservations = Dictionary(try session.allReservations().map { ($0.id, $0.state) }, uniquingKeysWith: { a, _ in a })
            for (id, state) in reservations.sorted(by: { $0.key < $1.key }) {
                let stored = storedReservations.removeValue(forKey: id)
                if stored != state { problem("reservation \(id) is \(stored ?? "missing"); events say \(state)") }
            }
            for id in storedReservations.keys.sorted() { problem("reservation \(id) has no event") }
            var storedRecords = Dictionary(try session.allRecords().map { ("\($0.kind)/\($0.id)", $0) }, uniquingKeysWith: { a, _ in a })
            for (name, derived) in records.sorted(by: { $0.key < $1.key }) {
                guard let stored = storedRecords.removeValue(forKey: name) else { problem("\(name) is missing from records"); continue }
                if stored != derived { problem("\(name) is \(stored.status) (updated by event \(stored.updatedSeq)); events say \(derived.status) (event \(derived.updatedSeq))\(stored.body != derived.body ? ", and its state differs" : "")") }
            }
            for name in storedRecords.keys.sorted() { problem("\(name) has no event") }
            try Self.verifyReceipts(session, determinationHashes: determinationHashes, problem: problem)
            return VerificationReport(events: count, problems: problems)
        }
    }

    private static func verifyReceipts(_ session: any LedgerSession, determinationHashes: [Int64: String],
                                       problem: (String) -> Void) throws {
        let publicKey = try session.meta("public_key")
        var covered = Set<Int64>()
        for text in try session.receipts(run: nil) {
            switch Receipts.verify(text, publicKey: publicKey) {
            case let .failure(error):
                problem("receipt: \(error.message)")
            case let .success(receipt):
                covered.insert(receipt.seq)
                if determinationHashes[receipt.seq] != receipt.hash {
                    problem("receipt for event \(receipt.seq): its ledger hash is not the event's")
                }
            }
        }
        for seq in determinationHashes.keys.sorted() where !covered.contains(seq) {
            problem("event \(seq): determination has no receipt")
        }
    }

    static func line(_ m: Movement) -> String {
        "\(m.seq)|\(m.cap)|\(m.usedMilli)|\(m.reservedMilli)|\(m.limitMilli.map(String.init) ?? "")"
    }

    static func line(_ b: BaseRow) -> String {
        "\(b.seq)|\(b.holder)|\(b.country)|\(b.milli)|\(b.asOf ?? "")"
    }

    public func history(cap name: String, asOf: Day) throws -> CapHistory {
        guard let key = CapKey(name: name) else {
            throw LedgerError("\"\(name)\" is not a cap name: lpp/<parent>/<year>, country_allocation/<CC>, uveu/<holder>/<CC> or nveu/<holder>/<CC>")
        }
        return try backend.read { session in
            let rows = try session.movements(cap: name)
            if rows.isEmpty {
                var parties = Set(try session.allCaps().compactMap(\.party))
                parties.formUnion(try session.installedBases().map(\.holder))
                if let party = key.party, !parties.contains(party) {
                    let known = parties.sorted().prefix(8).joined(separator: ", ")
                    throw LedgerError("no cap \(name) in the ledger: \"\(party)\" is not a holder or ultimate parent the ledger knows (it knows: \(known.isEmpty ? "none" : known))")
                }
                throw LedgerError("no cap \(name) in the ledger: nothing was debited or reserved against it")
            }
            let end = LedgerClock.endOf(asOf)
            var history = CapHistory(cap: name, asOf: asOf, used: .zero, reserved: .zero, limit: nil, movements: [])
            for row in rows where row.recordedAt <= end {
                history.used = history.used + TPP(milli: row.movement.usedMilli)
                history.reserved = history.reserved + TPP(milli: row.movement.reservedMilli)
                if let limit = row.movement.limitMilli { history.limit = TPP(milli: limit) }
                history.movements.append((row.movement.seq, row.recordedAt, row.kind, TPP(milli: row.movement.usedMilli),
                                          TPP(milli: row.movement.reservedMilli)))
            }
            return history
        }
    }
}
