import AllocationLedger
import ArgumentParser
import ComplianceServer
import ComplianceService
import Foundation
import RuleData
import Screening
import TabularIO
#if canImport(Glibc)
import Glibc
#endif

/// `bench serve`: the service's speed under wrk on loopback, next to a Hummingbird hello-world
/// route measured the same way in the same run.
struct BenchServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Service speed: single-row dry runs vs a Hummingbird hello-world route, 10,000-row requests, commits/s.",
        discussion: """
        Targets (issue 9): single-row dry-run screening >= 50% of the requests/s of a Hummingbird \
        hello-world route measured in the same run; 10,000-row requests >= 200,000 rows/s; commits per \
        second on SQLite and, with --postgres (or $AI_DIFFUSION_BENCH_POSTGRES_URL), on PostgreSQL. \
        Each server runs in its own process; the load comes from wrk (Debian package `wrk`) on loopback.
        """)
    @Option(name: .long, help: "Seconds of each measurement.") var seconds = 10
    @Option(name: .long, help: "Concurrent connections for the single-row and commit measurements.") var connections = 16
    @Option(name: .customLong("wrk-threads"), help: "wrk threads.") var wrkThreads = 1
    @Option(name: .long, help: ArgumentHelp("PostgreSQL server for the commit measurement (a database is created on it).", valueName: "url"))
    var postgres: String?

    /// One wrk run's figures.
    struct Load {
        var requestsPerSecond: Double
        var p50: Double
        var p99: Double
        var non2xx: Int
        var requests: Int
        /// The server process's CPU time (user + system) per request, seconds: unlike the rates,
        /// it hardly depends on what else the machine is doing.
        var cpuPerRequest: Double = .nan
    }

    /// A process's CPU time so far (user + system, seconds), from /proc.
    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return .nan }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// wrk against a server process, with the server's CPU time per request.
    static func wrk(_ path: String, _ arguments: [String], server: ServerProcess) throws -> Load {
        let before = cpuSeconds(server.process.processIdentifier)
        var load = try wrk(path, arguments)
        load.cpuPerRequest = (cpuSeconds(server.process.processIdentifier) - before) / Double(max(1, load.requests))
        return load
    }

    func run() throws {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw InputError("bench serve needs wrk on loopback: apt-get install wrk")
        }
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ai-diffusion-bench-serve-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func file(_ name: String, _ text: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        // The SQLite ledger and a screener token (created before the server starts).
        let ledger = directory.appendingPathComponent("bench.sqlite").path
        let key = directory.appendingPathComponent("bench.ed25519").path
        let setup = try ComplianceService(book: try RuleBookLoader.loadBundled(), ledger: ledger, signingKey: key, create: true)
        let token = try setup.createToken(name: "bench", role: .screener, by: nil).secret

        let hello = try ServerProcess(executable: executable, arguments: ["bench", "hello-server", "--port", "0"])
        defer { hello.stop() }
        let server = try ServerProcess(executable: executable, arguments: ["serve", "--port", "0", "--ledger", ledger, "--signing-key", key])
        defer { server.stop() }

        let row = Self.row(id: "D-1", units: 1000, destination: "IN")
        let single = try file("single.lua", Self.post(token: token, body: "{\"regime\":\"ai-diffusion-2025\",\"rows\":[\(row)]}"))
        let big = try file("big.lua", Self.post(token: token, body: "{\"regime\":\"ai-diffusion-2025\",\"rows\":[" +
            (0..<10_000).map { Self.row(id: "D-\($0)", units: 1 + $0 % 900, destination: ["IN", "JP", "AE", "BR", "DE", "SG"][$0 % 6]) }
                .joined(separator: ",") + "]}"))
        let commits = try file("commit.lua", Self.commitScript(token: token))

        // Warm both servers (first requests compile regimes, fill caches), then measure.
        _ = try Self.wrk(wrk, ["-t1", "-c4", "-d2s", "http://127.0.0.1:\(hello.port)/hello"])
        _ = try Self.wrk(wrk, ["-t1", "-c4", "-d2s", "-s", single, "http://127.0.0.1:\(server.port)/v1/screenings"])
        let common = ["-t\(wrkThreads)", "-c\(connections)", "-d\(seconds)s", "--latency"]
        let helloLoad = try Self.wrk(wrk, common + ["http://127.0.0.1:\(hello.port)/hello"], server: hello)
        let singleLoad = try Self.wrk(wrk, common + ["-s", single, "http://127.0.0.1:\(server.port)/v1/screenings"], server: server)
        let bigLoad = try Self.wrk(wrk, ["-t1", "-c2", "-d\(seconds)s", "--timeout", "30s", "--latency", "-s", big, "http://127.0.0.1:\(server.port)/v1/screenings"],
                                   server: server)
        let sqliteCommits = try Self.wrk(wrk, common + ["-s", commits, "http://127.0.0.1:\(server.port)/v1/screenings", "--", "sqlite\(getpid())"], server: server)
        let verified = try setup.verify()

        var table = TextTable(header: ["MEASURE", "REQUESTS/S", "P50", "P99", "SERVER CPU/REQ", "TARGET", "MET"], rightAligned: [1, 2, 3, 4])
        func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }
        let ratio = singleLoad.requestsPerSecond / helloLoad.requestsPerSecond
        table.add(["Hummingbird hello-world GET /hello", String(format: "%.0f", helloLoad.requestsPerSecond), ms(helloLoad.p50), ms(helloLoad.p99),
                   ms(helloLoad.cpuPerRequest), "-", "-"])
        table.add(["single-row dry run POST /v1/screenings", String(format: "%.0f", singleLoad.requestsPerSecond), ms(singleLoad.p50), ms(singleLoad.p99),
                   ms(singleLoad.cpuPerRequest), ">= 50% of hello-world", String(format: "%.0f%% %@", ratio * 100, ratio >= 0.5 ? "yes" : "no")])
        let rowsPerSecond = bigLoad.requestsPerSecond * 10_000
        table.add(["10,000-row dry run (2 connections)", String(format: "%.1f", bigLoad.requestsPerSecond), ms(bigLoad.p50), ms(bigLoad.p99),
                   ms(bigLoad.cpuPerRequest), ">= 200000 rows/s", String(format: "%.0f rows/s %@", rowsPerSecond, rowsPerSecond >= 200_000 ? "yes" : "no")])
        table.add(["single-row commits, SQLite", String(format: "%.0f", sqliteCommits.requestsPerSecond), ms(sqliteCommits.p50), ms(sqliteCommits.p99),
                   ms(sqliteCommits.cpuPerRequest), "-", "-"])
        var notes: [String] = []
        if let url = postgres ?? ProcessInfo.processInfo.environment["AI_DIFFUSION_BENCH_POSTGRES_URL"], !url.isEmpty {
            let name = "bench_serve_\(getpid())"
            try PostgresAdmin.execute(url: url, "CREATE DATABASE \(name)")
            defer { try? PostgresAdmin.execute(url: url, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
            let location = try PostgresAdmin.url(url, database: name)
            let pgKey = directory.appendingPathComponent("pg.ed25519").path
            let pgSetup = try ComplianceService(book: setup.book, ledger: location, signingKey: pgKey, create: true)
            let pgToken = try pgSetup.createToken(name: "bench", role: .screener, by: nil).secret
            let pgServer = try ServerProcess(executable: executable, arguments: ["serve", "--port", "0", "--ledger", location, "--signing-key", pgKey])
            defer { pgServer.stop() }
            let pgScript = try file("commit-pg.lua", Self.commitScript(token: pgToken))
            let pg = try Self.wrk(wrk, common + ["-s", pgScript, "http://127.0.0.1:\(pgServer.port)/v1/screenings", "--", "pg\(getpid())"], server: pgServer)
            table.add(["single-row commits, PostgreSQL", String(format: "%.0f", pg.requestsPerSecond), ms(pg.p50), ms(pg.p99), ms(pg.cpuPerRequest), "-", "-"])
            let pgVerified = try pgSetup.verify()
            notes.append("PostgreSQL ledger after the run: \(pgVerified.events) events, verify \(pgVerified.ok ? "ok" : "FAILED")")
            if pg.non2xx > 0 { notes.append("PostgreSQL commits: \(pg.non2xx) non-2xx answers") }
        } else {
            notes.append("PostgreSQL commits: not measured (give --postgres URL or AI_DIFFUSION_BENCH_POSTGRES_URL)")
        }
        var load = [Double](repeating: 0, count: 3)
        getloadavg(&load, 3)
        print("bench serve: wrk -t\(wrkThreads) -c\(connections) -d\(seconds)s on loopback, each server in its own process; load average \(String(format: "%.2f", load[0])) at the end")
        print(table.render(), terminator: "")
        for (name, l) in [("hello", helloLoad), ("single-row", singleLoad), ("10,000-row", bigLoad), ("SQLite commits", sqliteCommits)] where l.non2xx > 0 {
            print("\(name): \(l.non2xx) non-2xx answers of \(l.requests)")
        }
        print("SQLite ledger after the run: \(verified.events) events, verify \(verified.ok ? "ok" : "FAILED")")
        notes.forEach { print($0) }
    }

    static func row(id: String, units: Int, destination: String) -> String {
        "{\"id\":\"\(id)\",\"date\":\"2025-06-02\",\"item\":\"H100 SXM\",\"quantity\":\"\(units)\",\"destination\":\"\(destination)\",\"consignee\":\"Consignee \(destination)\",\"consignee_hq\":\"\(destination)\"}"
    }

    static func post(token: String, body: String) -> String {
        """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "Bearer \(token)"
        wrk.body = [==[\(body)]==]
        """
    }

    /// Single-row commits with ids unique per run, thread and request (each is a new run).
    static func commitScript(token: String) -> String {
        """
        local threads = 0
        function setup(thread) threads = threads + 1; thread:set("tid", threads) end
        local n, prefix = 0, ""
        function init(args) prefix = (args[1] or "run") .. "-" .. tostring(wrk.thread:get("tid")) end
        local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer \(token)" }
        function request()
          n = n + 1
          local body = '{"regime":"ai-diffusion-2025","commit":true,"rows":[{"id":"' .. prefix .. '-' .. n ..
            '","date":"2025-06-02","item":"H100 SXM","quantity":"10","destination":"JP","consignee":"Bench KK","consignee_hq":"JP"}]}'
          return wrk.format("POST", "/v1/screenings", headers, body)
        end
        """
    }

    /// Runs wrk and reads requests/s, the 50th and 99th latency percentiles and non-2xx answers.
    static func wrk(_ path: String, _ arguments: [String]) throws -> Load {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        func value(after label: String) -> String? {
            guard let line = text.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }) else { return nil }
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(label.split(separator: " ").count).first.map(String.init)
        }
        func seconds(_ text: String?) -> Double {
            guard let text else { return .nan }
            for (suffix, scale) in [("us", 1e-6), ("ms", 1e-3), ("s", 1.0)] where text.hasSuffix(suffix) {
                return (Double(text.dropLast(suffix.count)) ?? .nan) * scale
            }
            return .nan
        }
        guard let rate = value(after: "Requests/sec:").flatMap(Double.init) else {
            throw InputError("wrk \(arguments.joined(separator: " ")) gave no figures: \(text.prefix(300))")
        }
        let requests = text.split(separator: "\n").first { $0.contains("requests in") }.flatMap { Int($0.trimmingCharacters(in: .whitespaces).split(separator: " ")[0]) } ?? 0
        return Load(requestsPerSecond: rate, p50: seconds(value(after: "50%")), p99: seconds(value(after: "99%")),
                    non2xx: value(after: "Non-2xx or 3xx responses:").flatMap(Int.init) ?? 0, requests: requests)
    }
}

/// `bench hello-server`: the peer of `bench serve`, a Hummingbird hello-world route in its own process.
struct BenchHelloServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hello-server", abstract: "Hummingbird hello-world (GET /hello), for bench serve.",
                                                    shouldDisplay: false)
    @Option(name: .long, help: "Port (0: any free port).") var port = 0

    func run() throws {
        let port = self.port
        try blockOn { try await HelloWorld.run(port: port) }
    }
}
