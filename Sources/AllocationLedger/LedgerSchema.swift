import GRDB

/// The ledger's tables. Events are the record (append-only, hash-chained); `debits`,
/// `installed_base` and `balances` are projections of the events, kept in the same transaction and
/// recomputed by `ledger verify`.
///
/// | table | holds |
/// |---|---|
/// | `ledger_meta` | application id and schema version (a database without them is not a ledger) |
/// | `runs` | one row per committed file: SHA-256, name, regime, time |
/// | `events` | `seq`, `kind` (`determination`/`fleet`), `idempotency_key` (unique), `body` (canonical JSON), `prev_hash`, `hash` |
/// | `debits` | per event: cap name, kind, party, country, year, TPP in thousandths |
/// | `installed_base` | per event: holder, country, TPP in thousandths |
/// | `balances` | per cap: TPP drawn and number of debits |
enum LedgerSchema {
    static let applicationID = "ai-diffusion-allocation-ledger"
    static let version = "1"
    /// Hash that precedes the first event.
    static let genesisHash = String(repeating: "0", count: 64)

    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE ledger_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            CREATE TABLE runs (
                run_id INTEGER PRIMARY KEY,
                file_sha256 TEXT NOT NULL,
                file_name TEXT NOT NULL,
                regime TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                kind TEXT NOT NULL
            );
            CREATE INDEX runs_by_file ON runs(file_sha256);
            CREATE TABLE events (
                seq INTEGER PRIMARY KEY,
                run_id INTEGER NOT NULL REFERENCES runs(run_id),
                kind TEXT NOT NULL,
                idempotency_key TEXT NOT NULL UNIQUE,
                body TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            CREATE INDEX events_by_run ON events(run_id);
            CREATE TABLE debits (
                event_seq INTEGER NOT NULL REFERENCES events(seq),
                cap TEXT NOT NULL,
                kind TEXT NOT NULL,
                party TEXT,
                country TEXT,
                year INTEGER,
                tpp_milli INTEGER NOT NULL CHECK (tpp_milli >= 0)
            );
            CREATE INDEX debits_by_cap ON debits(cap);
            CREATE TABLE installed_base (
                event_seq INTEGER NOT NULL REFERENCES events(seq),
                holder TEXT NOT NULL,
                country TEXT NOT NULL,
                tpp_milli INTEGER NOT NULL CHECK (tpp_milli >= 0),
                as_of TEXT
            );
            CREATE INDEX installed_base_by_holder ON installed_base(holder, country);
            CREATE TABLE balances (
                cap TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL,
                party TEXT,
                country TEXT,
                year INTEGER,
                used_milli INTEGER NOT NULL CHECK (used_milli >= 0),
                debit_count INTEGER NOT NULL
            );
            """)
        try db.execute(sql: "INSERT INTO ledger_meta (key, value) VALUES ('application_id', ?), ('schema_version', ?)",
                       arguments: [applicationID, version])
    }

    /// Throws ``LedgerError`` when the database is not a ledger of this tool.
    static func check(_ db: Database, path: String) throws {
        guard try db.tableExists("ledger_meta") else {
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            if tables.isEmpty { throw LedgerError("\(path): empty database, not an ai-diffusion ledger") }
            throw LedgerError("\(path): not an ai-diffusion ledger (it has tables \(tables.prefix(5).joined(separator: ", ")))")
        }
        let application = try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'application_id'")
        guard application == applicationID else {
            throw LedgerError("\(path): not an ai-diffusion ledger (application_id \(application ?? "missing"))")
        }
        let schema = try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'schema_version'")
        guard schema == version else {
            throw LedgerError("\(path): ledger schema version \(schema ?? "missing") is not supported (expected \(version))")
        }
    }
}
