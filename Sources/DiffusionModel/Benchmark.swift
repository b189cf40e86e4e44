import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Result of ``runSimulatorBenchmark(inputs:draws:scenarios:seed:)``.
public struct BenchmarkResult: Sendable, CustomStringConvertible {
    public var draws: Int, scenarios: Int, actors: Int, quarters: Int, threads: Int
    /// Wall-clock seconds of the Monte Carlo (model compiled beforehand).
    public var wallSeconds: Double
    /// Peak resident set size of the process (getrusage ru_maxrss), bytes.
    public var peakRSSBytes: Int
    public var acceptedDraws: Int

    public var description: String {
        String(format: "simulate bench: %d draws x %d actors x %d quarters x %d scenarios on %d threads: %.3f s, peak RSS %.1f MB, %d accepted",
               draws, actors, quarters, scenarios, threads, wallSeconds, Double(peakRSSBytes) / 1_048_576, acceptedDraws)
    }
}

/// Times the full Monte Carlo (hindcast, acceptance, every scenario, streaming aggregation) on the
/// first `scenarios` scenarios of `inputs`. Measure with a release build.
public func runSimulatorBenchmark(inputs: ModelInputs, draws: Int = 10_000, scenarios: Int = 8, seed: UInt64 = 1) throws -> BenchmarkResult {
    var inputs = inputs
    inputs.scenarios = Array(inputs.scenarios.prefix(max(1, scenarios)))
    let model = try CompiledModel(inputs)
    let config = MonteCarloConfig(draws: draws, seed: seed)
    let start = DispatchTime.now().uptimeNanoseconds
    let result = runMonteCarlo(model: model, config: config)
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let rssBytes = Int(usage.ru_maxrss) * 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    let rssBytes = Int(usage.ru_maxrss)
    #endif
    return BenchmarkResult(draws: draws, scenarios: model.scenarioCount, actors: Actor.count, quarters: model.calendar.totalQuarters,
                           threads: config.threads, wallSeconds: wall, peakRSSBytes: rssBytes, acceptedDraws: result.acceptedCount)
}
