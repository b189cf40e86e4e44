import ArgumentParser
import Simulation

/// `ai-diffusion bench simulate [--draws N] [--seed S] [--threads T]`: times the whole simulation
/// (rule-pack screening included) of every built-in lever. Use a release build.
public struct SimulateBenchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "simulate", abstract: "Time the diffusion simulator: every built-in lever, four domains, a rule-pack lever with the Screener in the loop (use a release build).")
    @Option(name: .long, help: "Monte Carlo draws.") public var draws: Int = 10_000
    @Option(name: .long, help: "Random seed.") public var seed: UInt64 = 1
    @Option(name: .long, help: "Worker threads (default: one per core, up to 8).") public var threads: Int?
    public init() {}
    public func run() throws {
        print(try SimulationBenchmark.run(draws: draws, seed: seed, threads: threads))
    }
}
