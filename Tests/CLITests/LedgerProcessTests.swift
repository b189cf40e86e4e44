import SeededRandom
import AllocationLedger
import Foundation
import GRDB
import Testing

/// Ledger locations for process tests: SQLite always; PostgreSQL when AI_DIFFUSION_TEST_POSTGRES_URL is set.
enum ProcessBackend: String, CustomStringConvertible, Sendable {
    case sqlite, postgres
    var description: String { rawValue }

    static var all: [ProcessBackend] {
        (ProcessInfo.processInfo.environment["AI_DIFFUSION_TEST_POSTGRES_URL"] ?? "").isEmpty ? [.sqlite] : [.sqlite, .postgres]
    }

    func newLocation() throws -> String {
        switch self {
        case .sqlite:
            return FileManager.default.temporaryDirectory.appendingPathComponent("p-\(UUID()).sqlite").path
        case .postgres:
            let url = ProcessInfo.processInfo.environment["AI_DIFFUSION_TEST_POSTGRES_URL"]!
            let name = "p_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try PostgresAdmin.execute(url: url, "CREATE DATABASE \(name)")
            return try PostgresAdmin.url(url, database: name)
        }
    }

    func strings(_ location: String, _ sql: String) throws -> [String] {
        switch self {
        case .sqlite: return try DatabaseQueue(path: location).read { try String.fetchAll($0, sql: sql) }
        case .postgres: return try PostgresAdmin.strings(url: location, sql)
        }
    }
}

/// A child `ai-diffusion` process with stdout going to a new file (nil: discarded).
func spawn(_ arguments: [String], stdout: String?, environment extra: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
    var environment = ProcessInfo.processInfo.environment
    for (key, value) in extra { environment[key] = value }
    process.environment = environment
    if let stdout {
        FileManager.default.createFile(atPath: stdout, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: stdout)
    } else {
        process.standardOutput = FileHandle.nullDevice
    }
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}


@Suite("Allocation ledger under load and faults (separate processes)", .serialized)
struct LedgerProcessTests {
    @Test("32 writers race 10,000 debits each at one cap: never over the limit, granted debits sum to the balance", arguments: ProcessBackend.all)
    func race(backend: ProcessBackend) throws {
        let location = try backend.newLocation()
        let key = FileManager.default.temporaryDirectory.appendingPathComponent("race-\(UUID()).ed25519").path
        _ = try Ledgers.open(location, create: true, signingKey: key)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("race-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var amounts: [String: Int64] = [:]
        var processes: [(Process, String)] = []
        for writer in 0..<32 {
            var csv = "key,cap,tpp\n"
            for i in 0..<10_000 {
                let amount = Int64(50 + (writer * 7919 + i * 37) % 101)   // 50..150 TPP; 32 x 10,000 x ~100 > 26,900,000
                amounts["w\(writer)-\(i)"] = amount
                csv += "w\(writer)-\(i),lpp/Racer/2026,\(amount)\n"
            }
            let file = directory.appendingPathComponent("w\(writer).csv").path
            try csv.write(toFile: file, atomically: true, encoding: .utf8)
            let out = directory.appendingPathComponent("w\(writer).out").path
            processes.append((try spawn(["ledger", "debit", file, "--batch", "100", "--format", "csv", "--as-of", "2026-06-01",
                                         "--ledger", location, "--signing-key", key], stdout: out), out))
        }
        var granted: Int64 = 0, grantedCount = 0, refusedCount = 0
        for (process, out) in processes {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            for line in try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                if fields[1] == "true" { granted += amounts[String(fields[0])]! * 1000; grantedCount += 1 } else { refusedCount += 1 }
            }
        }
        #expect(grantedCount + refusedCount == 320_000)
        #expect(refusedCount > 0, "the cap was never reached")
        let used = Int64(try backend.strings(location, "SELECT CAST(used_milli AS TEXT) FROM caps WHERE cap = 'lpp/Racer/2026'")[0])!
        #expect(used == granted)
        #expect(used <= 26_900_000_000)
        #expect(used > 26_900_000_000 - 150_000, "the cap was not filled: \(used)")
        let report = try Ledgers.open(location, create: false, signingKey: key).verify()
        #expect(report.ok, "\(report.problems.prefix(3))")
        #expect(report.events == 320_000)
    }

