import ComputeMetrics
import DiffusionRules
import Foundation
import TabularIO

/// The review queue: holds, their decisions, licences and their depletion, rechecks and API
/// tokens. Each change is one hash-chained event naming the token that asked for it; the
/// `records` table is derived from the events by ``ReviewProjection`` (and re-derived by `verify`).
///
/// A licence is a cap (`licence/<number>`, kind `licence_tpp` or `licence_units`) whose limit is
/// the licence's: a release debits it, so the store's CHECK constraint `used + reserved <= limit`
/// refuses a release beyond what is left, exactly as it refuses an over-issued allocation. An
/// expiry (recorded by the first write at or after the end of the licence's last day) brings the
/// limit down to what was used, so the same constraint refuses any release after it.
extension LedgerCore {
    /// Appends events within one write transaction and keeps the records they change.
    struct ReviewWriter {
        let session: any LedgerSession
        var appender: Appender
        var changed: [String: RecordRow] = [:]
        var order: [String] = []
        var moves: [Movement] = []

        init(_ session: any LedgerSession) throws {
            self.session = session
            appender = try Appender(session)
        }

        func current(_ kind: String, _ id: String) throws -> RecordRow? {
            if let row = changed["\(kind)/\(id)"] { return row }
            return try session.record(kind: kind, id: id)
        }

        /// Records one event and derives the records it changes.
        @discardableResult
        mutating func add(kind: String, key: String, at time: String, body: String, moves eventMoves: [Movement] = []) throws -> StoredEvent {
            let event = appender.add(runID: nil, kind: kind, key: key, recordedAt: time, body: body)
            guard let parsed = EventBody.parse(body, seq: event.seq) else { throw LedgerError("internal: event body of \(kind) is not valid") }
            for row in try ReviewProjection.apply(event, parsed, current: { try self.current($0, $1) }) {
                let name = "\(row.kind)/\(row.id)"
                if changed.updateValue(row, forKey: name) == nil { order.append(name) }
            }
            moves += eventMoves.map { var m = $0; m.seq = event.seq; return m }
            return event
        }

        /// Writes the events, the moves (the store may refuse them: ``CapRefused``) and the records.
        func finish() throws {
            try appender.flush()
            if !moves.isEmpty { try session.applyMovements(moves) }
            try session.putRecords(order.map { changed[$0]! })
        }
    }

    // MARK: - Holds

    public func holds(statuses: [HoldStatus]?) throws -> [Hold] {
        try backend.read { session in
            try session.records(kind: "hold", statuses: statuses?.map(\.rawValue)).map(Self.hold)
        }
    }

    public func hold(id: Int64) throws -> Hold? {
        try backend.read { session in try session.record(kind: "hold", id: String(id)).map(Self.hold) }
    }

    /// How many holds are in each status.
    public func holdCounts() throws -> [HoldStatus: Int] {
        try backend.read { session in
            var out: [HoldStatus: Int] = [:]
            for (status, count) in try session.recordCounts(kind: "hold") { if let s = HoldStatus(rawValue: status) { out[s] = count } }
            return out
        }
    }

    static func hold(_ row: RecordRow) throws -> Hold {
        guard let hold = HoldState(body: row.body)?.hold(status: row.status) else {
            throw LedgerError("hold \(row.id) is unreadable; run `ledger verify`")
        }
        return hold
    }

