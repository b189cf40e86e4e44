import Foundation
import GRDB
import Testing

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The built `ai-diffusion` executable, next to the test bundle.
let executable: String = {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = directory.appendingPathComponent("ai-diffusion").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return repositoryRoot + "/.build/debug/ai-diffusion"
}()

struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Standard output exactly as written.
    var stdoutBytes: [UInt8] = []
}

func run(_ arguments: [String], ledger: String? = nil, environment extra: [String: String] = [:]) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
    var environment = ProcessInfo.processInfo.environment
    environment["AI_DIFFUSION_LEDGER"] = ledger ?? FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID()).sqlite").path
    for (key, value) in extra { environment[key] = value }
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                  stderr: String(decoding: stderr, as: UTF8.self), stdoutBytes: Array(stdout))
}

func temporaryFile(_ name: String, _ contents: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID())-\(name)").path
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite("Command line")
struct CLITests {
    @Test("Bad input: one line on stderr naming file and line, exit 1")
    func badInput() throws {
        let file = try temporaryFile("deals.csv", "id,date,item,quantity,destination,consignee,consignee_hq\nA,2025-06-01,H100,0,IN,C,IN\n")
        let result = try run(["screen", file])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("\(file):2: column \"quantity\": \"0\""))
        #expect(result.stdout.isEmpty)
    }

    @Test("Bad usage: exit 2")
    func badUsage() throws {
        #expect(try run(["screen"]).status == 2)
        #expect(try run(["screen", "x.csv", "--format", "xml"]).status == 2)
        #expect(try run(["frobnicate"]).status == 2)
    }

    @Test("--commit with a bad row commits nothing")
    func commitNothingOnBadRow() throws {
        let ledger = FileManager.default.temporaryDirectory.appendingPathComponent("l-\(UUID()).sqlite").path
        let file = try temporaryFile("deals.csv", "id,date,item,quantity,destination,consignee,consignee_hq\nA,2025-06-01,H100,5000,IN,C,IN\nB,2025-06-01,H100,5,ZZ,C,IN\n")
        let result = try run(["screen", file, "--regime", "ai-diffusion-2025", "--commit", "--ledger", ledger])
        #expect(result.status == 1)
        if FileManager.default.fileExists(atPath: ledger) {
            let show = try run(["ledger", "show", "--ledger", ledger])
            #expect(show.stdout.contains("0 events") && show.stdout.contains("no debits"))
        }
    }

    @Test("Commit, re-commit (idempotent), show, verify, then verify catches an edited row")
    func ledgerRoundTrip() throws {
        let ledger = FileManager.default.temporaryDirectory.appendingPathComponent("l-\(UUID()).sqlite").path
        let first = try run(["screen", "examples/deals-2023-2026.csv", "--regime", "ai-diffusion-2025", "--commit", "--format", "jsonl", "--ledger", ledger])
        #expect(first.status == 0)
        #expect(first.stdout.split(separator: "\n").count == 18)
        let second = try run(["screen", "examples/deals-2023-2026.csv", "--regime", "ai-diffusion-2025", "--commit", "--format", "jsonl", "--ledger", ledger])
        #expect(second.status == 0)
        #expect(second.stdout == first.stdout)
        #expect(second.stderr.contains("already committed"))
        let show = try run(["ledger", "show", "--ledger", ledger, "--format", "csv"])
        // P05 + P09: 129,695,744 + 126,656,000 = 256,351,744 TPP against India's 790,000,000.
        #expect(show.stdout.contains("country_allocation/IN,country_allocation,256351744,0,790000000,533648256,2"))
        #expect(try run(["ledger", "verify", "--ledger", ledger]).status == 0)
        let queue = try DatabaseQueue(path: ledger)
        try queue.write { try $0.execute(sql: "UPDATE events SET body = replace(body, '\"NLR\"', '\"AIA\"') WHERE seq = 1") }
        let verify = try run(["ledger", "verify", "--ledger", ledger])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("event 1: content does not match its hash"))
    }

    @Test("Receipts: written with --receipts, verified offline; an edited receipt fails")
    func receipts() throws {
        let ledger = FileManager.default.temporaryDirectory.appendingPathComponent("l-\(UUID()).sqlite").path
        let receipts = FileManager.default.temporaryDirectory.appendingPathComponent("r-\(UUID()).jsonl").path
        let commit = try run(["screen", "examples/deals-2023-2026.csv", "--regime", "ai-diffusion-2025", "--commit", "--ledger", ledger, "--receipts", receipts, "--format", "jsonl"])
        #expect(commit.status == 0)
        let verify = try run(["ledger", "receipt", "verify", receipts])
        #expect(verify.status == 0 && verify.stdout.hasPrefix("ok: 18 receipts"))
        let key = try String(contentsOfFile: ledger + ".ed25519", encoding: .utf8)
        #expect(key.count == 65)
        var text = try String(contentsOfFile: receipts, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"authorization\":\"LPP\"", with: "\"authorization\":\"AIA\"")
        try text.write(toFile: receipts, atomically: true, encoding: .utf8)
        let tampered = try run(["ledger", "receipt", "verify", receipts])
        #expect(tampered.status == 1 && tampered.stderr.contains("signature does not match"))
        let export = try run(["ledger", "receipt", "export", "--run", "1", "--ledger", ledger])
        #expect(export.stdout.split(separator: "\n").count == 18)
    }

    @Test("The store's own UVEU check agrees with the engine, row by row in file order (fleet + uveu-2025)")
    func uveuCommit() throws {
        let ledger = FileManager.default.temporaryDirectory.appendingPathComponent("l-\(UUID()).sqlite").path
        #expect(try run(["ledger", "seed-fleet", "examples/fleet-contoso.csv", "--ledger", ledger]).status == 0)
        let commit = try run(["screen", "examples/uveu-2025.csv", "--regime", "ai-diffusion-2025", "--commit", "--ledger", ledger, "--format", "csv"])
        #expect(commit.status == 0, "\(commit.stderr)")
        #expect(commit.stdout.contains("uveu/Contoso Cloud/AE"))
        #expect(try run(["ledger", "verify", "--ledger", ledger]).status == 0)
    }

    @Test("Reservations and history from the command line")
    func reservationsCLI() throws {
        let ledger = FileManager.default.temporaryDirectory.appendingPathComponent("l-\(UUID()).sqlite").path
        let reserve = try run(["ledger", "reserve", "APP-1", "--cap", "country_allocation/IN", "--tpp", "15832000", "--expires", "2026-12-31", "--as-of", "2026-06-01", "--ledger", ledger])
        #expect(reserve.status == 0 && reserve.stdout.hasPrefix("reserved APP-1 until 2026-12-31T00:00:00Z"))
        let show = try run(["ledger", "show", "--ledger", ledger, "--format", "csv"])
        #expect(show.stdout.contains("country_allocation/IN,country_allocation,0,15832000,790000000,774168000,0"))
        #expect(try run(["ledger", "grant", "APP-1", "--ledger", ledger]).stdout.hasPrefix("granted APP-1"))
        let history = try run(["ledger", "history", "country_allocation/IN", "--as-of", "2099-01-01", "--ledger", ledger, "--format", "json"])
        #expect(history.stdout.contains("\"confirmed\":15832000,\"reserved\":0,\"limit\":790000000,\"events\":2"))
        let unknown = try run(["ledger", "history", "lpp/Nobody/2026", "--ledger", ledger])
        #expect(unknown.status == 1 && unknown.stderr.contains("\"Nobody\" is not a holder"))
        #expect(try run(["ledger", "deny", "APP-1", "--ledger", ledger]).status == 1)
        // No country allocation is defined after 2027 (the window of 742.6(b)(10)(iii)(B)).
        let late = try run(["ledger", "reserve", "APP-2", "--cap", "country_allocation/IN", "--tpp", "1", "--expires", "2029-01-01", "--as-of", "2028-01-05", "--ledger", ledger])
        #expect(late.stdout.contains("refused APP-2: no limit is defined for country_allocation/IN on 2028-01-05"))
        #expect(try run(["ledger", "verify", "--ledger", ledger]).status == 0)
    }

    @Test("Bad ledger input: negative fleet TPP, malformed URL, a database that is not ours: exit 1, nothing written")
    func badLedgerInput() throws {
        let ledger = FileManager.default.temporaryDirectory.appendingPathComponent("l-\(UUID()).sqlite").path
        let fleet = try temporaryFile("fleet.csv", "holder,country,tpp\nContoso,US,1000\nContoso,IN,-5\n")
        let seeded = try run(["ledger", "seed-fleet", fleet, "--ledger", ledger])
        #expect(seeded.status == 1 && seeded.stderr.contains(":3: column \"tpp\"") && seeded.stderr.contains("must not be negative"))
        #expect(!FileManager.default.fileExists(atPath: ledger))
        let url = try run(["ledger", "show", "--ledger", "postgres://me:pw@localhost:port/db"])
        #expect(url.status == 1 && url.stderr.contains("malformed PostgreSQL URL") && !url.stderr.contains("pw"))
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("o-\(UUID()).sqlite").path
        try DatabaseQueue(path: other).write { try $0.execute(sql: "CREATE TABLE customers (id INTEGER)") }
        let notOurs = try run(["screen", "examples/deals-2023-2026.csv", "--regime", "ai-diffusion-2025", "--commit", "--ledger", other])
        #expect(notOurs.status == 1 && notOurs.stderr.contains("not an ai-diffusion ledger") && notOurs.stdout.isEmpty)
        #expect(try DatabaseQueue(path: other).read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") } == ["customers"])
    }

    @Test("A dry run reads the ledger's balances: after committing P05/P09, 49,000 more H100 to India are denied")
    func dryRunUsesLedger() throws {
        let ledger = FileManager.default.temporaryDirectory.appendingPathComponent("l-\(UUID()).sqlite").path
        _ = try run(["screen", "examples/deals-2023-2026.csv", "--regime", "ai-diffusion-2025", "--commit", "--ledger", ledger])
        let file = try temporaryFile("more.csv", "id,date,item,quantity,destination,consignee,consignee_hq\nX,2025-10-01,H100,34000,IN,C,IN\n")
        let result = try run(["screen", file, "--regime", "ai-diffusion-2025", "--format", "csv", "--ledger", ledger])
        // 256,351,744 + 34,000 x 15,832 = 794,639,744 > 790,000,000.
        #expect(result.stdout.contains("policy_of_denial"))
    }

    @Test("classify chip --all --format jsonl covers every catalog chip")
    func classifyAll() throws {
        let result = try run(["classify", "chip", "--all", "--format", "jsonl", "--as-of", "2025-06-01"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count >= 170)
        #expect(lines.contains { $0.contains("\"name\":\"NVIDIA H100 SXM5 80GB\"") && $0.contains("\"eccn\":\"3A090.a\"") })
    }

    @Test("classify chip with figures: the RTX 4090D (4,707 TPP, 609 mm², consumer) is not 3A090")
    func classifyFigures() throws {
        let result = try run(["classify", "chip", "--tpp", "4707", "--die-area", "609", "--consumer", "--as-of", "2024-01-01", "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"eccn\":\"not-3A090\""))
        #expect(try run(["classify", "chip", "H1OO"]).stderr.contains("did you mean"))
    }

    @Test("--compare prints both determinations per row and a summary")
    func compare() throws {
        let result = try run(["screen", "examples/deals-2023-2026.csv", "--compare", "enforced,ai-diffusion-2025", "--format", "jsonl"])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 18)
        #expect(result.stderr.contains("10 of 18 rows change between enforced and ai-diffusion-2025"))
    }

    @Test("A user pack (examples/packs/gulf-g2g.yaml) is a regime: Saudi Arabia's doubled allocation covers HUMAIN's GB300s")
    func userPack() throws {
        let result = try run(["screen", "examples/deals-2023-2026.csv", "--compare", "ai-diffusion-2025,examples/packs/gulf-g2g.yaml", "--format", "csv"])
        #expect(result.status == 0)
        // P06: 18,000 GB300 = 1,100,160,000 TPP: over 790,000,000, within 1,580,000,000.
        let p06 = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("P06,") })
        #expect(p06.contains("policy_of_denial") && p06.contains("country_allocation/SA=1100160000"))
    }

    @Test("rules tiers and rules diff")
    func rules() throws {
        let tiers = try run(["rules", "tiers", "--as-of", "2025-06-01", "--format", "csv"])
        #expect(tiers.stdout.contains("\nCN,China,3,"))
        #expect(tiers.stdout.contains("\nHK,Hong Kong,3,"))
        let diff = try run(["rules", "diff", "enforced@2025-11-06", "enforced@2025-11-07", "--format", "csv"])
        #expect(diff.stdout.contains("group,D:5 KH,member,"))
        #expect(try run(["rules", "tiers", "--as-of", "2025-13-01"]).status == 1)
    }
}
