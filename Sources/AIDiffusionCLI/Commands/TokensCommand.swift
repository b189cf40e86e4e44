import AllocationLedger
import ArgumentParser
import ComplianceService
import RuleData
import TabularIO

/// `tokens create|list|revoke`: bearer tokens for the service (only their SHA-256 is stored).
struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Bearer tokens for `serve`: create (printed once), list, revoke.",
        discussion: """
        Roles: screener (screenings: dry run and commit), officer (holds and licences), auditor (read \
        everything, verify, receipts), admin (tokens). Each creation and revocation is a ledger event.
        """,
        subcommands: [TokensCreateCommand.self, TokensListCommand.self, TokensRevokeCommand.self]
    )
}

struct TokensCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a token; its secret is the last line of stdout, shown only this once.",
        discussion: "Example: ai-diffusion tokens create --role officer --name alice --ledger ledger.sqlite")
    @Option(name: .long, help: "screener, officer, auditor or admin.") var role: String
    @Option(name: .long, help: "A unique name (letters, digits, . - _ @); names are never reused.") var name: String
    @OptionGroup var ledgerOption: LedgerOption

    func run() throws {
        guard let role = Role(rawValue: role) else { throw InputError("--role \"\(role)\" must be screener, officer, auditor or admin") }
        let service = try ComplianceService(book: try RuleBookLoader.loadForClassification(), ledger: ledgerOption.path,
                                            signingKey: ledgerOption.signingKey, create: true)
        let (secret, record) = try service.createToken(name: name, role: role, by: nil)
        printError("created token \(record.name) (role \(record.role), ledger event \(record.sequence)); only its SHA-256 is stored: keep the secret now")
        print(secret)
    }
}

struct TokensListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Tokens: name, role, status (never the secrets).")
    @OptionGroup var ledgerOption: LedgerOption
    @OptionGroup var formatOption: FormatOption

    func run() throws {
        let tokens = try ComplianceService(book: try RuleBookLoader.loadForClassification(), ledger: ledgerOption.path,
                                           signingKey: ledgerOption.signingKey, create: false).tokens()
        let sink = ByteSink.standardOutput()
        switch formatOption.format {
        case .json, .jsonl: formatOption.writeJSON(tokens.map(ServiceJSON.tokenRecord), to: sink)
        case .csv, .table:
            var table = TextTable(header: ["NAME", "ROLE", "STATUS", "CREATED", "BY", "EVENT"], rightAligned: [5])
            for t in tokens { table.add([t.name, t.role, t.status, t.createdAt, t.createdBy?.name ?? "command line", String(t.sequence)]) }
            sink.write(tokens.isEmpty ? "no tokens\n" : table.render())
        }
        sink.flush()
    }
}

struct TokensRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by name.")
    @Argument(help: "Token name.") var name: String
    @OptionGroup var ledgerOption: LedgerOption

    func run() throws {
        let record = try ComplianceService(book: try RuleBookLoader.loadForClassification(), ledger: ledgerOption.path,
                                           signingKey: ledgerOption.signingKey, create: false).revokeToken(name: name, by: nil)
        print("revoked \(record.name) (role \(record.role))")
    }
}
