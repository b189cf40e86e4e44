import ArgumentParser
import Dispatch
import Foundation
import PartyLists
import PartyMatching
import PartyScreening
import RuleData
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
        timed as a whole (throughput), the second name by name (latency percentiles).
        """
    )
    @Option(name: .long, help: "Synthetic list entries.") var entries: Int = 30_000
    @Option(name: .long, help: "Counterparty names screened.") var names: Int = 1_000_000
    @Option(name: .long, help: "Seed of the synthetic data.") var seed: UInt64 = 7
    @Option(name: .long, help: "default or ofac (ofac compares every name: use small --names).") var algorithm: MatchAlgorithm = .default

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
        start = DispatchTime.now().uptimeNanoseconds
        for (name, country) in queries {
            for m in searcher.search(PartyQuery(name: name, country: country), algorithm: algorithm) {
                if m.decision == .match { matches += 1 } else { reviews += 1 }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let rate = Double(queries.count) / seconds

        // Pass 2: each name timed alone.
        searcher = PartySearcher(index: library.index)
        var latencies = [UInt64]()
        latencies.reserveCapacity(queries.count)
        for (name, country) in queries {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = searcher.search(PartyQuery(name: name, country: country), algorithm: algorithm)
            latencies.append(DispatchTime.now().uptimeNanoseconds - t0)
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { Double(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) / 1e6 }
        let p50 = percentile(0.5), p99 = percentile(0.99), worst = Double(latencies.last ?? 0) / 1e6
        let peakMB = Self.peakResidentMB()

        print("bench parties: \(queries.count) counterparty names (seed \(seed)) against \(listed.count) synthetic entries (\(library.index.nameCount) names and aliases indexed), algorithm \(algorithm.rawValue), 1 core")
        print(String(format: "  index built in %.2f s; %d match and %d review decisions; pass 1 %.2f s; latency p50 %.3f ms, p99 %.3f ms, max %.2f ms",
                     buildSeconds, matches, reviews, seconds, p50, p99, worst))
        var table = TextTable(header: ["MEASURE", "VALUE", "TARGET", "MET"], rightAligned: [1])
        table.add(["names screened per second (1 core)", "\(Int(rate)) names/s", ">= 50000 names/s", rate >= 50_000 ? "yes" : "no"])
        table.add(["single name, p99", String(format: "%.3f ms", p99), "< 1 ms", p99 < 1 ? "yes" : "no"])
        table.add(["peak memory (whole process)", "\(peakMB) MB", "< 1024 MB", peakMB < 1024 ? "yes" : "no"])
        print(table.render(), terminator: "")
    }

    /// Peak resident set size of this process (VmHWM, Linux), in MB; 0 where unavailable.
    static func peakResidentMB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
