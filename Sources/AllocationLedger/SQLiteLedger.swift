import ComputeMetrics
import DiffusionRules
import Foundation
import GRDB

/// The allocation ledger in an SQLite file (GRDB, WAL mode), the embedded default.
///
/// Every write is one `BEGIN IMMEDIATE` transaction: the write lock is taken before anything is
/// read, so concurrent processes are serialized and each decides against the caps as committed.
/// `synchronous=FULL`: a committed transaction survives a process kill and a power loss.
///
/// ```swift
/// let ledger = try SQLiteLedger(path: "ledger.sqlite", create: true)
/// let outcome = try ledger.commit(run: run, limits: { regime.capLimit(for: $0, on: $1) }) { snapshot in
///     records(screening: transactions, from: snapshot)      // [LedgerRecord]
/// }
/// ```
public final class SQLiteLedger: LedgerCore, @unchecked Sendable {
    public let path: String

    /// Opens a ledger. With `create`, a missing file becomes a new ledger (and a signing key is
    /// written next to it, `<path>.ed25519`, mode 0600); an existing file must be a ledger (else
    /// ``LedgerError``). Without `create`, a missing file is an error.
    public init(path: String, create: Bool, signingKey: String? = nil) throws {
        self.path = path
        let keyPath = signingKey ?? ProcessInfo.processInfo.environment["AI_DIFFUSION_SIGNING_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            ?? path + ".ed25519"
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && !create { throw LedgerError("\(path): no ledger at this path") }
        if !exists {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        }
        let backend = try SQLiteBackend(path: path, create: create, keyPath: keyPath)
        super.init(backend: backend, signingKeyPath: keyPath)
    }
}

/// GRDB statements for ``LedgerSession``.
final class SQLiteBackend: LedgerBackend, @unchecked Sendable {
    let location: String
    private let queue: DatabaseQueue

    init(path: String, create: Bool, keyPath: String) throws {
        location = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(120)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // 64 MiB page cache (the default 2 MiB rereads index pages from the OS on every batch).
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                    if tables.isEmpty {
                        guard create else { throw LedgerError("\(path): empty database, not an ai-diffusion ledger") }
                        try SQLiteBackend.createSchema(db, keyPath: keyPath)
                    } else if !tables.contains("ledger_meta") {
                        throw LedgerError("\(path): not an ai-diffusion ledger (it has tables \(tables.prefix(5).joined(separator: ", ")))")
                    } else if try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'application_id'") == LedgerSchema.applicationID,
                              let steps = LedgerSchema.migration(from: try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'schema_version'"), .sqlite) {
                        for statement in steps { try db.execute(sql: statement) }
                    }
                    return .commit
                }
            }
            try queue.read { db in
                try LedgerSchema.check(application: try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'application_id'"),
                                       schema: try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'schema_version'"),
                                       location: path)
            }
            try queue.writeWithoutTransaction { db in
                if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" { try db.execute(sql: "PRAGMA journal_mode = WAL") }
            }
        } catch let error as LedgerError {
            throw error
        } catch let error as DatabaseError {
            throw LedgerError("\(path): \(error.message ?? "\(error)") (not an SQLite database?)")
        }
    }

    private static func createSchema(_ db: Database, keyPath: String) throws {
        for statement in LedgerSchema.statements(.sqlite) { try db.execute(sql: statement) }
        let publicKey = try ReceiptSigner.createKeyFile(at: keyPath)
        try db.execute(sql: "INSERT INTO ledger_meta (key, value) VALUES ('application_id', ?), ('schema_version', ?), ('ledger_id', ?), ('public_key', ?)",
                       arguments: [LedgerSchema.applicationID, LedgerSchema.version, UUID().uuidString.lowercased(), publicKey])
        try db.execute(sql: "INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, ?)", arguments: [LedgerSchema.genesisHash])
    }

    func write<T>(_ body: (any LedgerSession) throws -> T) throws -> T {
        try translate {
            try queue.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(SQLiteSession(db: db))
                    return .commit
                }
                return result!
            }
        }
    }

    func read<T>(_ body: (any LedgerSession) throws -> T) throws -> T {
        try translate { try queue.read { db in try body(SQLiteSession(db: db)) } }
    }

    func headSequence() throws -> Int64 {
        try translate {
            try queue.unsafeRead { db in try Int64.fetchOne(try db.cachedStatement(sql: "SELECT seq FROM chain_head WHERE id = 1")) ?? 0 }
        }
    }

    private func translate<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw LedgerError("\(location): \(error.message ?? "\(error)")")
        }
    }
}