    /// Releases (against a licence), rejects or escalates a pending hold: one `hold_decision` event
    /// (after a `licence` event when the licence is given inline). Throws ``LedgerError`` with code
    /// `notFound` (no such hold or licence), `conflict` (hold already decided, licence number
    /// reused with other terms, shipment outside the licence's terms, or the store refused the
    /// debit: too little left or expired) or `invalid` (a release of a licence-requiring row
    /// without a licence). Nothing is recorded when it throws.
    public func decide(_ decision: HoldDecision, at time: String) throws -> Hold {
        if case let .new(spec) = decision.licence { try Self.validate(spec) }
        // Expiries first, in their own transaction: a release that comes too late still records the expiry.
        _ = try expireLicences(at: time)
        return try backend.write { session in
            var writer = try ReviewWriter(session)
            guard let row = try session.record(kind: "hold", id: String(decision.hold)) else {
                throw LedgerError("no hold \(decision.hold) in the ledger", code: .notFound)
            }
            let hold = try Self.hold(row)
            guard hold.status.isPending else {
                let last = hold.decisions.last
                throw LedgerError("hold \(hold.id) is already \(hold.status.rawValue) (event \(last?.sequence ?? 0)\(last?.by.map { " by \($0.name)" } ?? "")); nothing recorded",
                                  code: .conflict)
            }
            if decision.action == .escalate && hold.status == .escalated {
                throw LedgerError("hold \(hold.id) is already escalated; release or reject it", code: .conflict)
            }
            var licenceNumber: String?
            var debitMilli: Int64?
            var debitMoves: [Movement] = []
            var licence: LicenceSpec?
            if decision.action == .release {
                switch decision.licence {
                case let .new(spec)?:
                    if let existing = try session.record(kind: "licence", id: spec.number) {
                        guard let state = LicenceState(body: existing.body), state.spec == spec else {
                            throw LedgerError("licence \(spec.number) is already recorded with other terms; give its number alone to use it",
                                              code: .conflict)
                        }
                    } else {
                        try Self.addLicence(&writer, spec, actor: decision.actor, at: time)
                    }
                    licence = spec
                case let .existing(number)?:
                    guard let existing = try writer.current("licence", number), let state = LicenceState(body: existing.body) else {
                        throw LedgerError("no licence \(number) in the ledger", code: .notFound)
                    }
                    licence = state.spec
                case nil:
                    break
                }
                let determination = EventJSON.parse(hold.determinationJSON)
                if let spec = licence {
                    try Self.checkTerms(spec, hold: hold, determination: determination)
                    let amount: Int64
                    switch spec.unit {
                    case .units:
                        amount = hold.quantity * 1000
                    case .tpp:
                        guard let total = Self.milli(determination?["tpp_total"]) else {
                            throw LedgerError("hold \(hold.id): the shipment's TPP is unknown; release it against a units licence", code: .conflict)
                        }
                        amount = total
                    }
                    licenceNumber = spec.number
                    debitMilli = amount
                    debitMoves = [Movement(seq: 0, cap: spec.capName, kind: spec.capKind, usedMilli: amount, reservedMilli: 0, limitMilli: nil)]
                } else if determination?["license_required"]?.bool != false {
                    throw LedgerError("hold \(hold.id) needs a licence to be released: give \"licence\" (a number, or number, issued, expires and limit_tpp or limit_units)",
                                      code: .invalid)
                }
            }
            let n = hold.decisions.count + 1
            let body = EventBody.holdDecision(recordedAt: time, hold: hold.id, action: decision.action, from: hold.status,
                                              to: decision.action.target, licence: licenceNumber, debitMilli: debitMilli,
                                              note: decision.note, actor: decision.actor, moves: debitMoves)
            try writer.add(kind: "hold_decision", key: "hold/\(hold.id)/\(n)", at: time, body: body, moves: debitMoves)
            // Read before writing: a refused statement ends a PostgreSQL transaction.
            let cap = try licence.flatMap { try session.caps([$0.capName])[$0.capName] }
            let expired = try licence.flatMap { try writer.current("licence", $0.number) }?.status == "expired"
            do {
                try writer.finish()
            } catch let refused as CapRefused {
                throw Self.refusal(licence: licence, cap: cap, expired: expired, amount: debitMilli ?? 0, hold: hold.id, detail: refused.detail)
            }
            return try Self.hold(try writer.current("hold", String(hold.id))!)
        }
    }

