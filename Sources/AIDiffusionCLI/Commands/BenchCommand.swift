import ArgumentParser
import DiffusionRules
import Foundation
import Screening
import TabularIO

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks with their targets (run a release build: swift build -c release).",
        subcommands: [BenchScreenCommand.self, SimulateBenchCommand.self, BenchCloudCommand.self, BenchLedgerCommand.self,
                      BenchPartiesCommand.self, BenchServeCommand.self, BenchHelloServerCommand.self]
    )
}

/// `bench screen`: the screening engine against the targets of issue 11, with a hand-written Python
/// peer of the same policy on the same rows in the same run.
struct BenchScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Screening speed and memory against the targets of issue 11, next to a plain-Python peer.",
        discussion: """
        Targets (issue 11): >= 10,000,000 determinations/s in memory on one core, and >= 6 x the Python \
        peer (scripts/peer_screen.py: the same policy hand-written with dict look-ups) on the same rows in \
        the same run; >= 750,000 rows/s CSV -> JSONL end to end on 2 cores; peak memory < 100 MB for a \
        10,000,000-row file; `classify chip H100` cold start < 15 ms.

        Rows: the seeded synthetic file (2023-2026, every tier, LPP, allocations, UVEU/NVEU holders). The \
        peer's rows are the same generator's rows dated 2025-02..12 (the framework as written, which the \
        peer implements); the engine is timed on them too, and both outcomes of every row must agree.
        """
    )
    @Option(name: .long, help: "Synthetic rows (in memory and end to end).") var rows: Int = 1_000_000
    @Option(name: .customLong("memory-rows"), help: "Rows of the file whose peak memory is measured (0: skip).") var memoryRows: Int = 10_000_000
    @Option(name: .long, help: "Seed of the synthetic rows.") var seed: UInt64 = 42
    @Option(name: .long, help: "Regime.") var regime: String = "ai-diffusion-2025"
    @Option(name: .customLong("cold-runs"), help: "Runs of `classify chip H100` for the cold-start median.") var coldRuns: Int = 21
    @Option(name: .customLong("write-csv"), help: "Also write the synthetic transactions to this file (to reproduce a run).")
    var writeCSV: String?
    @Option(name: .long, help: "Passes of each timed measurement; the median is reported.") var passes: Int = 3
    @Option(name: .long, help: ArgumentHelp("The peer: a Python interpreter and script (empty: skip).", valueName: "command"))
    var peer: String = "python3 scripts/peer_screen.py"

    func run() throws {
        var context = try RuleContext.load()
        let compiled = try context.compile(regime)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ai-diffusion-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csvPath = directory.appendingPathComponent("synthetic.csv").path
        try SyntheticTransactions.write(rows: rows, seed: seed, to: csvPath)
        if let writeCSV { try SyntheticTransactions.write(rows: rows, seed: seed, to: writeCSV) }
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        print("bench screen: \(rows) synthetic rows (seed \(seed)), regime \(compiled.id); load average \(loadAverage()) at the start")

        // Children first, while this process is small.
        // 1. Peak memory of a large file, CSV -> JSONL (one child, its own peak RSS from wait4).
        var peakKB = 0, bigSeconds = 0.0
        if memoryRows > 0 {
            let big = directory.appendingPathComponent("memory.csv").path
            try SyntheticTransactions.write(rows: memoryRows, seed: seed, to: big)
            (bigSeconds, peakKB) = try timeChildProcess(executable, ["screen", big, "--regime", regime, "--format", "jsonl"])
            try? FileManager.default.removeItem(atPath: big)
        }
        // 2. End to end, CSV -> JSONL to /dev/null.
        var e2eRuns: [Double] = []
        for _ in 0..<max(1, passes) {
            e2eRuns.append(try timeChildProcess(executable, ["screen", csvPath, "--regime", regime, "--format", "jsonl"]).seconds)
        }
        let e2eSeconds = median(e2eRuns)
        // 3. Cold start of classify chip H100.
        var times: [Double] = []
        for _ in 0..<max(1, coldRuns) { times.append(try timeChildProcess(executable, ["classify", "chip", "H100"]).seconds) }
        let coldMS = median(times) * 1000

        // 4. Decisions in memory, one core (reading not timed).
        let file = try TransactionReader.read(path: csvPath, book: context.book)
        let (memorySeconds, memoryRuns, licences, memoryCPU) = decideInMemory(file, compiled)
        let memoryRate = Double(file.transactions.count) / memorySeconds

        // 5. The peer and the engine on the peer's rows.
        var peerLines: [String] = []
        var ratioRow: [String]?
        if !peer.isEmpty {
            let peerRows = directory.appendingPathComponent("peer-rows.csv").path
            try SyntheticTransactions.write(rows: rows, seed: seed, years: 2025...2025, months: 2...12, to: peerRows)
            let inputs = directory.appendingPathComponent("peer-inputs.json").path
            try PeerInputs.write(regime: try context.compile("ai-diffusion-2025"), book: context.book,
                                 items: SyntheticTransactions.items, from: Day("2025-01-13")!, through: Day("2025-12-31")!, to: inputs)
            let result = try runPeer(inputs: inputs, rows: peerRows)
            let peerFile = try TransactionReader.read(path: peerRows, book: context.book)
            let aidf = try context.compile("ai-diffusion-2025")
            let (engineSeconds, engineRuns, _, _) = decideInMemory(peerFile, aidf)
            let engineRate = Double(peerFile.transactions.count) / engineSeconds
            let agree = PeerInputs.digest(peerFile, aidf) == result.digest
            let ratio = engineRate / result.rate
            peerLines = [
                "  peer (\(peer)): \(result.rows) rows dated 2025-02..12 under ai-diffusion-2025, median \(format3(result.seconds)) s (runs \(result.runs.map(format3).joined(separator: ", "))) = \(Int(result.rate)) rows/s",
                "  engine on the same rows: median \(format3(engineSeconds)) s (runs \(engineRuns.map(format3).joined(separator: ", "))) = \(Int(engineRate)) rows/s; ratio \(String(format: "%.1f", ratio)) x",
                "  outcome of every row (authorization, review policy, debit): \(agree ? "the peer and the engine agree" : "THE PEER AND THE ENGINE DISAGREE")",
            ]
            ratioRow = ["engine / Python peer, same rows, 1 core", String(format: "%.1f x", ratio), ">= 6 x", ratio >= 6 && agree ? "yes" : "no"]
        }

        let e2eRate = Double(rows) / e2eSeconds
        var table = TextTable(header: ["MEASURE", "VALUE", "TARGET", "MET"], rightAligned: [1])
        table.add(["determinations in memory, 1 core", "\(Int(memoryRate)) rows/s", ">= 10000000 rows/s", memoryRate >= 10_000_000 ? "yes" : "no"])
        if let ratioRow { table.add(ratioRow) }
        table.add(["CSV -> JSONL end to end, 2 cores", "\(Int(e2eRate)) rows/s", ">= 750000 rows/s", e2eRate >= 750_000 ? "yes" : "no"])
        if memoryRows > 0 {
            table.add(["peak memory, \(memoryRows)-row file", "\(peakKB / 1024) MB", "< 100 MB", peakKB < 100 * 1024 ? "yes" : "no"])
        }
        table.add(["classify chip H100 cold start (median of \(times.count))", String(format: "%.1f ms", coldMS), "< 15 ms", coldMS < 15 ? "yes" : "no"])
        print("  in memory (\(licences) rows need a licence): median \(format3(memorySeconds)) s (runs \(memoryRuns.map(format3).joined(separator: ", "))); thread CPU time \(format3(memoryCPU)) s = \(Int(Double(rows) / memoryCPU)) rows per CPU-second")
        print("  end to end: median \(format3(e2eSeconds)) s (runs \(e2eRuns.map(format3).joined(separator: ", ")))")
        if memoryRows > 0 { print("  \(memoryRows) rows end to end: \(format3(bigSeconds)) s, peak RSS \(peakKB / 1024) MB") }
        peerLines.forEach { print($0) }
        print(table.render(), terminator: "")
        print("load average \(loadAverage()) at the end")
    }

    private func format3(_ value: Double) -> String { String(format: "%.3f", value) }

    private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// Median seconds of `passes` runs of the decision loop over rows in memory (a fresh screener
    /// each): wall time, and the thread's CPU time (what one core spent, whatever else the machine runs).
    private func decideInMemory(_ file: TransactionFile, _ regime: CompiledRegime) -> (Double, [Double], Int, cpu: Double) {
        var runs: [Double] = [], cpu: [Double] = []
        var licences = 0
        for _ in 0..<max(1, passes) {
            let screener = Screener(regime: regime, items: file.items, parties: file.parties, snapshot: .empty)
            licences = 0
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = threadCPUSeconds()
            for transaction in file.transactions where screener.decide(transaction).licenseRequired { licences += 1 }
            runs.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            cpu.append(threadCPUSeconds() - cpuStart)
        }
        return (median(runs), runs, licences, median(cpu))
    }

    private func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private struct PeerResult: Decodable {
        var rows: Int
        var seconds: Double
        var runs: [Double]
        var rate: Double
        var digest: String
    }

    private func runPeer(inputs: String, rows: String) throws -> PeerResult {
        let parts = peer.split(separator: " ").map(String.init)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = parts + ["--inputs", inputs, "--passes", String(max(1, passes)), rows]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw InputError("bench: cannot run the peer \(peer): \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let problem = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let result = try? JSONDecoder().decode(PeerResult.self, from: data) else {
            throw InputError("bench: the peer failed: \(String(decoding: problem, as: UTF8.self).split(separator: "\n").last ?? "")")
        }
        return result
    }

    private func loadAverage() -> String {
        var loads = [Double](repeating: 0, count: 3)
        guard getloadavg(&loads, 3) == 3 else { return "?" }
        return String(format: "%.2f", loads[0])
    }
}
