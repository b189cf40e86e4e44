import ComputeMetrics
import DiffusionRules
import Foundation

/// The ledger's semantics, once for both backends: commits of screened files, fleet seeds and
/// reads. Debits and reservations are in `LedgerCore+Requests.swift`; verification and history
/// in `LedgerCore+Verify.swift`.
public class LedgerCore: AllocationLedger, @unchecked Sendable {
    let backend: any LedgerBackend
    /// Where the Ed25519 private key for receipts is kept.
    let signingKeyPath: String
    private let signerLock = NSLock()
    private var cachedSigner: ReceiptSigner?

    init(backend: any LedgerBackend, signingKeyPath: String) {
        self.backend = backend
        self.signingKeyPath = signingKeyPath
    }

    public var location: String { backend.location }

    // MARK: - Events

    /// Appends events after the chain head within one write transaction.
    struct Appender {
        let session: any LedgerSession
        private(set) var seq: Int64
        private(set) var previous: String
        private(set) var events: [StoredEvent] = []

        init(_ session: any LedgerSession) throws {
            self.session = session
            (seq, previous) = try session.head()
        }

        mutating func add(runID: Int64?, kind: String, key: String, recordedAt: String, body: String) -> StoredEvent {
            seq += 1
            var event = StoredEvent(seq: seq, runID: runID, kind: kind, key: key, recordedAt: recordedAt, body: body,
                                    prevHash: previous, hash: "")
            event.hash = EventBody.hash(previous: previous, event)
            previous = event.hash
            events.append(event)
            return event
        }

        func flush() throws {
            guard !events.isEmpty else { return }
            try session.appendEvents(events)
            try session.setHead(seq: seq, hash: previous)
        }
    }

    static func movement(_ debit: Debit, used: Int64, reserved: Int64, limit: Int64?) -> Movement {
        Movement(seq: 0, cap: debit.cap.name, kind: debit.cap.kind, party: debit.cap.party,
                 country: debit.cap.country?.description, year: debit.cap.year,
                 usedMilli: used, reservedMilli: reserved, limitMilli: limit)
    }

    /// Applies movements; a CHECK-constraint refusal becomes a one-line ``LedgerError`` (the
    /// transaction rolls back).
    static func apply(_ session: any LedgerSession, _ moves: [Movement]) throws {
        guard !moves.isEmpty else { return }
        do {
            try session.applyMovements(moves)
        } catch let refused as CapRefused {
            throw LedgerError("the store refused the change (nothing recorded): \(refused.detail)")
        }
    }

    // MARK: - Commit

    public func commit(run: RunInfo, limits: CapLimitLookup? = nil,
                       evaluate: (CapSnapshot) throws -> [LedgerRecord]) throws -> CommitOutcome {
        if let key = run.requestKey, key.isEmpty || key.utf8.count > Self.maxKeyBytes {
            throw LedgerError("Idempotency-Key must be 1 to \(Self.maxKeyBytes) bytes", code: .invalid)
        }
        return try backend.write { session in
            if let key = run.requestKey, let event = try session.events(keys: ["request/\(key)"]).first {
                // A retry: the same content returns the stored result; other content is refused.
                let first = EventJSON.parse(event.body)
                guard first?["request_sha256"]?.string == run.fileSHA256 else {
                    throw LedgerError("Idempotency-Key \"\(key)\" was first used for other content (run \(first?["run_id"]?.int ?? 0), event \(event.seq)); nothing recorded",
                                      code: .conflict)
                }
            }
            if let stored = try Self.storedRun(session, fileSHA256: run.fileSHA256) {
                if let key = run.requestKey, try session.events(keys: ["request/\(key)"]).isEmpty {
                    var appender = try Appender(session)
                    _ = appender.add(runID: nil, kind: "request", key: "request/\(key)", recordedAt: run.recordedAt,
                                     body: EventBody.request(recordedAt: run.recordedAt, key: key, requestSHA256: run.fileSHA256,
                                                             runID: stored.runID, actor: run.actor))
                    try appender.flush()
                }
                return stored
            }
            _ = try Self.expireDue(session, at: run.recordedAt)
            let records = try evaluate(try Self.snapshot(session))
            let signer = records.isEmpty ? nil : try signer(session)
            let runID = try session.insertRun(fileSHA256: run.fileSHA256, fileName: run.fileName, regime: run.regime,
                                              recordedAt: run.recordedAt, kind: "screen")
            var appender = try Appender(session)
            if let key = run.requestKey {
                _ = appender.add(runID: nil, kind: "request", key: "request/\(key)", recordedAt: run.recordedAt,
                                 body: EventBody.request(recordedAt: run.recordedAt, key: key, requestSHA256: run.fileSHA256,
                                                         runID: runID, actor: run.actor))
            }
            let first = appender.seq + 1
            var holds: [RecordRow] = []
            var moves: [Movement] = []
            var bases: [BaseRow] = []
            var receipts: [(seq: Int64, runID: Int64, text: String)] = []
            var guards: [(record: LedgerRecord, limit: CapLimit, debit: Debit)] = []
            for record in records {
                var recordMoves: [Movement] = []
                for debit in record.debits {
                    let limit = record.date.flatMap { day in limits?(debit.cap, day) }
                    if let limit, limit.appliesToInstalledBase || limit.uveu != nil { guards.append((record, limit, debit)) }
                    recordMoves.append(Self.movement(debit, used: debit.tpp.milli, reserved: 0, limit: limit?.limit?.milli))
                }
                let body = EventBody.determination(run: run, record: record, moves: recordMoves)
                let event = appender.add(runID: runID, kind: "determination", key: "\(run.fileSHA256)/\(record.rowID)",
                                         recordedAt: run.recordedAt, body: body)
                moves += recordMoves.map { var m = $0; m.seq = event.seq; return m }
                if let base = record.installedBaseAddition {
                    bases.append(BaseRow(seq: event.seq, holder: base.holder, country: base.country.description,
                                         milli: base.tpp.milli, asOf: base.asOf?.description))
                }
                if let signer {
                    receipts.append((event.seq, runID, signer.receipt(run: run, runID: runID, rowID: record.rowID,
                                                                      determinationJSON: record.determinationJSON, event: event)))
                }
                if record.hold != nil, let parsed = EventBody.parse(event.body, seq: event.seq) {
                    holds += try ReviewProjection.apply(event, parsed) { _, _ in nil }
                }
            }
            try Self.checkInstalledBaseCaps(session, records: records, guards: guards)
            try appender.flush()
            try Self.apply(session, moves)
            try session.insertInstalledBase(bases)
            try session.insertReceipts(receipts)
            try session.putRecords(holds)
            return .recorded(runID: runID, firstSequence: first, lastSequence: appender.seq)
        }
    }