    /// Why the store refused a release, from the licence's cap as it stood before.
    static func refusal(licence: LicenceSpec?, cap: CapRow?, expired: Bool, amount: Int64, hold: Int64, detail: String) -> LedgerError {
        guard let spec = licence else { return LedgerError("the store refused the change (nothing recorded): \(detail)", code: .conflict) }
        if expired {
            return LedgerError("the store refused the release of hold \(hold) (nothing recorded): licence \(spec.number) expired at the end of \(spec.expires)",
                               code: .conflict)
        }
        let unit = spec.unit == .tpp ? "TPP" : "units"
        let left = TPP(milli: (cap?.limitMilli ?? spec.limit.milli) - (cap?.usedMilli ?? 0))
        return LedgerError("the store refused the release of hold \(hold) (nothing recorded): licence \(spec.number) has \(left) \(unit) left; the shipment needs \(TPP(milli: amount)) \(unit)",
                           code: .conflict)
    }

    /// A licence's terms against the held shipment: its date within the licence's validity, and the
    /// destination and consignee the licence names, if any.
    static func checkTerms(_ spec: LicenceSpec, hold: Hold, determination: EventJSON?) throws {
        if let text = determination?["date"]?.string, let day = Day(text), day < spec.issued || day > spec.expires {
            throw LedgerError("licence \(spec.number) is valid from \(spec.issued) to \(spec.expires); hold \(hold.id) ships on \(day)", code: .conflict)
        }
        if let destination = spec.destination, let text = determination?["destination"]?.string, text != destination.description {
            throw LedgerError("licence \(spec.number) is for destination \(destination); hold \(hold.id) ships to \(text)", code: .conflict)
        }
        if let consignee = spec.consignee {
            let table = try? CSVTable(reader: CSVRecordReader(bytes: Array(hold.inputCSV.utf8), displayName: "hold"), required: [],
                                      allowOtherColumns: true)
            let column = table?.column("consignee")
            let record = try? table?.next()
            let shipped = column.flatMap { record?.string(at: $0).trimmingASCIIWhitespace() }
            if shipped != consignee {
                throw LedgerError("licence \(spec.number) is for consignee \"\(consignee)\"; hold \(hold.id) ships to \"\(shipped ?? "?")\"", code: .conflict)
            }
        }
    }

    /// A JSON number as thousandths, exactly for integers and numbers with up to three decimals.
    static func milli(_ value: EventJSON?) -> Int64? {
        switch value {
        case let .int(i)?: return i.multipliedReportingOverflow(by: 1000).overflow ? nil : i * 1000
        case let .double(d)?: return d.isFinite ? Int64((d * 1000).rounded()) : nil
        default: return nil
        }
    }

    // MARK: - Licences

    static func validate(_ spec: LicenceSpec) throws {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")
        if spec.number.isEmpty || spec.number.count > 64 || !spec.number.allSatisfy(allowed.contains) {
            throw LedgerError("licence number \"\(spec.number)\" must be 1 to 64 letters, digits, '.', '-' or '_'", code: .invalid)
        }
        if spec.limit.milli <= 0 { throw LedgerError("licence \(spec.number): the limit must be positive", code: .invalid) }
        if spec.unit == .units && spec.limit.milli % 1000 != 0 {
            throw LedgerError("licence \(spec.number): a units limit must be a whole number", code: .invalid)
        }
        if spec.expires < spec.issued {
            throw LedgerError("licence \(spec.number): expires \(spec.expires) is before issued \(spec.issued)", code: .invalid)
        }
    }

    static func addLicence(_ writer: inout ReviewWriter, _ spec: LicenceSpec, actor: ActingToken?, at time: String) throws {
        let move = Movement(seq: 0, cap: spec.capName, kind: spec.capKind, usedMilli: 0, reservedMilli: 0, limitMilli: spec.limit.milli)
        try writer.add(kind: "licence", key: "licence/\(spec.number)", at: time,
                       body: EventBody.licence(recordedAt: time, spec: spec, actor: actor, moves: [move]), moves: [move])
    }

