import Foundation
import PostgresNIO

/// The allocation ledger in a PostgreSQL database (postgres-nio), for many writers and large
/// ledgers: `--ledger postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`.
///
/// Same tables and semantics as ``SQLiteLedger`` (``LedgerCore``). Every write transaction starts
/// with `SELECT ... FROM chain_head FOR UPDATE`, which serializes writers on the chain head, so
/// each decides against the caps as committed; the `caps` CHECK constraint refuses any over-issue.
/// An empty database becomes a ledger on first use; a database with other tables is refused.
///
/// Calls block the calling thread on postgres-nio futures (`wait()`): call from ordinary threads
/// (the CLI's main thread, GCD), not from Swift concurrency's cooperative pool.
public final class PostgresLedger: LedgerCore, @unchecked Sendable {
    /// Opens the ledger in the database at `url`. The receipt signing key defaults to
    /// `$AI_DIFFUSION_SIGNING_KEY`, else `$XDG_DATA_HOME/ai-diffusion/keys/<ledger id>.ed25519`.
    public init(url: String, create: Bool, signingKey: String? = nil) throws {
        let parsed = try PostgresURL(url)
        let override = signingKey ?? ProcessInfo.processInfo.environment["AI_DIFFUSION_SIGNING_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let backend = try PostgresBackend(url: parsed, create: create) { ledgerID in
            override ?? PostgresLedger.defaultKeyPath(ledgerID: ledgerID)
        }
        super.init(backend: backend, signingKeyPath: override ?? PostgresLedger.defaultKeyPath(ledgerID: backend.ledgerID))
    }

    static func defaultKeyPath(ledgerID: String) -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
        return "\(base)/ai-diffusion/keys/\(ledgerID).ed25519"
    }
}

/// Blocking postgres-nio calls (EventLoopFuture `wait()`, never on the Swift concurrency pool)
/// behind ``LedgerBackend``. One connection per ledger object; calls on it are serialized.
final class PostgresBackend: LedgerBackend, @unchecked Sendable {
    let location: String
    private(set) var ledgerID = ""
    private let connection: PostgresConnection
    private let logger: Logger
    private let lock = NSLock()

    init(url: PostgresURL, create: Bool, keyPath: (String) -> String) throws {
        location = url.display
        var logger = Logger(label: "ai-diffusion.ledger.postgres")
        logger.logLevel = .critical
        self.logger = logger
        var tls = PostgresConnection.Configuration.TLS.disable
        if url.sslMode != "disable" {
            let context = try NIOSSLContext(configuration: .makeClientConfiguration())
            tls = url.sslMode == "require" ? .require(context) : .prefer(context)
        }
        let configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user,
                                                             password: url.password, database: url.database, tls: tls)
        do {
            connection = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                                                        id: 1, logger: logger).wait()
        } catch {
            throw LedgerError("\(url.display): cannot connect: \(PostgresBackend.describe(error))")
        }
        do {
            try prepare(create: create, keyPath: keyPath)
        } catch {
            try? connection.close().wait()
            throw error
        }
    }

    deinit {
        try? connection.close().wait()
    }

    /// Creates the schema in an empty database (under an advisory lock, so concurrent first
    /// openers agree), or checks that the database is a ledger of this version.
    private func prepare(create: Bool, keyPath: (String) -> String) throws {
        try write(locking: false) { session in
            let session = session as! PostgresSession
            _ = try session.run("SELECT pg_advisory_xact_lock(727202504)")
            let tables = try session.run("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1")
                .map { try $0.decode(String.self) }
            if tables.isEmpty {
                guard create else { throw LedgerError("\(location): empty database, not an ai-diffusion ledger") }
                for statement in LedgerSchema.statements(.postgres) { _ = try session.run(statement) }
                let id = UUID().uuidString.lowercased()
                let publicKey = try ReceiptSigner.createKeyFile(at: keyPath(id))
                _ = try session.run("INSERT INTO ledger_meta (key, value) VALUES ('application_id', $1), ('schema_version', $2), ('ledger_id', $3), ('public_key', $4)",
                                    [.text(LedgerSchema.applicationID), .text(LedgerSchema.version), .text(id), .text(publicKey)])
                _ = try session.run("INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, $1)", [.text(LedgerSchema.genesisHash)])
            } else if !tables.contains("ledger_meta") {
                throw LedgerError("\(location): not an ai-diffusion ledger (the database has tables \(tables.prefix(5).joined(separator: ", ")))")
            } else if try session.meta("application_id") == LedgerSchema.applicationID,
                      let steps = LedgerSchema.migration(from: try session.meta("schema_version"), .postgres) {
                for statement in steps { _ = try session.run(statement) }
            }
            try LedgerSchema.check(application: try session.meta("application_id"), schema: try session.meta("schema_version"), location: location)
            if try session.run("SELECT to_regprocedure($1) IS NULL", [.text(PostgresDebitFunction.signature)])[0].decode(Bool.self) {
                _ = try session.run(PostgresDebitFunction.definition)   // a ledger created before the function existed
            }
            ledgerID = try session.meta("ledger_id") ?? ""
        }
    }

    func write<T>(_ body: (any LedgerSession) throws -> T) throws -> T {
        try write(locking: true, body)
    }

    private func write<T>(locking: Bool, _ body: (any LedgerSession) throws -> T) throws -> T {
        try transaction(begin: "BEGIN") { session in
            if locking {
                guard let row = try session.run("SELECT seq, hash FROM chain_head WHERE id = 1 FOR UPDATE").first else {
                    throw LedgerError("\(location): the chain head is missing; run `ledger verify`")
                }
                session.lockedHead = try row.decode((Int64, String).self)
            }
            return try body(session)
        }
    }

    func headSequence() throws -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        return try query("SELECT seq FROM chain_head WHERE id = 1", []).rows.first?.decode(Int64.self) ?? 0
    }

    func read<T>(_ body: (any LedgerSession) throws -> T) throws -> T {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// One statement, its own transaction: ``PostgresDebitFunction``.
    func appendGrantedDebit(_ debit: GrantedDebit, dueAt: String) throws -> GrantedDebitOutcome {
        lock.lock()
        defer { lock.unlock() }
        let moves = debit.moves
        let rows = try query("SELECT r_outcome, r_seq, r_body FROM \(PostgresDebitFunction.name)($1, 'debit', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", [
            .text(debit.key), .text(debit.recordedAt), .text(debit.body), .text(dueAt),
            .texts(moves.map(\.cap)), .texts(moves.map(\.kind)), .texts(moves.map { $0.party ?? "" }),
            .texts(moves.map { $0.country ?? "" }), .ints(moves.map { $0.year.map(Int64.init) ?? -1 }),
            .ints(moves.map { $0.limitMilli ?? -1 }), .ints(moves.map(\.usedMilli)),
        ]).rows
        guard let row = rows.first else { throw LedgerError("\(location): the debit function returned nothing") }
        let (outcome, seq, body) = try row.decode((String, Int64?, String?).self)
        switch (outcome, seq) {
        case let ("granted", seq?): return .granted(seq: seq)
        case let ("replayed", seq?):
            return .replayed(StoredEvent(seq: seq, runID: nil, kind: "debit", key: debit.key, recordedAt: "", body: body ?? "",
                                         prevHash: "", hash: ""))
        default: return .general
        }
    }

    private func transaction<T>(begin: String, _ body: (PostgresSession) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let session = PostgresSession(backend: self)
        _ = try session.run(begin)
        do {
            let result = try body(session)
            _ = try session.run("COMMIT")
            return result
        } catch {
            _ = try? session.run("ROLLBACK")
            throw error
        }
    }

    /// Runs one statement and collects its rows.
    func query(_ sql: String, _ binds: [PostgresValue]) throws -> PostgresQueryResult {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            switch bind {
            case let .int(value): bindings.append(value)
            case let .text(value): bindings.append(value)
            case let .ints(values): bindings.append(values)
            case let .texts(values): bindings.append(values)
            case .null: bindings.appendNull()
            }
        }
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).wait()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23514" {
            throw CapRefused(detail: error.serverInfo?[.message] ?? "check constraint violated")
        } catch {
            throw LedgerError("\(location): \(PostgresBackend.describe(error))")
        }
    }

    /// A one-line reason for a postgres-nio error (server message, or the underlying cause).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }
}

