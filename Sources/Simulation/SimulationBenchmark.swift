import DiffusionModel
import Foundation
import RulePackLevers
import SimulationInputs
#if canImport(Glibc)
import Glibc
#endif

/// Result of ``SimulationBenchmark/run(draws:seed:threads:)``.
public struct SimulationBenchmarkResult: Sendable, CustomStringConvertible {
    public var draws: Int, scenarios: Int, actors: Int, quarters: Int, domains: Int, threads: Int, packs: Int
    /// Seconds screening the rule packs (generated shipments through the Screener).
    public var screeningSeconds: Double
    public var rowsScreened: Int
    /// Seconds of the Monte Carlo (hindcast, acceptance, every scenario, aggregation) and the ranking.
    public var monteCarloSeconds: Double
    public var totalSeconds: Double { screeningSeconds + monteCarloSeconds }
    /// Peak resident set size of the process (getrusage ru_maxrss), bytes.
    public var peakRSSBytes: Int
    public var acceptedDraws: Int

    public var description: String {
        String(format: "simulate bench: %d draws x %d actors x %d quarters x %d domains x %d scenarios (%d rule-pack lever, %d rows screened) on %d threads: %.3f s (screening %.3f s, Monte Carlo %.3f s), peak RSS %.1f MB, %d accepted",
               draws, actors, quarters, domains, scenarios, packs, rowsScreened, threads, totalSeconds, screeningSeconds, monteCarloSeconds,
               Double(peakRSSBytes) / 1_048_576, acceptedDraws)
    }
}

/// `bench simulate`: times the whole simulation of every built-in lever plus the built-in rule-pack
/// lever with the Screener in the loop (screening included), not the writing of reports. Use a
/// release build.
public enum SimulationBenchmark {
    public static func run(draws: Int = 10_000, seed: UInt64 = 1, threads: Int? = nil) throws -> SimulationBenchmarkResult {
        var options = SimulationOptions()
        options.draws = draws; options.seed = seed; options.threads = threads; options.robustnessSeeds = []
        var base = options
        base.leverPacks = []
        let t0 = DispatchTime.now().uptimeNanoseconds
        let inputs = try SimulationRunner.prepareInputs(options)
        let t1 = DispatchTime.now().uptimeNanoseconds
        let output = try SimulationRunner.run(inputs: inputs, options: options)
        _ = output.view.whereToSlow.count
        let t2 = DispatchTime.now().uptimeNanoseconds
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let rss = Int(usage.ru_maxrss) * 1024
        #else
        getrusage(RUSAGE_SELF, &usage)
        let rss = Int(usage.ru_maxrss)
        #endif
        return SimulationBenchmarkResult(
            draws: draws, scenarios: output.model.scenarioCount, actors: Actor.count, quarters: output.model.calendar.totalQuarters,
            domains: output.model.domainCount, threads: output.result.config.threads, packs: inputs.packs.count,
            screeningSeconds: Double(t1 - t0) / 1e9, rowsScreened: inputs.packs.reduce(0) { $0 + $1.rowsScreened } + (inputs.referencePack?.rowsScreened ?? 0),
            monteCarloSeconds: Double(t2 - t1) / 1e9, peakRSSBytes: rss, acceptedDraws: output.result.acceptedCount)
    }
}
