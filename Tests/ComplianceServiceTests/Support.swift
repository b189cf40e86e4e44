import AllocationLedger
import ComplianceService
import Foundation
import GRDB
import RuleData
import Screening

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let rules = try! RuleBookLoader.loadBundled()

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String
    init(_ value: String) { self.value = value }
    var now: String {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}

/// The two ledger backends: SQLite always, PostgreSQL when AI_DIFFUSION_TEST_POSTGRES_URL is set.
enum Store: String, CustomStringConvertible, Sendable, CaseIterable {
    case sqlite, postgres
    var description: String { rawValue }

    static var available: [Store] {
        (ProcessInfo.processInfo.environment["AI_DIFFUSION_TEST_POSTGRES_URL"] ?? "").isEmpty ? [.sqlite] : [.sqlite, .postgres]
    }

    /// A new service over a new, empty ledger, with its own signing key and clock.
    func service(clock: TestClock = TestClock("2026-06-01T09:00:00Z")) throws -> (ComplianceService, String) {
        let location: String
        switch self {
        case .sqlite:
            location = FileManager.default.temporaryDirectory.appendingPathComponent("svc-\(UUID()).sqlite").path
        case .postgres:
            let url = ProcessInfo.processInfo.environment["AI_DIFFUSION_TEST_POSTGRES_URL"]!
            let name = "s_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try PostgresAdmin.execute(url: url, "CREATE DATABASE \(name)")
            location = try PostgresAdmin.url(url, database: name)
        }
        let key = FileManager.default.temporaryDirectory.appendingPathComponent("svc-\(UUID()).ed25519").path
        return (try ComplianceService(book: rules, ledger: location, signingKey: key, create: true, clock: { clock.now }), location)
    }

    /// Runs raw SQL on the ledger's database (the attacker who edits a table).
    func execute(_ location: String, _ sql: String) throws {
        switch self {
        case .sqlite: try DatabaseQueue(path: location).write { try $0.execute(sql: sql) }
        case .postgres: try PostgresAdmin.execute(url: location, sql)
        }
    }

    func strings(_ location: String, _ sql: String) throws -> [String] {
        switch self {
        case .sqlite: return try DatabaseQueue(path: location).read { try String.fetchAll($0, sql: sql) }
        case .postgres: return try PostgresAdmin.strings(url: location, sql)
        }
    }
}

let officer = Principal(name: "alice", role: .officer)
let screener = Principal(name: "erp", role: .screener)

/// The 18 public deals (examples/deals-2023-2026.csv) as a request body.
func publicDeals() throws -> ScreeningRequest {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: repository + "/examples/deals-2023-2026.csv")))
    return try ScreeningRequest(csv: bytes, regime: "ai-diffusion-2025", compare: nil, commit: true, limits: RequestLimits())
}

/// Commits rows given as CSV text under ai-diffusion-2025.
@discardableResult
func commit(_ service: ComplianceService, csv: String, key: String? = nil) throws -> CommitResult {
    let request = try ScreeningRequest(csv: Array(csv.utf8), regime: "ai-diffusion-2025", compare: nil, commit: true, limits: RequestLimits())
    return try service.commit(try ScreeningInput(request: request, book: rules, name: "test"), regime: try service.regime("ai-diffusion-2025"),
                              requestKey: key, by: screener)
}

let header = "id,date,item,quantity,destination,consignee,consignee_hq\n"
