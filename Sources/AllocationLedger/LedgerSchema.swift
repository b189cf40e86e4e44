/// The ledger's tables, the same on SQLite and PostgreSQL. Events are the record (append-only,
/// hash-chained); every other table except `ledger_meta` and `runs` is a projection of the events,
/// written in the same transaction and recomputed by `ledger verify`.
///
/// | table | holds |
/// |---|---|
/// | `ledger_meta` | application id, schema version, ledger id, Ed25519 public key (a database without them is not a ledger) |
/// | `runs` | one row per committed file: SHA-256, name, regime, time |
/// | `events` | `seq`, `run_id`, `kind`, `idempotency_key` (unique), `recorded_at`, `body` (canonical JSON), `prev_hash`, `hash` |
/// | `chain_head` | the last event's sequence and hash (one row; write transactions lock it first) |
/// | `caps` | per cap: limit, used and reserved TPP (thousandths): **the store invariant** `used + reserved <= limit` is a CHECK constraint |
/// | `movements` | per event and cap: change of used and reserved TPP |
/// | `installed_base` | per event: holder, country, TPP |
/// | `reservations` | licence applications: state, expiry, opening and closing events |
/// | `receipts` | the signed decision receipt of each committed determination |
/// | `records` | holds, licences and API tokens: status, due time and state (``RecordRow``, ``ReviewProjection``) |
enum LedgerSchema {
    static let applicationID = "ai-diffusion-allocation-ledger"
    static let version = "3"
    /// Hash that precedes the first event.
    static let genesisHash = String(repeating: "0", count: 64)

    enum Dialect { case sqlite, postgres }

    /// DDL statements, one per element.
    static func statements(_ dialect: Dialect) -> [String] {
        let int = dialect == .sqlite ? "INTEGER" : "BIGINT"
        let runKey = dialect == .sqlite ? "run_id INTEGER PRIMARY KEY" : "run_id BIGSERIAL PRIMARY KEY"
        return [
            "CREATE TABLE ledger_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
            """
            CREATE TABLE runs (\(runKey), file_sha256 TEXT NOT NULL, file_name TEXT NOT NULL, regime TEXT NOT NULL,
                recorded_at TEXT NOT NULL, kind TEXT NOT NULL)
            """,
            "CREATE INDEX runs_by_file ON runs(file_sha256, kind)",
            """
            CREATE TABLE events (seq \(int) PRIMARY KEY NOT NULL, run_id \(int), kind TEXT NOT NULL,
                idempotency_key TEXT NOT NULL UNIQUE, recorded_at TEXT NOT NULL, body TEXT NOT NULL,
                prev_hash TEXT NOT NULL, hash TEXT NOT NULL)
            """,
            "CREATE INDEX events_by_run ON events(run_id)",
            "CREATE TABLE chain_head (id \(int) PRIMARY KEY NOT NULL CHECK (id = 1), seq \(int) NOT NULL, hash TEXT NOT NULL)",
            """
            CREATE TABLE caps (cap TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, party TEXT, country TEXT, year \(int),
                limit_milli \(int), used_milli \(int) NOT NULL, reserved_milli \(int) NOT NULL, debit_count \(int) NOT NULL,
                CONSTRAINT used_not_negative CHECK (used_milli >= 0),
                CONSTRAINT reserved_not_negative CHECK (reserved_milli >= 0),
                CONSTRAINT cap_within_limit CHECK (limit_milli IS NULL OR used_milli + reserved_milli <= limit_milli))
            """,
            """
            CREATE TABLE movements (event_seq \(int) NOT NULL REFERENCES events(seq), cap TEXT NOT NULL,
                used_milli \(int) NOT NULL, reserved_milli \(int) NOT NULL, limit_milli \(int))
            """,
            "CREATE INDEX movements_by_cap ON movements(cap, event_seq)",
            """
            CREATE TABLE installed_base (event_seq \(int) NOT NULL REFERENCES events(seq), holder TEXT NOT NULL,
                country TEXT NOT NULL, tpp_milli \(int) NOT NULL CHECK (tpp_milli >= 0), as_of TEXT)
            """,
            "CREATE INDEX installed_base_by_holder ON installed_base(holder, country)",
            """
            CREATE TABLE reservations (id TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL, expires_at TEXT NOT NULL,
                opened_seq \(int) NOT NULL, closed_seq \(int))
            """,
            "CREATE INDEX reservations_open ON reservations(state, expires_at)",
            "CREATE TABLE receipts (event_seq \(int) PRIMARY KEY NOT NULL REFERENCES events(seq), run_id \(int) NOT NULL, receipt TEXT NOT NULL)",
            "CREATE INDEX receipts_by_run ON receipts(run_id)",
        ] + recordStatements(dialect) + (dialect == .postgres ? [PostgresDebitFunction.definition] : [])
    }

    /// Version 3 added `records` (holds, licences, tokens).
    static func recordStatements(_ dialect: Dialect) -> [String] {
        let int = dialect == .sqlite ? "INTEGER" : "BIGINT"
        return [
            """
            CREATE TABLE records (kind TEXT NOT NULL, id TEXT NOT NULL, status TEXT NOT NULL, due TEXT,
                opened_seq \(int) NOT NULL REFERENCES events(seq), updated_seq \(int) NOT NULL REFERENCES events(seq),
                body TEXT NOT NULL, PRIMARY KEY (kind, id))
            """,
            "CREATE INDEX records_by_status ON records(kind, status, opened_seq)",
        ]
    }

    /// Statements that bring a ledger of an older schema version to this one, or nil when there is
    /// no path. Version 2 ledgers gain the (empty) `records` table: nothing already recorded changes.
    static func migration(from version: String?, _ dialect: Dialect) -> [String]? {
        switch version {
        case "2": return recordStatements(dialect) + ["UPDATE ledger_meta SET value = '3' WHERE key = 'schema_version'"]
        default: return nil
        }
    }

    /// Tables a ledger has; used to tell "empty database" from "someone else's database".
    static let tables = ["ledger_meta", "runs", "events", "chain_head", "caps", "movements", "installed_base", "reservations", "receipts", "records"]

    /// Checks the meta rows of a database that has a `ledger_meta` table; throws ``LedgerError``.
    static func check(application: String?, schema: String?, location: String) throws {
        guard application == applicationID else {
            throw LedgerError("\(location): not an ai-diffusion ledger (application_id \(application ?? "missing"))")
        }
        guard schema == version else {
            throw LedgerError("\(location): ledger schema version \(schema ?? "missing") is not supported (expected \(version)); re-create the ledger with this version")
        }
    }
}