    /// Records a licence. The same number with the same terms returns the recorded licence
    /// (`replayed`); with other terms it is a `conflict`.
    public func createLicence(_ spec: LicenceSpec, actor: ActingToken?, at time: String) throws -> (Licence, replayed: Bool) {
        try Self.validate(spec)
        _ = try expireLicences(at: time)
        let replayed: Bool = try backend.write { session in
            if let existing = try session.record(kind: "licence", id: spec.number) {
                guard let state = LicenceState(body: existing.body), state.spec == spec else {
                    throw LedgerError("licence \(spec.number) is already recorded with other terms", code: .conflict)
                }
                return true
            }
            var writer = try ReviewWriter(session)
            try Self.addLicence(&writer, spec, actor: actor, at: time)
            try writer.finish()
            return false
        }
        guard let licence = try licence(number: spec.number) else { throw LedgerError("internal: licence \(spec.number) not stored") }
        return (licence, replayed)
    }

    public func licence(number: String) throws -> Licence? {
        try backend.read { session in
            guard let row = try session.record(kind: "licence", id: number) else { return nil }
            return try Self.licence(session, row, caps: session.caps(["licence/\(number)"]))
        }
    }

    public func licences() throws -> [Licence] {
        try backend.read { session in
            let rows = try session.records(kind: "licence", statuses: nil)
            let caps = try session.caps(rows.map { "licence/\($0.id)" })
            return try rows.map { try Self.licence(session, $0, caps: caps) }
        }
    }

    static func licence(_ session: any LedgerSession, _ row: RecordRow, caps: [String: CapRow]) throws -> Licence {
        guard let state = LicenceState(body: row.body) else { throw LedgerError("licence \(row.id) is unreadable; run `ledger verify`") }
        let cap = caps[state.spec.capName]
        return Licence(spec: state.spec, status: row.status, used: TPP(milli: cap?.usedMilli ?? 0),
                       storedLimit: TPP(milli: cap?.limitMilli ?? state.spec.limit.milli), createdAt: state.createdAt,
                       createdBy: state.createdBy, sequence: state.sequence)
    }

    /// Records the expiry of every active licence whose last day ended at or before `time`.
    public func expireLicences(at time: String) throws -> Int {
        let due = try backend.read { try $0.dueRecords(kind: "licence", status: "active", at: time) }
        guard !due.isEmpty else { return 0 }
        return try backend.write { session in
            let due = try session.dueRecords(kind: "licence", status: "active", at: time)
            guard !due.isEmpty else { return 0 }
            var writer = try ReviewWriter(session)
            let caps = try session.caps(due.map { "licence/\($0.id)" })
            for row in due {
                let cap = caps["licence/\(row.id)"]
                let move = Movement(seq: 0, cap: "licence/\(row.id)", kind: cap?.kind ?? "licence", usedMilli: 0, reservedMilli: 0,
                                    limitMilli: cap?.usedMilli ?? 0)
                try writer.add(kind: "licence_expire", key: "licence-expire/\(row.id)", at: time,
                               body: EventBody.licenceExpiry(recordedAt: time, number: row.id, moves: [move]), moves: [move])
            }
            try writer.finish()
            return due.count
        }
    }

    // MARK: - Recheck

    /// Records a recheck: the holds checked and the new determinations of those that changed (only
    /// holds still pending are changed). Returns the event's sequence and the holds changed.
    public func recordRecheck(regime: String, asOf: Day, rulePackSHA256: String, checked: [Int64], changes: [RecheckChange],
                              actor: ActingToken?, at time: String) throws -> (sequence: Int64, changed: [Int64]) {
        try backend.write { session in
            var kept: [RecheckChange] = []
            for change in changes {
                if let row = try session.record(kind: "hold", id: String(change.hold)), HoldStatus(rawValue: row.status)?.isPending == true {
                    kept.append(change)
                }
            }
            var writer = try ReviewWriter(session)
            let key = "recheck/\(writer.appender.seq + 1)"
            let event = try writer.add(kind: "recheck", key: key, at: time,
                                       body: EventBody.recheck(recordedAt: time, regime: regime, asOf: asOf, rulePackSHA256: rulePackSHA256,
                                                               checked: checked, changed: kept, actor: actor))
            try writer.finish()
            return (event.seq, kept.map(\.hold))
        }
    }

