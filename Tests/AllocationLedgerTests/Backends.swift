import AllocationLedger
import ComputeMetrics
import DiffusionRules
import Foundation
import GRDB

/// The backends every ledger test runs against: SQLite always, PostgreSQL when
/// `AI_DIFFUSION_TEST_POSTGRES_URL` names a server (scripts/test.sh starts one).
enum Backend: String, CustomStringConvertible, Sendable {
    case sqlite, postgres

    var description: String { rawValue }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["AI_DIFFUSION_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var all: [Backend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// A new, empty ledger location: a temporary file, or a fresh database on the test server.
    func newLocation() throws -> String {
        switch self {
        case .sqlite:
            return FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID()).sqlite").path
        case .postgres:
            let url = Backend.postgresURL!
            let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try PostgresAdmin.execute(url: url, "CREATE DATABASE \(name)")
            return try PostgresAdmin.url(url, database: name)
        }
    }

    /// Opens (creating) a new ledger with its own signing key file.
    func newLedger() throws -> (ledger: any AllocationLedger, location: String, key: String) {
        let location = try newLocation()
        let key = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID()).ed25519").path
        return (try Ledgers.open(location, create: true, signingKey: key), location, key)
    }

    /// Runs raw SQL against the ledger's database (to play the attacker or the broken engine).
    /// With `foreignKeys: false` the attacker also bypasses the foreign keys (to renumber events).
    func execute(_ location: String, _ sql: String, foreignKeys: Bool = true) throws {
        switch self {
        case .sqlite:
            var configuration = Configuration()
            configuration.foreignKeysEnabled = foreignKeys
            let queue = try DatabaseQueue(path: location, configuration: configuration)
            try queue.write { try $0.execute(sql: sql) }
        case .postgres:
            try PostgresAdmin.execute(url: location, (foreignKeys ? "" : "SET session_replication_role = replica; ") + sql)
        }
    }
}

extension Backend {
    /// The first column of each row of a query on the ledger's database, as text.
    func strings(_ location: String, _ sql: String) throws -> [String] {
        switch self {
        case .sqlite:
            let queue = try DatabaseQueue(path: location)
            return try queue.read { db in try String.fetchAll(db, sql: sql) }
        case .postgres:
            return try PostgresAdmin.strings(url: location, sql)
        }
    }
}

let testRun = RunInfo(fileSHA256: String(repeating: "a", count: 64), fileName: "deals.csv", regime: "ai-diffusion-2025",
                      recordedAt: "2026-11-29T00:00:00Z", rulePackSHA256: String(repeating: "b", count: 64))

func record(_ id: String, cap: CapKey?, tpp: Int64, date: Day = Day("2025-06-01")!) -> LedgerRecord {
    LedgerRecord(rowID: id, determinationJSON: "{\"id\":\"\(id)\"}",
                 debits: cap.map { [Debit(cap: $0, tpp: TPP(whole: tpp))] } ?? [],
                 installedBaseAddition: InstalledBaseEntry(holder: "Acme", country: CountryCode("IN")!, tpp: TPP(whole: tpp)),
                 date: date)
}

/// Limits for tests: LPP 26,900,000 TPP, allocations 790,000,000 TPP, NVEU 1,000,000 TPP.
let testLimits: CapLimitLookup = { cap, _ in
    switch cap {
    case .lpp: return CapLimit(limit: TPP(whole: 26_900_000), citation: "15 CFR 740.29(a)")
    case .countryAllocation: return CapLimit(limit: TPP(whole: 790_000_000), citation: "15 CFR 742.6(b)(10)(iii)(B)")
    case .nveu: return CapLimit(limit: TPP(whole: 1_000_000), appliesToInstalledBase: true, citation: "15 CFR 748.15(a)(2)(iii)(B)")
    case .uveu: return nil
    }
}

let june = Day("2026-06-01")!
let india = CountryCode("IN")!

func lpp(_ parent: String, _ tpp: Int64, year: Int = 2026) -> Debit {
    Debit(cap: .lpp(parent: parent, year: year), tpp: TPP(whole: tpp))
}
