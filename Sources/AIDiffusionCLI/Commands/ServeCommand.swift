import ArgumentParser
import ComplianceServer
import ComplianceService
import Foundation
import RuleData

/// `serve [--host H] [--port P] [--ledger PATH|URL]`: the compliance service over HTTP.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the compliance service: the dashboard at /, the /v1 JSON API (OpenAPI at /openapi.json), /healthz, /readyz and /metrics.",
        discussion: """
        SQLite (the default ledger) serves one instance; with --ledger postgres://... any number of \
        stateless instances share one database. Prints `listening on http://HOST:PORT` to stderr once \
        bound; SIGTERM or SIGINT shuts it down gracefully. Every route but /healthz, /readyz, /metrics \
        and POST /login needs a bearer token from `ai-diffusion tokens create`.

        The dashboard is at http://HOST:PORT/ (sign in with a token). Its forms carry CSRF tokens \
        signed with $AI_DIFFUSION_DASHBOARD_SECRET (32 bytes or more; give every instance behind one \
        load balancer the same); unset, each process draws a random secret.

        Examples:
          ai-diffusion tokens create --role screener --name erp --ledger ledger.sqlite
          ai-diffusion serve --ledger ledger.sqlite --port 8080
          ai-diffusion serve --ledger ledger.sqlite --parties csl.csv --ownership ownership.csv
        """
    )

    @Option(name: .long, help: "Address to listen on.") var host = "127.0.0.1"
    @Option(name: .long, help: "Port to listen on (0: any free port).") var port = 8080
    @OptionGroup var ledgerOption: LedgerOption
    @Option(name: .long, help: "Ledger connections used in turn by concurrent requests.") var connections = 4
    @Option(name: .customLong("max-body-bytes"), help: "Largest request body accepted (413 beyond).") var maxBodyBytes = 64 << 20
    @Option(name: .customLong("max-rows"), help: "Most rows in one screening request (413 beyond).") var maxRows = 100_000
    @Option(name: .customLong("max-json-depth"), help: "Deepest JSON nesting accepted (400 beyond).") var maxJSONDepth = 32
    @Option(name: .customLong("token-cache-seconds"), help: "How long a token look-up is reused; a revocation reaches other instances within this time.")
    var tokenCacheSeconds: Double = 5
    @OptionGroup var partyOptions: PartyOptions

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0 to 65535") }
        if connections < 1 || maxBodyBytes < 1 || maxRows < 1 || maxJSONDepth < 2 || tokenCacheSeconds < 0 {
            throw ValidationError("--connections, --max-body-bytes and --max-rows must be positive, --max-json-depth at least 2, --token-cache-seconds not negative")
        }
    }

    func run() throws {
        let book = try RuleBookLoader.loadBundled()
        // The lists are read and checked once, before the port opens (a bad list file: exit 1).
        let parties = try partyOptions.setup(book: book)
        if parties.library == nil {
            printError("note: parties will not be screened against restricted-party lists (no --parties file given; none is bundled)")
        }
        let service = try ComplianceService(
            book: book, ledger: ledgerOption.path, signingKey: ledgerOption.signingKey, create: true,
            connections: connections, limits: RequestLimits(maxBodyBytes: maxBodyBytes, maxRows: maxRows, maxJSONDepth: maxJSONDepth),
            tokenCacheSeconds: tokenCacheSeconds, parties: parties)
        var secret: [UInt8]?
        if let text = ProcessInfo.processInfo.environment["AI_DIFFUSION_DASHBOARD_SECRET"], !text.isEmpty {
            guard text.utf8.count >= 32 else {
                throw ValidationError("AI_DIFFUSION_DASHBOARD_SECRET has \(text.utf8.count) bytes; the dashboard's CSRF secret needs at least 32")
            }
            secret = Array(text.utf8)
        }
        let options = ServerOptions(host: host, port: port, dashboardSecret: secret)
        try blockOn { try await ComplianceServer.run(service: service, options: options) }
        printError("stopped")
    }
}

/// Runs async work to completion from a synchronous command (the main thread waits).
func blockOn(_ body: @escaping @Sendable () async throws -> Void) throws {
    final class Outcome: @unchecked Sendable { var error: (any Error)? }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { try await body() } catch { outcome.error = error }
        done.signal()
    }
    done.wait()
    if let error = outcome.error { throw error }
}