/// A statement parameter.
enum PostgresValue {
    case int(Int64), text(String), ints([Int64]), texts([String]), null

    static func optional(_ value: Int64?) -> PostgresValue { value.map { .int($0) } ?? .null }
    static func optional(_ value: String?) -> PostgresValue { value.map { .text($0) } ?? .null }
}

/// Creating and dropping databases on a server (tests and `bench ledger` use throwaway ones).
public enum PostgresAdmin {
    /// Runs one statement outside a transaction on the database of `url` (e.g. `CREATE DATABASE x`).
    /// Statements separated by `;` (outside quotes) run one after another on one connection.
    public static func execute(url: String, _ sql: String) throws {
        try withConnection(url) { connection, logger in
            for statement in split(sql) {
                _ = try connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).wait()
            }
        }
    }

    static func split(_ sql: String) -> [String] {
        var statements: [String] = [], current = "", quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == ";" && !quoted {
                statements.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        statements.append(current)
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// Runs one statement and returns the first column of each row as text.
    public static func strings(url: String, _ sql: String) throws -> [String] {
        try withConnection(url) { connection, logger in
            try connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).wait().rows.map {
                (try? $0.decode(String?.self)).flatMap { $0 } ?? ""
            }
        }
    }

    private static func withConnection<T>(_ url: String, _ body: (PostgresConnection, Logger) throws -> T) throws -> T {
        let parsed = try PostgresURL(url)
        var logger = Logger(label: "ai-diffusion.ledger.postgres")
        logger.logLevel = .critical
        let configuration = PostgresConnection.Configuration(host: parsed.host, port: parsed.port, username: parsed.user,
                                                             password: parsed.password, database: parsed.database, tls: .disable)
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                                                        id: 2, logger: logger).wait()
        } catch {
            throw LedgerError("\(parsed.display): cannot connect: \(PostgresBackend.describe(error))")
        }
        defer { try? connection.close().wait() }
        do {
            return try body(connection, logger)
        } catch {
            throw LedgerError("\(parsed.display): \(PostgresBackend.describe(error))")
        }
    }

    /// `url` with its database replaced by `database`.
    public static func url(_ url: String, database: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw LedgerError("malformed PostgreSQL URL") }
        components.path = "/" + database
        return components.string ?? url
    }

    /// Host, port, user and database of a URL (for pgbench/psql command lines).
    public static func parts(_ url: String) throws -> (host: String, port: Int, user: String, database: String) {
        let parsed = try PostgresURL(url)
        return (parsed.host, parsed.port, parsed.user, parsed.database)
    }
}
