import AllocationLedger
import ArgumentParser
import ComputeMetrics
import DiffusionRules
import Foundation
import Screening
import TabularIO

/// `bench ledger`: committed debits per second on SQLite and, with a PostgreSQL server, on
/// PostgreSQL next to `pgbench -b simple-update` on the same server in the same run.
struct BenchLedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Ledger speed: committed debits/s on SQLite and PostgreSQL, and pgbench simple-update on the same server.",
        discussion: """
        Targets: SQLite >= 20,000 committed debits/s batched (issue 4); PostgreSQL >= 0.5 of pgbench's \
        simple-update TPS with the same number of clients, for single-debit transactions (one round trip \
        each: issue 11) and batched ones. SQLite single-debit commits are reported. Each debit is an \
        idempotent, all-or-none request with its own hash-chained event, checked against its cap's limit. \
        Throwaway databases are created on the server of --postgres (or $AI_DIFFUSION_BENCH_POSTGRES_URL) \
        and dropped afterwards. scripts/bench-peers.sh starts a throwaway server and runs this.
        """)
    @Option(name: .long, help: "Debits per measurement.") var debits: Int = 200_000
    @Option(name: .long, help: "Requests per transaction in the batched measurements.") var batch: Int = 1000
    @Option(name: .long, help: "Concurrent PostgreSQL connections (and pgbench clients).") var clients: Int = 8
    @Option(name: .long, help: "Seconds for each PostgreSQL measurement and for pgbench.") var seconds: Int = 10
    @Option(name: .long, help: ArgumentHelp("PostgreSQL server to measure (a database on it that the user may create databases from).", valueName: "url"))
    var postgres: String?

    func run() throws {
        let limits = try CapRegimeOption.lookup("ai-diffusion-2025")
        let day = Day("2026-06-01")!
        var table = TextTable(header: ["MEASURE", "DEBITS", "SECONDS", "RATE", "TARGET", "MET"], rightAligned: [1, 2, 3])

        // SQLite, batched and one per transaction.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ai-diffusion-bench-ledger-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlite = try SQLiteLedger(path: directory.appendingPathComponent("bench.sqlite").path, create: true)
        let batched = try measure(count: debits, batch: batch, prefix: "b", ledger: sqlite, limits: limits, day: day)
        let sqliteRate = Double(debits) / batched
        table.add(["SQLite, \(batch) debits/transaction", String(debits), format(batched), "\(Int(sqliteRate))/s", ">= 20000/s", sqliteRate >= 20_000 ? "yes" : "no"])
        let singles = min(debits, 2_000)
        let single = try measure(count: singles, batch: 1, prefix: "s", ledger: sqlite, limits: limits, day: day)
        table.add(["SQLite, 1 debit/transaction (fsync each)", String(singles), format(single), "\(Int(Double(singles) / single))/s", "-", "-"])
        let report = try sqlite.verify()
        guard report.ok else { throw InputError("bench: SQLite ledger does not verify: \(report.problems.first ?? "")") }

        var notes: [String] = []
        if let url = postgres ?? ProcessInfo.processInfo.environment["AI_DIFFUSION_BENCH_POSTGRES_URL"], !url.isEmpty {
            notes = try postgresRows(url: url, limits: limits, day: day, into: &table)
        } else {
            notes.append("PostgreSQL: not measured (give --postgres URL or AI_DIFFUSION_BENCH_POSTGRES_URL)")
        }
        print("bench ledger: debits of 1 TPP against lpp/<parent>/2026 caps (limit 26,900,000 TPP each), debug builds are ~3-5x slower")
        print(table.render(), terminator: "")
        notes.forEach { print($0) }
    }

    private func format(_ seconds: Double) -> String { String(format: "%.2f", seconds) }

    /// Seconds to submit `count` debits in transactions of `batch`, spread over 500 LPP caps.
    private func measure(count: Int, batch: Int, prefix: String, ledger: any AllocationLedger, limits: CapLimitLookup, day: Day) throws -> Double {
        let requests = (0..<count).map { i in
            DebitRequest(key: "\(prefix)-\(i)", debits: [Debit(cap: .lpp(parent: "Parent-\(i % 500)", year: 2026), tpp: TPP(whole: 1))], date: day)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        var index = 0
        while index < requests.count {
            let results = try ledger.debit(Array(requests[index..<min(index + batch, requests.count)]), at: LedgerClock.now, limits: limits)
            if results.contains(where: { !$0.granted }) { throw InputError("bench: a debit was refused") }
            index += batch
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Debits/s with `clients` connections for `seconds`, then pgbench on the same server.
    private func postgresRows(url: String, limits: CapLimitLookup, day: Day, into table: inout TextTable) throws -> [String] {
        let name = "ai_diffusion_bench_\(getpid())"
        try PostgresAdmin.execute(url: url, "CREATE DATABASE \(name)")
        defer { try? PostgresAdmin.execute(url: url, "DROP DATABASE IF EXISTS \(name)") }
        let ledgerURL = try PostgresAdmin.url(url, database: name)
        _ = try PostgresLedger(url: ledgerURL, create: true, signingKey: FileManager.default.temporaryDirectory.appendingPathComponent("\(name).ed25519").path)

        var rates: [(String, Double, Int, Double)] = []
        for size in [1, batch] {
            let (count, elapsed) = try timedClients(url: ledgerURL, batch: size, limits: limits, day: day)
            rates.append(("PostgreSQL, \(clients) connections, \(size) debit\(size == 1 ? "" : "s")/transaction", Double(count) / elapsed, count, elapsed))
        }
        let verify = try PostgresLedger(url: ledgerURL, create: false, signingKey: FileManager.default.temporaryDirectory.appendingPathComponent("\(name).ed25519").path).verify()
        guard verify.ok else { throw InputError("bench: PostgreSQL ledger does not verify: \(verify.problems.first ?? "")") }

        let tps = try pgbench(url: url)
        for (label, rate, count, elapsed) in rates {
            let ratio = rate / tps
            table.add([label, String(count), format(elapsed), "\(Int(rate))/s", ">= 0.5 x pgbench", String(format: "%@ (%.2f x)", ratio >= 0.5 ? "yes" : "no", ratio)])
        }
        table.add(["pgbench -b simple-update, \(clients) clients", "-", String(seconds), "\(Int(tps)) tps", "-", "-"])
        return ["PostgreSQL: \((try? PostgresAdmin.parts(url)).map { "\($0.host):\($0.port)" } ?? url); pgbench and the ledger ran against the same server in this run"]
    }

    private func timedClients(url: String, batch: Int, limits: CapLimitLookup, day: Day) throws -> (Int, Double) {
        let ledgers = try (0..<clients).map { _ in try PostgresLedger(url: url, create: false) }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds) * 1_000_000_000
        let counts = LockedCounts(clients)
        let failure = LockedError()
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: clients) { client in
            var n = 0
            while DispatchTime.now().uptimeNanoseconds < deadline {
                let requests = (0..<batch).map { i in
                    DebitRequest(key: "pg-\(batch)-\(client)-\(n + i)",
                                 debits: [Debit(cap: .lpp(parent: "Parent-\((n + i) % 500)-\(client)", year: 2026), tpp: TPP(whole: 1))], date: day)
                }
                do {
                    _ = try ledgers[client].debit(requests, at: LedgerClock.now, limits: limits)
                } catch {
                    failure.set(error)
                    break
                }
                n += batch
            }
            counts.set(client, n)
        }
        if let error = failure.error { throw error }
        return (counts.total, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// `pgbench -b simple-update` TPS on a throwaway database of the same server.
    private func pgbench(url: String) throws -> Double {
        let parts = try PostgresAdmin.parts(url)
        let name = "ai_diffusion_pgbench_\(getpid())"
        try PostgresAdmin.execute(url: url, "CREATE DATABASE \(name)")
        defer { try? PostgresAdmin.execute(url: url, "DROP DATABASE IF EXISTS \(name)") }
        let common = ["-h", parts.host, "-p", String(parts.port), "-U", parts.user]
        _ = try runTool("pgbench", ["-i", "-q", "-s", "1"] + common + [name])
        let output = try runTool("pgbench", ["-b", "simple-update", "-n", "-c", String(clients), "-j", "2", "-T", String(seconds)] + common + [name])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
              let value = Double(line.dropFirst(6).split(separator: " ").first ?? "") else {
            throw InputError("bench: could not read pgbench's tps from its output")
        }
        return value
    }

    private func runTool(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        do { try process.run() } catch { throw InputError("bench: cannot run \(tool): \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw InputError("bench: \(tool) failed: \(text.split(separator: "\n").last ?? "")") }
        return text
    }
}

/// The first error of concurrent workers.
final class LockedError: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: (any Error)?
    func set(_ error: any Error) {
        lock.lock()
        if self.error == nil { self.error = error }
        lock.unlock()
    }
}

/// Per-worker counters shared with concurrent workers.
final class LockedCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int]
    init(_ count: Int) { values = Array(repeating: 0, count: count) }
    func set(_ index: Int, _ value: Int) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }
    var total: Int {
        lock.lock()
        defer { lock.unlock() }
        return values.reduce(0, +)
    }
}