    /// The store's own check of the caps measured on installed bases (NVEU quarterly allocation;
    /// UVEU shares of Supp. No. 10 to part 748 ¶6): each guarded row is checked against the stored
    /// base plus the additions of the rows before it and its own, in file order.
    static func checkInstalledBaseCaps(_ session: any LedgerSession, records: [LedgerRecord],
                                       guards: [(record: LedgerRecord, limit: CapLimit, debit: Debit)]) throws {
        guard !guards.isEmpty else { return }
        let guarded = Set(guards.compactMap { $0.debit.cap.party })
        var bases: [String: [String: Int64]] = [:]
        for holder in guarded { bases[holder] = try session.installedBase(holder: holder) }
        var pending = guards[...]
        for record in records {
            if let addition = record.installedBaseAddition, guarded.contains(addition.holder) {
                bases[addition.holder, default: [:]][addition.country.description, default: 0] += addition.tpp.milli
            }
            while let (guardedRecord, limit, debit) = pending.first, guardedRecord.rowID == record.rowID {
                pending.removeFirst()
                guard let holder = debit.cap.party, let country = debit.cap.country else { continue }
                let holderBases = bases[holder] ?? [:]
                if limit.appliesToInstalledBase, let cap = limit.limit {
                    let base = holderBases[country.description] ?? 0
                    if base > cap.milli {
                        throw LedgerError("the store refused row \(record.rowID) (nothing recorded): \(holder)'s installed base in \(country) would be \(TPP(milli: base)) TPP, over the \(debit.cap.kind.uppercased()) allocation of \(cap) (\(limit.citation))")
                    }
                }
                if let shares = limit.uveu {
                    var byCountry: [CountryCode: Int64] = [:]
                    for (code, milli) in holderBases { if let c = CountryCode(code) { byCountry[c] = milli } }
                    if let problem = shares.violation(of: byCountry, at: country) {
                        throw LedgerError("the store refused row \(record.rowID) (nothing recorded): UVEU \(holder): \(problem) (\(limit.citation))")
                    }
                }
            }
        }
    }

    /// The earlier commit of a file, if any, with its stored determinations.
    static func storedRun(_ session: any LedgerSession, fileSHA256: String) throws -> CommitOutcome? {
        guard let run = try session.findRun(fileSHA256: fileSHA256, kind: "screen") else { return nil }
        var determinations: [(String, String)] = []
        for event in try session.events(run: run.runID) {
            guard let rowID = EventJSON.parse(event.body)?["row_id"]?.string, let json = EventBody.determinationJSON(of: event.body) else {
                throw LedgerError("ledger event \(event.seq) of run \(run.runID) is unreadable; run `ledger verify`")
            }
            determinations.append((rowID, json))
        }
        return .replayed(runID: run.runID, regime: run.regime, determinations: determinations)
    }

    // MARK: - Fleet