    @Test("SIGKILL at random points, 100 times: nothing committed is lost or partial, verify passes", arguments: ProcessBackend.all)
    func crash(backend: ProcessBackend) throws {
        let location = try backend.newLocation()
        let key = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID()).ed25519").path
        _ = try Ledgers.open(location, create: true, signingKey: key)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var random = SplitMix64(seed: 20_250_113)
        var printed = Set<String>()
        var killedMidway = 0
        let perRun = 600, batch = 40
        // Calibrate: how long one uninterrupted run of each kind takes here (debug builds, a loaded
        // machine), so the kills land anywhere from start-up to the last commit.
        func timed(_ arguments: [String]) throws -> UInt32 {
            let start = DispatchTime.now().uptimeNanoseconds
            let process = try spawn(arguments, stdout: nil)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            return UInt32((DispatchTime.now().uptimeNanoseconds - start) / 1000)
        }
        var calibration = "key,cap,tpp\n"
        for i in 0..<perRun { calibration += "k-cal-\(i),lpp/Calibration/2026,1\n" }
        let calibrationFile = directory.appendingPathComponent("calibration.csv").path
        try calibration.write(toFile: calibrationFile, atomically: true, encoding: .utf8)
        let debitMicros = try timed(["ledger", "debit", calibrationFile, "--batch", String(batch), "--as-of", "2026-06-01",
                                     "--ledger", location, "--signing-key", key])
        let screenMicros = try timed(["screen", "examples/deals-2023-2026.csv", "--regime", "ai-diffusion-2025", "--commit",
                                      "--ledger", location, "--signing-key", key])
        var screenFiles: [(run: Int, sha: String, rows: Int, out: String)] = []
        for run in 0..<100 {
            let process: Process
            let out = directory.appendingPathComponent("c\(run).out").path
            if run % 5 == 4 {
                // Every fifth kill lands on `screen --commit`: one transaction of 50 determinations with receipts.
                var csv = "id,date,item,quantity,destination,consignee,consignee_hq\n"
                for i in 0..<50 { csv += "S\(run)-\(i),2025-06-01,H100,\(1 + i % 20),IN,Crash Co \(run),IN\n" }
                let file = directory.appendingPathComponent("s\(run).csv").path
                try csv.write(toFile: file, atomically: true, encoding: .utf8)
                screenFiles.append((run, try Digest.sha256Hex(fileAt: file), 50, out))
                process = try spawn(["screen", file, "--regime", "ai-diffusion-2025", "--commit", "--format", "jsonl",
                                     "--ledger", location, "--signing-key", key], stdout: out)
            } else {
                var csv = "key,cap,tpp\n"
                for i in 0..<perRun { csv += "c\(run)-\(i),lpp/P\(run % 7)/2026,1\n" }
                let file = directory.appendingPathComponent("c\(run).csv").path
                try csv.write(toFile: file, atomically: true, encoding: .utf8)
                process = try spawn(["ledger", "debit", file, "--batch", String(batch), "--format", "csv", "--as-of", "2026-06-01",
                                     "--ledger", location, "--signing-key", key], stdout: out)
            }
            let full = run % 5 == 4 ? screenMicros : debitMicros
            usleep(UInt32(random.next() % UInt64(full + full / 10)))   // 0 to 110% of an uninterrupted run
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { killedMidway += 1 }
            if run % 5 != 4 {
                for line in try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst() {
                    printed.insert(String(line.split(separator: ",")[0]))
                }
            }
        }
        let keys = try backend.strings(location, "SELECT idempotency_key FROM events")
        // A screen run is whole or absent; one that printed its determinations (after committing) is whole.
        for file in screenFiles {
            let count = keys.filter { $0.hasPrefix(file.sha + "/") }.count
            #expect(count == 0 || count == file.rows, "screen run \(file.run): \(count) of \(file.rows) rows recorded")
            let printedRows = try String(contentsOfFile: file.out, encoding: .utf8).split(separator: "\n").count
            if printedRows == file.rows { #expect(count == file.rows, "screen run \(file.run) printed its results but is not in the ledger") }
        }
        #expect(try backend.strings(location, "SELECT CAST(COUNT(*) AS TEXT) FROM receipts")[0]
                == String(keys.filter { !$0.hasPrefix("debit/") }.count))   // every determination has its receipt
        let recorded = Set(keys.filter { $0.hasPrefix("debit/c") }.map { String($0.dropFirst("debit/".count)) })
        // Every result a process printed (after its transaction committed) is in the ledger.
        #expect(printed.subtracting(recorded).isEmpty)
        // Each run's transactions are whole and in order: a prefix of whole batches.
        for run in 0..<100 where run % 5 != 4 {
            let count = (0..<perRun).filter { recorded.contains("c\(run)-\($0)") }.count
            #expect(count % batch == 0, "run \(run): \(count) debits recorded, not whole batches")
            #expect((0..<count).allSatisfy { recorded.contains("c\(run)-\($0)") })
        }
        #expect(killedMidway >= 50, "too few kills landed while the process ran (\(killedMidway))")
        let report = try Ledgers.open(location, create: false, signingKey: key).verify()
        #expect(report.ok, "\(report.problems.prefix(3))")
        let used = try backend.strings(location, "SELECT CAST(SUM(used_milli) AS TEXT) FROM caps WHERE cap LIKE 'lpp/P_/2026'")[0]
        #expect(Int64(used) ?? 0 == Int64(recorded.count) * 1000)
    }
}
