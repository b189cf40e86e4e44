import ArgumentParser

/// Stand-in root command for the `simulator` branch until main's `RootCommand` is merged; after the
/// merge `SimulateCommand.self` goes into RootCommand's subcommands and this file can be deleted.
public struct SimulatorDevRoot: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "ai-diffusion", subcommands: [SimulateCommand.self, SimulatorDevBench.self])
    public init() {}
}

public struct SimulatorDevBench: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "bench", subcommands: [SimulateBenchCommand.self])
    public init() {}
}
