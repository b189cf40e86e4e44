import ComputeMetrics
import DiffusionRules
import Foundation
import GRDB

/// The allocation ledger in an SQLite file (GRDB), the embedded default.
///
/// Every commit is one `BEGIN IMMEDIATE` transaction: the caller's evaluation runs inside it against
/// the balances as they are at that moment, so concurrent committers are serialized and a cap is
/// never over-issued; either all rows of a file are recorded or none.
///
/// ```swift
/// let ledger = try SQLiteLedger(path: "ledger.sqlite", create: true)
/// let outcome = try ledger.commit(run: run) { snapshot in
///     records(screening: transactions, from: snapshot)      // [LedgerRecord]
/// }
/// ```
public final class SQLiteLedger: @unchecked Sendable {
    public let path: String
    private let queue: DatabaseQueue

    /// Opens a ledger. With `create`, a missing file becomes a new ledger; an existing file must be
    /// one (else ``LedgerError``). Without `create`, a missing file is an error.
    public init(path: String, create: Bool) throws {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && !create { throw LedgerError("\(path): no ledger at this path") }
        if !exists {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.readonly = false
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            if !exists {
                try queue.write { db in try LedgerSchema.create(db) }
            }
            try queue.read { db in try LedgerSchema.check(db, path: path) }
        } catch let error as LedgerError {
            throw error
        } catch let error as DatabaseError {
            throw LedgerError("\(path): \(error.message ?? "\(error)") (not an SQLite database?)")
        }
    }

    // MARK: - Reading

    /// Balances and installed bases, as a screening run starts from them.
    public func snapshot() throws -> CapSnapshot {
        try queue.read { db in try Self.snapshot(db) }
    }

    static func snapshot(_ db: Database) throws -> CapSnapshot {
        var snapshot = CapSnapshot()
        for row in try Row.fetchAll(db, sql: "SELECT kind, party, country, year, used_milli FROM balances") {
            let kind: String = row["kind"]
            let used = TPP(milli: row["used_milli"])
            switch kind {
            case "lpp":
                if let party: String = row["party"], let year: Int = row["year"] {
                    snapshot.lpp[.init(parent: party, year: year)] = used
                }
            case "country_allocation":
                if let code: String = row["country"], let country = CountryCode(code) { snapshot.countryAllocation[country] = used }
            default:
                break
            }
        }
        for row in try Row.fetchAll(db, sql: "SELECT holder, country, SUM(tpp_milli) AS milli FROM installed_base GROUP BY holder, country") {
            let holder: String = row["holder"]
            if let code: String = row["country"], let country = CountryCode(code) {
                snapshot.installedBase[holder, default: [:]][country] = TPP(milli: row["milli"])
            }
        }
        return snapshot
    }