    // MARK: - Tokens

    public func createToken(name: String, role: String, sha256: String, actor: ActingToken?, at time: String) throws -> TokenRecord {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_@")
        if name.isEmpty || name.count > 64 || !name.allSatisfy(allowed.contains) {
            throw LedgerError("token name \"\(name)\" must be 1 to 64 letters, digits, '.', '-', '_' or '@'", code: .invalid)
        }
        return try backend.write { session in
            if !(try session.events(keys: ["token/\(name)"])).isEmpty {
                throw LedgerError("a token named \"\(name)\" was already created (names are never reused)", code: .conflict)
            }
            var writer = try ReviewWriter(session)
            try writer.add(kind: "token", key: "token/\(name)", at: time,
                           body: EventBody.token(type: "token", recordedAt: time, name: name, role: role, sha256: sha256, actor: actor))
            try writer.finish()
            return try Self.token(try writer.current("token", sha256)!)
        }
    }

    /// Revokes a token by name; revoking a revoked token returns it unchanged.
    public func revokeToken(name: String, actor: ActingToken?, at time: String) throws -> TokenRecord {
        try backend.write { session in
            guard let created = try session.events(keys: ["token/\(name)"]).first,
                  let sha = EventJSON.parse(created.body)?["token_sha256"]?.string, let row = try session.record(kind: "token", id: sha) else {
                throw LedgerError("no token named \"\(name)\"", code: .notFound)
            }
            if row.status == "revoked" { return try Self.token(row) }
            var writer = try ReviewWriter(session)
            try writer.add(kind: "token_revoke", key: "token-revoke/\(name)", at: time,
                           body: EventBody.token(type: "token_revoke", recordedAt: time, name: name, role: nil, sha256: sha, actor: actor))
            try writer.finish()
            return try Self.token(try writer.current("token", sha)!)
        }
    }

    public func token(sha256: String) throws -> TokenRecord? {
        try backend.read { session in try session.record(kind: "token", id: sha256).map(Self.token) }
    }

    public func tokens() throws -> [TokenRecord] {
        try backend.read { session in try session.records(kind: "token", statuses: nil).map(Self.token) }
    }

    static func token(_ row: RecordRow) throws -> TokenRecord {
        guard let state = TokenState(body: row.body) else { throw LedgerError("token record \(row.id.prefix(12)) is unreadable; run `ledger verify`") }
        return TokenRecord(name: state.name, role: state.role, sha256: row.id, status: row.status, createdAt: state.createdAt,
                           createdBy: state.createdBy, sequence: state.sequence)
    }

    // MARK: - Runs

    public func run(id: Int64) throws -> RunRecord? {
        try backend.read { session in
            guard let run = try session.run(id: id), run.kind == "screen" else { return nil }
            var rows: [(Int64, String, String)] = []
            for event in try session.events(run: id) where event.kind == "determination" {
                guard let rowID = EventJSON.parse(event.body)?["row_id"]?.string, let json = EventBody.determinationJSON(of: event.body) else {
                    throw LedgerError("ledger event \(event.seq) of run \(id) is unreadable; run `ledger verify`")
                }
                rows.append((event.seq, rowID, json))
            }
            return RunRecord(id: id, fileSHA256: run.fileSHA256, fileName: run.fileName, regime: run.regime, recordedAt: run.recordedAt,
                             rows: rows.map { (sequence: $0.0, rowID: $0.1, determinationJSON: $0.2) })
        }
    }
}
