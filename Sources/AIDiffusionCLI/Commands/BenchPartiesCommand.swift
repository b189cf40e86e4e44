import ArgumentParser
import ComplianceService
import Dispatch
import Foundation
import PartyLists
import PartyMatching
import PartyScreening
import RuleData
import Screening
import TabularIO

/// `bench parties`: restricted-party matching speed and memory (issue 10): 1,000,000 counterparty
/// names against 30,000 synthetic list entries shaped like the samples, on one core.
struct BenchPartiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parties",
        abstract: "Party matching speed and memory against the targets of issue 10 (release build).",
        discussion: """
        Targets: >= 50,000 names/s on one core with the blocking index; peak memory < 1 GB; a single \
        name at p99 < 1 ms. Two passes, each with a fresh searcher (empty token cache): the first is \
        timed as a whole (throughput, by CPU time of this single-threaded process and by wall clock: \
        on a shared machine the CPU time is the one core's work), the second name by name (latency).
        """
    )
    @Option(name: .long, help: "Synthetic list entries.") var entries: Int = 30_000
    @Option(name: .long, help: "Counterparty names screened.") var names: Int = 1_000_000
    @Option(name: .long, help: "Seed of the synthetic data.") var seed: UInt64 = 7
    @Option(name: .long, help: "default or ofac (ofac compares every name: use small --names).") var algorithm: MatchAlgorithm = .default
    @Option(name: .long, help: "Also print this many review decisions and the slowest names, with explanations.") var examples: Int = 0
    @Option(name: .customLong("screen-rows"), help: "Synthetic transactions screened in memory with and without the lists (0: skip).")
    var screenRows: Int = 1_000_000

    func run() throws {
        let configuration = try PartyMatchingData.configuration()
        let listed = SyntheticParties.entries(entries, seed: seed, words: SyntheticParties.commonWords)
        let queries = SyntheticParties.counterparties(names, listed: listed, seed: seed, words: SyntheticParties.commonWords)

        var start = DispatchTime.now().uptimeNanoseconds
        let library = PartyLibrary(entries: listed, files: [], configuration: configuration)
        let buildSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        // Pass 1: throughput.
        var searcher = PartySearcher(index: library.index)
        var matches = 0, reviews = 0
        let cpuStart = Self.cpuSeconds()
        start = DispatchTime.now().uptimeNanoseconds
        for (name, country) in queries {
            for m in searcher.search(PartyQuery(name: name, country: country), algorithm: algorithm) {
                if m.decision == .match { matches += 1 } else { reviews += 1 }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = Self.cpuSeconds() - cpuStart
        let rate = Double(queries.count) / seconds
        let cpuRate = Double(queries.count) / cpu
        let scoredPerName = Double(searcher.candidatesScored) / Double(max(1, queries.count))

        // Pass 2: each name timed alone.
        searcher = PartySearcher(index: library.index)
        var latencies = [UInt64]()
        latencies.reserveCapacity(queries.count)
        for (name, country) in queries {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = searcher.search(PartyQuery(name: name, country: country), algorithm: algorithm)
            latencies.append(DispatchTime.now().uptimeNanoseconds - t0)
        }
        if examples > 0 {
            let slowest = latencies.enumerated().sorted { $0.element > $1.element }.prefix(examples)
            for (i, ns) in slowest { print(String(format: "  slow %.2f ms: ", Double(ns) / 1e6) + queries[i].name) }
            var shown = 0
            let explainer = PartySearcher(index: library.index)
            for (name, country) in queries where shown < examples {
                let query = PartyQuery(name: name, country: country)
                guard let m = explainer.search(query, algorithm: algorithm).first(where: { $0.decision == .review }) else { continue }
                print("  review \(MatchExplanation.fixed(m.score)): \(name) -> \(explainer.explain(query, m, algorithm: algorithm).summary)")
                shown += 1
            }
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { Double(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) / 1e6 }
        let p50 = percentile(0.5), p99 = percentile(0.99), worst = Double(latencies.last ?? 0) / 1e6
        let screening = try screeningOverhead(library: library)
        let peakMB = Self.peakResidentMB() // the whole run: names, index, both passes and the screening section

        print("bench parties: \(queries.count) counterparty names (seed \(seed)) against \(listed.count) synthetic entries (\(library.index.nameCount) names and aliases indexed), algorithm \(algorithm.rawValue), 1 core")
        print(String(format: "  index built in %.2f s; %d match and %d review decisions; %.1f listed names scored per name (of %d); pass 1 %.2f s; latency p50 %.3f ms, p99 %.3f ms, max %.2f ms",
                     buildSeconds, matches, reviews, scoredPerName, library.index.nameCount, seconds, p50, p99, worst))
        var table = TextTable(header: ["MEASURE", "VALUE", "TARGET", "MET"], rightAligned: [1])
        table.add(["names per CPU-second (1 thread)", "\(Int(cpuRate)) names/s", ">= 50000 names/s", cpuRate >= 50_000 ? "yes" : "no"])
        table.add(["names per wall-clock second (1 thread)", "\(Int(rate)) names/s", ">= 50000 names/s", rate >= 50_000 ? "yes" : "no"])
        table.add(["single name, p99", String(format: "%.3f ms", p99), "< 1 ms", p99 < 1 ? "yes" : "no"])
        table.add(["peak memory (whole process)", "\(peakMB) MB", "< 1024 MB", peakMB < 1024 ? "yes" : "no"])
        print(table.render(), terminator: "")
        if let (without, with, hits) = screening {
            print(String(format: "screen, in memory, %d synthetic rows (regime ai-diffusion-2025, 1 core): %.0f rows/s without lists, %.0f rows/s with the %d entries loaded (%d rows with a hit); %.2f µs a row for party screening",
                         screenRows, without, with, listed.count, hits, (1 / with - 1 / without) * 1e6))
        }
    }

    /// Screens synthetic transactions in memory without the part 744 stage's lists and with them
    /// (medians of 3 passes each); returns rows/s both ways and how many rows had a hit.
    private func screeningOverhead(library: PartyLibrary) throws -> (Double, Double, Int)? {
        guard screenRows > 0 else { return nil }
        var context = try RuleContext.load()
        let regime = try context.compile("ai-diffusion-2025")
        let bytes = SyntheticTransactions.csv(rows: screenRows, seed: seed)
        let file = try TransactionReader.read(reader: CSVRecordReader(bytes: bytes, displayName: "synthetic.csv"), book: context.book)
        func rate(_ library: PartyLibrary?) throws -> (Double, Int) {
            var runs: [Double] = []
            var hits = 0
            for _ in 0..<3 {
                let stage = try PartyScreeningSetup(library: library).stage(regime: regime.id, book: context.book)
                hits = 0
                let start = DispatchTime.now().uptimeNanoseconds
                ScreeningRun.screen(file, regime: regime, snapshot: .empty, stage: stage) { result in
                    if !(result.determination.partyHits ?? []).isEmpty { hits += 1 }
                }
                runs.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return (Double(screenRows) / runs.sorted()[1], hits)
        }
        let without = try rate(nil).0
        let (with, hits) = try rate(library)
        return (without, with, hits)
    }

    /// User and system CPU time of this process so far, in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Peak resident set size of this process (VmHWM, Linux), in MB; 0 where unavailable.
    static func peakResidentMB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