    /// Every cap's balance, sorted by cap name.
    public func balances() throws -> [CapBalance] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT cap, kind, party, country, year, used_milli, debit_count FROM balances ORDER BY cap").map { row in
                CapBalance(cap: row["cap"], kind: row["kind"], party: row["party"],
                           country: (row["country"] as String?).flatMap(CountryCode.init), year: row["year"],
                           used: TPP(milli: row["used_milli"]), debitCount: row["debit_count"])
            }
        }
    }

    /// Installed bases by holder and country (seeded fleets plus committed growth).
    public func installedBases() throws -> [InstalledBaseEntry] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT holder, country, SUM(tpp_milli) AS milli FROM installed_base GROUP BY holder, country ORDER BY holder, country").compactMap { row in
                guard let country = CountryCode(row["country"] as String) else { return nil }
                return InstalledBaseEntry(holder: row["holder"], country: country, tpp: TPP(milli: row["milli"]))
            }
        }
    }

    /// Number of events in the chain.
    public func eventCount() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0 }
    }

    // MARK: - Writing

    /// Commits one screened file. If the file (by SHA-256) was committed before, returns the stored
    /// determinations and records nothing; otherwise calls `evaluate` with the current balances
    /// inside the write transaction and records every record it returns, atomically.
    public func commit(run: RunInfo, evaluate: (CapSnapshot) throws -> [LedgerRecord]) throws -> CommitOutcome {
        try immediateTransaction { db in
            if let stored = try Self.storedRun(db, fileSHA256: run.fileSHA256) {
                return stored
            }
            let records = try evaluate(try Self.snapshot(db))
            return try Self.append(db, run: run, records: records)
        }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction (the write lock is taken before reading),
    /// committing when it returns and rolling back when it throws.
    private func immediateTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// The earlier commit of a file, if any.
    static func storedRun(_ db: Database, fileSHA256: String) throws -> CommitOutcome? {
        guard let run = try Row.fetchOne(db, sql: "SELECT run_id, regime FROM runs WHERE file_sha256 = ? AND kind = 'screen' ORDER BY run_id LIMIT 1",
                                         arguments: [fileSHA256]) else { return nil }
        let runID: Int64 = run["run_id"]
        var determinations: [(String, String)] = []
        for row in try Row.fetchAll(db, sql: "SELECT body FROM events WHERE run_id = ? ORDER BY seq", arguments: [runID]) {
            let body: String = row["body"]
            guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                  let rowID = object["row_id"] as? String,
                  let range = body.range(of: ",\"determination\":") else {
                throw LedgerError("ledger event of run \(runID) is unreadable; run `ledger verify`")
            }
            determinations.append((rowID, String(body[range.upperBound...].dropLast())))
        }
        return .replayed(runID: runID, regime: run["regime"], determinations: determinations)
    }

    static func lastHash(_ db: Database) throws -> (Int64, String) {
        if let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1") {
            return (row["seq"], row["hash"])
        }
        return (0, LedgerSchema.genesisHash)
    }

    static func append(_ db: Database, run: RunInfo, records: [LedgerRecord]) throws -> CommitOutcome {
        try db.execute(sql: "INSERT INTO runs (file_sha256, file_name, regime, recorded_at, kind) VALUES (?, ?, ?, ?, 'screen')",
                       arguments: [run.fileSHA256, run.fileName, run.regime, run.recordedAt])
        let runID = db.lastInsertedRowID
        var (seq, previous) = try lastHash(db)
        let first = seq + 1
        let insertEvent = try db.makeStatement(sql: "INSERT INTO events (seq, run_id, kind, idempotency_key, body, prev_hash, hash) VALUES (?, ?, 'determination', ?, ?, ?, ?)")
        let insertDebit = try db.makeStatement(sql: "INSERT INTO debits (event_seq, cap, kind, party, country, year, tpp_milli) VALUES (?, ?, ?, ?, ?, ?, ?)")
        let upsertBalance = try db.makeStatement(sql: """
            INSERT INTO balances (cap, kind, party, country, year, used_milli, debit_count) VALUES (?, ?, ?, ?, ?, ?, 1)
            ON CONFLICT(cap) DO UPDATE SET used_milli = used_milli + excluded.used_milli, debit_count = debit_count + 1
            """)
        let insertBase = try db.makeStatement(sql: "INSERT INTO installed_base (event_seq, holder, country, tpp_milli, as_of) VALUES (?, ?, ?, ?, ?)")
        for record in records {
            seq += 1
            let key = "\(run.fileSHA256)/\(record.rowID)"
            let body = EventBody.determination(run: run, record: record)
            let hash = EventBody.hash(previous: previous, seq: seq, kind: "determination", key: key, body: body)
            try insertEvent.execute(arguments: [seq, runID, key, body, previous, hash])
            previous = hash
            for debit in record.debits {
                let arguments: StatementArguments = [seq, debit.cap.name, debit.cap.kind, debit.cap.party,
                                                     debit.cap.country?.description, debit.cap.year, debit.tpp.milli]
                try insertDebit.execute(arguments: arguments)
                try upsertBalance.execute(arguments: [debit.cap.name, debit.cap.kind, debit.cap.party,
                                                      debit.cap.country?.description, debit.cap.year, debit.tpp.milli])
            }
            if let base = record.installedBaseAddition {
                try insertBase.execute(arguments: [seq, base.holder, base.country.description, base.tpp.milli, base.asOf?.description])
            }
        }
        return .recorded(runID: runID, firstSequence: first, lastSequence: seq)
    }

    /// Adds a holder's installed base (a fleet file), one event per line, atomically. A file already
    /// seeded (same SHA-256) is not added twice; returns the number of entries added.
    public func seedFleet(fileSHA256: String, fileName: String, recordedAt: String,
                          entries: [(line: Int, entry: InstalledBaseEntry)]) throws -> Int {
        try immediateTransaction { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE file_sha256 = ? AND kind = 'fleet'", arguments: [fileSHA256]) ?? 0 > 0 {
                return 0
            }
            try db.execute(sql: "INSERT INTO runs (file_sha256, file_name, regime, recorded_at, kind) VALUES (?, ?, '', ?, 'fleet')",
                           arguments: [fileSHA256, fileName, recordedAt])
            let runID = db.lastInsertedRowID
            var (seq, previous) = try Self.lastHash(db)
            for (line, entry) in entries {
                seq += 1
                let key = "fleet/\(fileSHA256)/\(line)"
                let body = EventBody.fleet(fileSHA256: fileSHA256, fileName: fileName, line: line, entry: entry)
                let hash = EventBody.hash(previous: previous, seq: seq, kind: "fleet", key: key, body: body)
                try db.execute(sql: "INSERT INTO events (seq, run_id, kind, idempotency_key, body, prev_hash, hash) VALUES (?, ?, 'fleet', ?, ?, ?, ?)",
                               arguments: [seq, runID, key, body, previous, hash])
                try db.execute(sql: "INSERT INTO installed_base (event_seq, holder, country, tpp_milli, as_of) VALUES (?, ?, ?, ?, ?)",
                               arguments: [seq, entry.holder, entry.country.description, entry.tpp.milli, entry.asOf?.description])
                previous = hash
            }
            return entries.count
        }
    }

    // MARK: - Verification

    /// Recomputes the hash chain and the projections (debits, installed bases, balances) from the
    /// events and reports every difference.
    public func verify() throws -> VerificationReport {
        try queue.read { db in
            var problems: [String] = []
            var previous = LedgerSchema.genesisHash
            var expectedSeq: Int64 = 0
            var debits: [String: (kind: String, party: String?, country: String?, year: Int?, milli: Int64, count: Int)] = [:]
            var debitRows: [String] = []
            var baseRows: [String] = []
            var count = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT seq, kind, idempotency_key, body, prev_hash, hash FROM events ORDER BY seq")
            while let row = try cursor.next() {
                count += 1
                expectedSeq += 1
                let seq: Int64 = row["seq"]
                let body: String = row["body"]
                if seq != expectedSeq { problems.append("event \(seq): sequence gap (expected \(expectedSeq))"); expectedSeq = seq }
                if (row["prev_hash"] as String) != previous {
                    problems.append("event \(seq): prev_hash does not match the hash of event \(seq - 1)")
                }
                let recomputed = EventBody.hash(previous: row["prev_hash"], seq: seq, kind: row["kind"], key: row["idempotency_key"], body: body)
                if recomputed != (row["hash"] as String) {
                    problems.append("event \(seq): content does not match its hash (edited after recording)")
                }
                previous = row["hash"]
                guard let parsed = EventBody.parse(body) else {
                    problems.append("event \(seq): body is not valid JSON")
                    continue
                }
                for d in parsed.debits {
                    debitRows.append("\(seq)|\(d.cap)|\(d.kind)|\(d.party ?? "")|\(d.country ?? "")|\(d.year.map(String.init) ?? "")|\(d.milli)")
                    var entry = debits[d.cap] ?? (d.kind, d.party, d.country, d.year, 0, 0)
                    entry.milli += d.milli
                    entry.count += 1
                    debits[d.cap] = entry
                }
                if let base = parsed.installedBase {
                    baseRows.append("\(seq)|\(base.holder)|\(base.country)|\(base.milli)|\(base.asOf ?? "")")
                }
            }
            let storedDebits = try Row.fetchAll(db, sql: "SELECT event_seq, cap, kind, party, country, year, tpp_milli FROM debits").map { row in
                "\(row["event_seq"] as Int64)|\(row["cap"] as String)|\(row["kind"] as String)|\((row["party"] as String?) ?? "")|\((row["country"] as String?) ?? "")|\((row["year"] as Int?).map(String.init) ?? "")|\(row["tpp_milli"] as Int64)"
            }
            if storedDebits.sorted() != debitRows.sorted() {
                problems.append("debits table differs from the debits recorded in events (\(storedDebits.count) rows stored, \(debitRows.count) expected)")
            }
            let storedBase = try Row.fetchAll(db, sql: "SELECT event_seq, holder, country, tpp_milli, as_of FROM installed_base").map { row in
                "\(row["event_seq"] as Int64)|\(row["holder"] as String)|\(row["country"] as String)|\(row["tpp_milli"] as Int64)|\((row["as_of"] as String?) ?? "")"
            }
            if storedBase.sorted() != baseRows.sorted() {
                problems.append("installed_base table differs from the installed bases recorded in events")
            }
            var storedBalances: [String: (Int64, Int)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT cap, used_milli, debit_count FROM balances") {
                storedBalances[row["cap"]] = (row["used_milli"], row["debit_count"])
            }
            for (cap, entry) in debits.sorted(by: { $0.key < $1.key }) {
                guard let stored = storedBalances.removeValue(forKey: cap) else {
                    problems.append("balance of \(cap) is missing")
                    continue
                }
                if stored.0 != entry.milli || stored.1 != entry.count {
                    problems.append("balance of \(cap) is \(TPP(milli: stored.0)) TPP in \(stored.1) debits; events give \(TPP(milli: entry.milli)) in \(entry.count)")
                }
            }
            for cap in storedBalances.keys.sorted() { problems.append("balance of \(cap) has no debits in events") }
            return VerificationReport(events: count, problems: problems)
        }
    }
}