    public func seedFleet(fileSHA256: String, fileName: String, recordedAt: String,
                          entries: [(line: Int, entry: InstalledBaseEntry)]) throws -> Int {
        for (line, entry) in entries where entry.tpp.milli < 0 {
            throw LedgerError("\(fileName):\(line): tpp must not be negative (nothing recorded)")
        }
        return try backend.write { session in
            if try session.findRun(fileSHA256: fileSHA256, kind: "fleet") != nil { return 0 }
            let runID = try session.insertRun(fileSHA256: fileSHA256, fileName: fileName, regime: "", recordedAt: recordedAt, kind: "fleet")
            var appender = try Appender(session)
            var bases: [BaseRow] = []
            for (line, entry) in entries {
                let body = EventBody.fleet(fileSHA256: fileSHA256, fileName: fileName, recordedAt: recordedAt, line: line, entry: entry)
                let event = appender.add(runID: runID, kind: "fleet", key: "fleet/\(fileSHA256)/\(line)", recordedAt: recordedAt, body: body)
                bases.append(BaseRow(seq: event.seq, holder: entry.holder, country: entry.country.description,
                                     milli: entry.tpp.milli, asOf: entry.asOf?.description))
            }
            try appender.flush()
            try session.insertInstalledBase(bases)
            return entries.count
        }
    }

    // MARK: - Reading

    public func snapshot() throws -> CapSnapshot {
        try backend.read { try Self.snapshot($0) }
    }

    /// The balances with the chain position they were read at; when `cached` was read at the same
    /// position (nothing recorded since), it is returned without reading the balances again.
    public func snapshot(reusing cached: (sequence: Int64, snapshot: CapSnapshot)?) throws -> (sequence: Int64, snapshot: CapSnapshot) {
        if let cached, try backend.headSequence() == cached.sequence { return cached }
        return try backend.read { session in
            let head = try session.head().seq
            if let cached, cached.sequence == head { return cached }
            return (head, try Self.snapshot(session))
        }
    }

    /// Balances and installed bases as a screening run starts from them: for LPP and country
    /// allocations, confirmed plus reserved TPP (both unavailable), with the reserved part apart.
    static func snapshot(_ session: any LedgerSession) throws -> CapSnapshot {
        var snapshot = CapSnapshot()
        for cap in try session.allCaps() {
            let taken = TPP(milli: cap.usedMilli + cap.reservedMilli)
            if cap.reservedMilli != 0 { snapshot.reserved[cap.cap] = TPP(milli: cap.reservedMilli) }
            switch cap.kind {
            case "lpp":
                if let party = cap.party, let year = cap.year { snapshot.lpp[.init(parent: party, year: year)] = taken }
            case "country_allocation":
                if let code = cap.country, let country = CountryCode(code) { snapshot.countryAllocation[country] = taken }
            default:
                break
            }
        }
        for row in try session.installedBases() {
            if let country = CountryCode(row.country) {
                snapshot.installedBase[row.holder, default: [:]][country] = TPP(milli: row.milli)
            }
        }
        return snapshot
    }

    public func balances() throws -> [CapBalance] {
        try backend.read { session in
            try session.allCaps().sorted { $0.cap < $1.cap }.map { row in
                CapBalance(cap: row.cap, kind: row.kind, party: row.party, country: row.country.flatMap(CountryCode.init),
                           year: row.year, used: TPP(milli: row.usedMilli), reserved: TPP(milli: row.reservedMilli),
                           limit: row.limitMilli.map { TPP(milli: $0) }, debitCount: Int(row.debitCount))
            }
        }
    }

    public func installedBases() throws -> [InstalledBaseEntry] {
        try backend.read { session in
            try session.installedBases().compactMap { row in
                guard let country = CountryCode(row.country) else { return nil }
                return InstalledBaseEntry(holder: row.holder, country: country, tpp: TPP(milli: row.milli))
            }.sorted { ($0.holder, $0.country.description) < ($1.holder, $1.country.description) }
        }
    }

    public func eventCount() throws -> Int {
        try backend.read { try $0.eventCount() }
    }

    public func receipts(run: Int64?) throws -> [String] {
        try backend.read { try $0.receipts(run: run) }
    }

    public func publicKey() throws -> String? {
        try backend.read { try $0.meta("public_key") }
    }

    // MARK: - Signing

    /// The receipt signer: the private key file must match the public key stored in the ledger.
    func signer(_ session: any LedgerSession) throws -> ReceiptSigner {
        signerLock.lock()
        defer { signerLock.unlock() }
        if let cachedSigner { return cachedSigner }
        guard let stored = try session.meta("public_key"), let ledgerID = try session.meta("ledger_id") else {
            throw LedgerError("\(location): the ledger has no public key; it cannot sign receipts")
        }
        let signer = try ReceiptSigner(keyFile: signingKeyPath, ledgerID: ledgerID)
        guard signer.publicKeyHex == stored else {
            throw LedgerError("\(signingKeyPath): this signing key is not the ledger's (its public key differs from the one stored in \(location))")
        }
        cachedSigner = signer
        return signer
    }
}
