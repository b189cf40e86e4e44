import ArgumentParser
import DiffusionModel
import SimulationInputs

/// `ai-diffusion bench simulate [--draws N] [--scenarios K] [--seed S]`: times the simulator.
/// Register under the `bench` command (command name `simulate`). Use a release build.
public struct SimulateBenchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "simulate", abstract: "Time the diffusion simulator's Monte Carlo (use a release build).")
    @Option(name: .long, help: "Monte Carlo draws.") public var draws: Int = 10_000
    @Option(name: .long, help: "Scenarios (baseline first, then levers in file order).") public var scenarios: Int = 8
    @Option(name: .long, help: "Random seed.") public var seed: UInt64 = 1
    public init() {}
    public func run() throws {
        var all = try BundledSimulationInputs.scenarios()
        let caps = try? RuleDataTierCaps.load()
        if caps == nil { all.removeAll { $0.tier2_cap_structure != nil } }
        let inputs = try BundledSimulationInputs.modelInputs(scenarios: all, tierCaps: caps)
        print(try runSimulatorBenchmark(inputs: inputs, draws: draws, scenarios: scenarios, seed: seed))
    }
}
