import DiffusionModel
import Foundation
import RulePackLevers
import SimulationInputs
import SimulationReport

/// What to simulate: the library entry point's options (the CLI maps its flags onto these; the
/// dashboard fills them directly).
///
/// ```swift
/// var options = SimulationOptions()
/// options.draws = 2_000
/// options.leverPacks = ["examples/packs/gulf-g2g.yaml"]
/// let output = try SimulationRunner.run(options)
/// print(output.view.whereToSlow.first { $0.rank == 1 }!.lever)
/// let chart = output.charts["durability.svg"]!      // SVG text
/// ```
public struct SimulationOptions: Sendable {
    public var draws = 10_000
    public var seed: UInt64 = 20_260_101
    /// Worker threads (results do not depend on it); nil = up to 8, one per core.
    public var threads: Int?
    public var reportYear = 2027
    /// Run every bundled lever and the built-in rule-pack levers (`defaultPacks`).
    public var allLevers = true
    /// User scenario files run against the baseline (the old `simulate SCENARIO.yaml`).
    public var scenarioFiles: [String] = []
    /// Rule packs as levers: built-in regime ids or pack files (`--lever-pack`, repeatable).
    public var leverPacks: [String] = []
    /// A priors file replacing the bundled priors.
    public var priorsPath: String?
    /// Responses to switch off (``ResponseSwitches/names``).
    public var withoutResponses: [String] = []
    /// Seeds of the robustness runs of the where-to-slow ranking (same draws); empty skips them.
    public var robustnessSeeds: [UInt64] = [1, 2, 3]
    public init() {}

    /// Rule packs run as levers with `allLevers` (they replace the first version's `tier2-caps`).
    public static let defaultPacks = ["ai-diffusion-2025"]
}

/// Results of one simulation: the aggregated result, its read-outs, and every output file's text
/// (name -> text; charts are the `.svg` entries).
public struct SimulationOutput: Sendable {
    public let result: SimulationResult
    public let view: ResultView
    public let model: CompiledModel
    public let seconds: Double
    public var charts: [String: String] { Dictionary(uniqueKeysWithValues: files().filter { $0.name.hasSuffix(".svg") }.map { ($0.name, $0.text) }) }

    /// Every output file in a fixed order; `perDraw` adds draws.csv, `traceDraw` adds trace.json.
    public func files(perDraw: Bool = false, traceDraw: Int? = nil) -> [(name: String, text: String)] {
        let v = view
        var out: [(String, String)] = [
            ("summary.json", SummaryJSON.render(v)), ("where-to-slow.csv", ResultFiles.whereToSlow(v)),
            ("trajectories.csv", ResultFiles.trajectories(v)), ("levers.csv", ResultFiles.levers(v)),
            ("checks.csv", ResultFiles.checks(v)), ("tornado.csv", ResultFiles.tornado(v)), ("parameters.csv", ResultFiles.parameters(v)),
            ("lag-fan.svg", SVGCharts.lagFan(v)), ("open-frontier.svg", SVGCharts.openFrontier(v)),
            ("durability.svg", SVGCharts.durability(v)), ("levers.svg", SVGCharts.leverBars(v)),
            ("tornado.svg", SVGCharts.tornado(v)), ("report.html", HTMLReport.render(v)),
        ]
        if perDraw { out.append(("draws.csv", ResultFiles.perDraw(v))) }
        if let traceDraw { out.append(("trace.json", TraceFile.render(model: model, draw: traceDraw, seed: result.config.seed))) }
        return out.map { (name: $0.0, text: $0.1) }
    }
}

/// The simulator's application layer: loads inputs, screens rule packs, runs the Monte Carlo and
/// the robustness runs, and returns results and files. The CLI (`simulate`, `bench simulate`) and
/// the service call this; neither re-implements any of it.
public enum SimulationRunner {
    /// Bundled inputs plus the options' scenarios, rule packs and response switches.
    public static func prepareInputs(_ options: SimulationOptions) throws -> ModelInputs {
        let priors = try options.priorsPath.map { try SimulationInputLoader.priors(path: $0) }
        let bundled = try BundledSimulationInputs.scenarios()
        var scenarios = [bundled[0]]
        if options.allLevers { scenarios = bundled }
        for path in options.scenarioFiles {
            let s = try SimulationInputLoader.scenario(path: path)
            if !s.isBaseline && !scenarios.contains(where: { $0.name == s.name }) { scenarios.append(s) }
        }
        var inputs = try BundledSimulationInputs.modelInputs(scenarios: scenarios, priors: priors)
        var responses = ResponseSwitches()
        for name in options.withoutResponses {
            switch name {
            case "domestic-substitution": responses.domesticSubstitution = false
            case "smuggling": responses.smugglingResponse = false
            case "efficiency": responses.efficiencyResponse = false
            default: throw SimulationOptionError("unknown response \"\(name)\" (known: \(ResponseSwitches.names.joined(separator: ", ")))")
            }
        }
        inputs.responses = responses
        var packNames: [String] = []
        for name in (options.allLevers ? SimulationOptions.defaultPacks : []) + options.leverPacks where !packNames.contains(name) { packNames.append(name) }
        if !packNames.isEmpty {
            let built = try RulePackLevers.build(names: packNames, inputs: inputs)
            inputs.packs = built.packs
            inputs.referencePack = built.reference
            for s in built.scenarios where !inputs.scenarios.contains(where: { $0.name == s.name }) { inputs.scenarios.append(s) }
        }
        return inputs
    }

    /// Loads inputs and simulates.
    public static func run(_ options: SimulationOptions, progress: (@Sendable (Int) -> Void)? = nil) throws -> SimulationOutput {
        try run(inputs: prepareInputs(options), options: options, progress: progress)
    }

    /// Simulates prepared inputs: the main run, then the robustness runs (other seeds, same draws).
    public static func run(inputs: ModelInputs, options: SimulationOptions, progress: (@Sendable (Int) -> Void)? = nil) throws -> SimulationOutput {
        let model: CompiledModel
        do { model = try CompiledModel(inputs) } catch { throw SimulationOptionError(error.description) }
        var config = MonteCarloConfig(draws: options.draws, seed: options.seed, reportYear: options.reportYear)
        if let t = options.threads { config.threads = max(1, t) }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = runMonteCarlo(model: model, config: config, progress: progress)
        // Robustness runs: same draws, other seeds; only their rankings are kept (no prior sample).
        var rankings: [[WhereToSlowRow]] = []
        let seeds = options.robustnessSeeds.filter { $0 != options.seed }
        for s in seeds {
            var c = config
            c.seed = s
            c.priorSampleSize = 1
            rankings.append(LeverRanking(result: runMonteCarlo(model: model, config: c)).whereToSlow())
        }
        let view = ResultView(result: result, scenarios: inputs.scenarios, priors: inputs.priors, calibration: inputs.calibration,
                              domains: inputs.domains, packs: inputs.packs + (inputs.referencePack.map { [$0] } ?? []),
                              responses: inputs.responses, robustness: rankings, robustnessSeeds: seeds)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return SimulationOutput(result: result, view: view, model: model, seconds: seconds)
    }

    /// Writes `files` into `dir` (created if needed).
    public static func write(_ files: [(name: String, text: String)], to dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for f in files { try Data(f.text.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent(f.name)) }
    }
}

/// A bad option found after parsing (exit code 2 at the CLI).
public struct SimulationOptionError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