/// One GRDB transaction.
struct SQLiteSession: LedgerSession {
    let db: Database

    func meta(_ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = ?", arguments: [key])
    }

    func head() throws -> (seq: Int64, hash: String) {
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM chain_head WHERE id = 1") else { return (0, LedgerSchema.genesisHash) }
        return (row["seq"], row["hash"])
    }

    func setHead(seq: Int64, hash: String) throws {
        try db.execute(sql: "UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1", arguments: [seq, hash])
    }

    func findRun(fileSHA256: String, kind: String) throws -> (runID: Int64, regime: String)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT run_id, regime FROM runs WHERE file_sha256 = ? AND kind = ? ORDER BY run_id LIMIT 1",
                                         arguments: [fileSHA256, kind]) else { return nil }
        return (row["run_id"], row["regime"])
    }

    func insertRun(fileSHA256: String, fileName: String, regime: String, recordedAt: String, kind: String) throws -> Int64 {
        try db.execute(sql: "INSERT INTO runs (file_sha256, file_name, regime, recorded_at, kind) VALUES (?, ?, ?, ?, ?)",
                       arguments: [fileSHA256, fileName, regime, recordedAt, kind])
        return db.lastInsertedRowID
    }

    private static let eventColumns = "seq, run_id, kind, idempotency_key, recorded_at, body, prev_hash, hash"

    private static func event(_ row: Row) -> StoredEvent {
        StoredEvent(seq: row[0], runID: row[1], kind: row[2], key: row[3], recordedAt: row[4], body: row[5], prevHash: row[6], hash: row[7])
    }

    func events(keys: [String]) throws -> [StoredEvent] {
        var out: [StoredEvent] = []
        for chunk in Self.chunks(keys) {
            let statement = try db.cachedStatement(sql: "SELECT \(Self.eventColumns) FROM events WHERE idempotency_key IN (\(Self.placeholders(chunk.count)))")
            out += try Row.fetchAll(statement, arguments: StatementArguments(chunk)).map(Self.event)
        }
        return out
    }

    /// Look-ups by many keys go in chunks of up to 500 `IN (?, ...)` parameters: one statement each.
    static func chunks(_ values: [String]) -> [ArraySlice<String>] {
        stride(from: 0, to: values.count, by: 500).map { values[$0..<min($0 + 500, values.count)] }
    }

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }

    func events(run: Int64) throws -> [StoredEvent] {
        try Row.fetchAll(db, sql: "SELECT \(Self.eventColumns) FROM events WHERE run_id = ? ORDER BY seq", arguments: [run]).map(Self.event)
    }

    func event(seq: Int64) throws -> StoredEvent? {
        try Row.fetchOne(db, sql: "SELECT \(Self.eventColumns) FROM events WHERE seq = ?", arguments: [seq]).map(Self.event)
    }

    func appendEvents(_ events: [StoredEvent]) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO events (\(Self.eventColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for e in events {
            try statement.execute(arguments: [e.seq, e.runID, e.kind, e.key, e.recordedAt, e.body, e.prevHash, e.hash])
        }
    }

    func scanEvents(_ visit: (StoredEvent) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(Self.eventColumns) FROM events ORDER BY seq")
        while let row = try cursor.next() { try visit(Self.event(row)) }
    }

    func eventCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0
    }

    private static func cap(_ row: Row) -> CapRow {
        CapRow(cap: row[0], kind: row[1], party: row[2], country: row[3], year: row[4], limitMilli: row[5],
               usedMilli: row[6], reservedMilli: row[7], debitCount: row[8])
    }

    private static let capColumns = "cap, kind, party, country, year, limit_milli, used_milli, reserved_milli, debit_count"

    func caps(_ names: [String]) throws -> [String: CapRow] {
        var out: [String: CapRow] = [:]
        for chunk in Self.chunks(names) {
            let statement = try db.cachedStatement(sql: "SELECT \(Self.capColumns) FROM caps WHERE cap IN (\(Self.placeholders(chunk.count)))")
            for row in try Row.fetchAll(statement, arguments: StatementArguments(chunk)) {
                let cap = Self.cap(row)
                out[cap.cap] = cap
            }
        }
        return out
    }

    func allCaps() throws -> [CapRow] {
        try Row.fetchAll(db, sql: "SELECT \(Self.capColumns) FROM caps").map(Self.cap)
    }

    func applyMovements(_ movements: [Movement]) throws {
        let insert = try db.cachedStatement(sql: "INSERT INTO movements (event_seq, cap, used_milli, reserved_milli, limit_milli) VALUES (?, ?, ?, ?, ?)")
        for m in movements { try insert.execute(arguments: [m.seq, m.cap, m.usedMilli, m.reservedMilli, m.limitMilli]) }
        // UPDATE first (a negative delta on a candidate row would trip the CHECK before an upsert's
        // conflict handling), INSERT when the cap is new.
        let update = try db.cachedStatement(sql: """
            UPDATE caps SET used_milli = used_milli + ?, reserved_milli = reserved_milli + ?,
                debit_count = debit_count + ?, limit_milli = COALESCE(?, limit_milli)
            WHERE cap = ?
            """)
        let insert2 = try db.cachedStatement(sql: """
            INSERT INTO caps (cap, kind, party, country, year, limit_milli, used_milli, reserved_milli, debit_count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for m in CapTotals.aggregate(movements) {
            do {
                try update.execute(arguments: [m.usedMilli, m.reservedMilli, m.debitCount, m.limitMilli, m.cap])
                if db.changesCount == 0 {
                    try insert2.execute(arguments: [m.cap, m.kind, m.party, m.country, m.year, m.limitMilli, m.usedMilli, m.reservedMilli, m.debitCount])
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw CapRefused(detail: "\(m.cap): \(error.message ?? "constraint failed")")
            }
        }
    }

    func movements(cap: String) throws -> [(movement: Movement, recordedAt: String, kind: String)] {
        try Row.fetchAll(db, sql: """
            SELECT m.event_seq, m.cap, m.used_milli, m.reserved_milli, m.limit_milli, e.recorded_at, e.kind, c.kind
            FROM movements m JOIN events e ON e.seq = m.event_seq LEFT JOIN caps c ON c.cap = m.cap
            WHERE m.cap = ? ORDER BY m.event_seq
            """, arguments: [cap]).map { row in
            (Movement(seq: row[0], cap: row[1], kind: row[7] ?? "", usedMilli: row[2], reservedMilli: row[3], limitMilli: row[4]), row[5], row[6])
        }
    }

    func allMovements() throws -> [Movement] {
        try Row.fetchAll(db, sql: "SELECT event_seq, cap, used_milli, reserved_milli, limit_milli FROM movements").map { row in
            Movement(seq: row[0], cap: row[1], kind: "", usedMilli: row[2], reservedMilli: row[3], limitMilli: row[4])
        }
    }

    func insertInstalledBase(_ rows: [BaseRow]) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO installed_base (event_seq, holder, country, tpp_milli, as_of) VALUES (?, ?, ?, ?, ?)")
        for b in rows { try statement.execute(arguments: [b.seq, b.holder, b.country, b.milli, b.asOf]) }
    }

    func installedBase(holder: String) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT country, SUM(tpp_milli) FROM installed_base WHERE holder = ? GROUP BY country", arguments: [holder]) {
            out[row[0]] = row[1]
        }
        return out
    }

    func installedBases() throws -> [(holder: String, country: String, milli: Int64)] {
        try Row.fetchAll(db, sql: "SELECT holder, country, SUM(tpp_milli) FROM installed_base GROUP BY holder, country").map { ($0[0], $0[1], $0[2]) }
    }

    func allBaseRows() throws -> [BaseRow] {
        try Row.fetchAll(db, sql: "SELECT event_seq, holder, country, tpp_milli, as_of FROM installed_base").map {
            BaseRow(seq: $0[0], holder: $0[1], country: $0[2], milli: $0[3], asOf: $0[4])
        }
    }

    private static func reservation(_ row: Row) -> ReservationRow {
        ReservationRow(id: row[0], state: row[1], expiresAt: row[2], openedSeq: row[3], closedSeq: row[4])
    }

    func reservation(id: String) throws -> ReservationRow? {
        try Row.fetchOne(db, sql: "SELECT id, state, expires_at, opened_seq, closed_seq FROM reservations WHERE id = ?", arguments: [id]).map(Self.reservation)
    }

    func putReservation(_ r: ReservationRow) throws {
        try db.execute(sql: """
            INSERT INTO reservations (id, state, expires_at, opened_seq, closed_seq) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET state = excluded.state, closed_seq = excluded.closed_seq
            """, arguments: [r.id, r.state, r.expiresAt, r.openedSeq, r.closedSeq])
    }

    func expiredReservations(at time: String) throws -> [ReservationRow] {
        try Row.fetchAll(db, sql: "SELECT id, state, expires_at, opened_seq, closed_seq FROM reservations WHERE state = 'reserved' AND expires_at <= ? ORDER BY expires_at, id",
                         arguments: [time]).map(Self.reservation)
    }

    func allReservations() throws -> [ReservationRow] {
        try Row.fetchAll(db, sql: "SELECT id, state, expires_at, opened_seq, closed_seq FROM reservations").map(Self.reservation)
    }

    func insertReceipts(_ receipts: [(seq: Int64, runID: Int64, text: String)]) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO receipts (event_seq, run_id, receipt) VALUES (?, ?, ?)")
        for r in receipts { try statement.execute(arguments: [r.seq, r.runID, r.text]) }
    }

    func receipts(run: Int64?) throws -> [String] {
        if let run {
            return try String.fetchAll(db, sql: "SELECT receipt FROM receipts WHERE run_id = ? ORDER BY event_seq", arguments: [run])
        }
        return try String.fetchAll(db, sql: "SELECT receipt FROM receipts ORDER BY event_seq")
    }
}

extension SQLiteSession {
    func run(id: Int64) throws -> (fileSHA256: String, fileName: String, regime: String, recordedAt: String, kind: String)? {
        try Row.fetchOne(db, sql: "SELECT file_sha256, file_name, regime, recorded_at, kind FROM runs WHERE run_id = ?", arguments: [id])
            .map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
    }

    private static let recordColumns = "kind, id, status, due, opened_seq, updated_seq, body"

    private static func record(_ row: Row) -> RecordRow {
        RecordRow(kind: row[0], id: row[1], status: row[2], due: row[3], openedSeq: row[4], updatedSeq: row[5], body: row[6])
    }

    func record(kind: String, id: String) throws -> RecordRow? {
        try Row.fetchOne(db, sql: "SELECT \(Self.recordColumns) FROM records WHERE kind = ? AND id = ?", arguments: [kind, id]).map(Self.record)
    }

    func records(kind: String, statuses: [String]?) throws -> [RecordRow] {
        guard let statuses else {
            return try Row.fetchAll(db, sql: "SELECT \(Self.recordColumns) FROM records WHERE kind = ? ORDER BY opened_seq", arguments: [kind]).map(Self.record)
        }
        if statuses.isEmpty { return [] }
        return try Row.fetchAll(db, sql: "SELECT \(Self.recordColumns) FROM records WHERE kind = ? AND status IN (\(Self.placeholders(statuses.count))) ORDER BY opened_seq",
                                arguments: StatementArguments([kind] + statuses)).map(Self.record)
    }

    func dueRecords(kind: String, status: String, at time: String) throws -> [RecordRow] {
        try Row.fetchAll(db, sql: "SELECT \(Self.recordColumns) FROM records WHERE kind = ? AND status = ? AND due <= ? ORDER BY due, id",
                         arguments: [kind, status, time]).map(Self.record)
    }

    func putRecords(_ rows: [RecordRow]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO records (\(Self.recordColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(kind, id) DO UPDATE SET status = excluded.status, due = excluded.due, updated_seq = excluded.updated_seq, body = excluded.body
            """)
        for r in rows { try statement.execute(arguments: [r.kind, r.id, r.status, r.due, r.openedSeq, r.updatedSeq, r.body]) }
    }

    func allRecords() throws -> [RecordRow] {
        try Row.fetchAll(db, sql: "SELECT \(Self.recordColumns) FROM records").map(Self.record)
    }

    func recordCounts(kind: String) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM records WHERE kind = ? GROUP BY status", arguments: [kind]) {
            out[row[0]] = row[1]
        }
        return out
    }
}

/// Movements summed per cap, in first-seen order: one upsert per cap and batch.
enum CapTotals {
    struct Total {
        var cap: String, kind: String, party: String?, country: String?, year: Int?
        var limitMilli: Int64?, usedMilli: Int64, reservedMilli: Int64, debitCount: Int64
    }

    static func aggregate(_ movements: [Movement]) -> [Total] {
        var order: [String] = []
        var totals: [String: Total] = [:]
        for m in movements {
            if var t = totals[m.cap] {
                t.usedMilli += m.usedMilli
                t.reservedMilli += m.reservedMilli
                t.debitCount += m.usedMilli != 0 ? 1 : 0
                if let limit = m.limitMilli { t.limitMilli = limit }
                totals[m.cap] = t
            } else {
                order.append(m.cap)
                totals[m.cap] = Total(cap: m.cap, kind: m.kind, party: m.party, country: m.country, year: m.year, limitMilli: m.limitMilli,
                                      usedMilli: m.usedMilli, reservedMilli: m.reservedMilli, debitCount: m.usedMilli != 0 ? 1 : 0)
            }
        }
        return order.map { totals[$0]! }
    }
}
