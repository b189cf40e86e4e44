import ArgumentParser
import DiffusionModel
import Foundation
import SimulationInputs
import SimulationReport
import StrictYAML

/// `ai-diffusion simulate SCENARIO.yaml|--all-levers [--draws N] [--seed S] [--out DIR]`
public struct SimulateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Monte Carlo simulation of AI capability diffusion under alternative policies.",
        discussion: """
        Runs the hindcast 2023-2025 under the historical policy timeline, keeps draws that pass the
        sanity checks (rejection ABC), and projects 2026-2030 under the baseline and each lever with
        common random numbers. Writes CSV, JSON, SVG charts and report.html to --out.
        """)

    @Argument(help: "A scenario YAML file (run against the bundled baseline). Omit with --all-levers.")
    public var scenario: String?

    @Flag(name: .customLong("all-levers"), help: "Run the baseline and every bundled lever.")
    public var allLevers = false

    @Option(name: .long, help: "Monte Carlo draws.")
    public var draws: Int = 10_000

    @Option(name: .long, help: "Random seed (same seed and inputs give byte-identical output).")
    public var seed: UInt64 = 20_260_101

    @Option(name: .long, help: "Output directory.")
    public var out: String = "simulation-out"

    @Option(name: .long, help: "A priors YAML file replacing the bundled priors.")
    public var priors: String?

    @Option(name: .long, help: "Year for the tornado and headline lever numbers.")
    public var reportYear: Int = 2027

    @Option(name: .long, help: "Worker threads (results do not depend on it).")
    public var threads: Int?

    @Flag(name: .customLong("per-draw"), help: "Also write draws.csv: every draw's acceptance, hindcast statistics, China's baseline lags and inputs.")
    public var perDraw = false

    @Option(name: .customLong("regenerate-cluster-summary"), help: "Print the cluster summary derived from an Epoch gpu_clusters.csv and exit.")
    public var clusterCSV: String?

    public init() {}

    public func validate() throws {
        if clusterCSV != nil { return }
        if allLevers == (scenario != nil) { throw ValidationError("give either a SCENARIO.yaml file or --all-levers") }
        if draws < 1 { throw ValidationError("--draws must be at least 1") }
        if !(2023...2030).contains(reportYear) { throw ValidationError("--report-year must be within 2023-2030") }
    }

    public func run() throws {
        if let clusterCSV {
            let map = try BundledSimulationInputs.actorMap()
            let summary = try ClusterSummary.derive(csvPath: clusterCSV, map: map)
            print(summary.yaml(), terminator: "")
            return
        }
        let priorSet = try priors.map { try SimulationInputLoader.priors(path: $0) }
        var scenarios = try BundledSimulationInputs.scenarios()
        if let scenario {
            let user = try SimulationInputLoader.scenario(path: scenario)
            scenarios = [scenarios[0]] + (user.isBaseline ? [] : [user])
        }
        var caps: TierCapsInput?
        if scenarios.contains(where: { $0.tier2_cap_structure != nil }) {
            do {
                caps = try RuleDataTierCaps.load()
            } catch {
                if scenario != nil { throw error }
                FileHandle.standardError.write(Data("simulate: skipping tier2-caps (\(error))\n".utf8))
                scenarios.removeAll { $0.tier2_cap_structure != nil }
            }
        }
        let inputs = try BundledSimulationInputs.modelInputs(scenarios: scenarios, tierCaps: caps, priors: priorSet)
        let model: CompiledModel
        do { model = try CompiledModel(inputs) } catch { throw SimulationUsageError(message: error.description) }
        var config = MonteCarloConfig(draws: draws, seed: seed, reportYear: reportYear)
        if let threads { config.threads = max(1, threads) }
        let bar = ProgressBar(total: draws)
        let start = Date()
        var progress: (@Sendable (Int) -> Void)?
        if let bar { progress = { n in bar.advance(n) } }
        let result = runMonteCarlo(model: model, config: config, progress: progress)
        bar?.finish()
        let view = ResultView(result: result, scenarios: scenarios, priors: inputs.priors, calibration: inputs.calibration, tierCaps: caps)
        try writeOutputs(view, to: out, perDraw: perDraw)
        FileHandle.standardError.write(Data(String(format: "simulate: %d draws, %d accepted (%.1f%%), %.2f s; wrote %@\n",
                                                   draws, result.acceptedCount, 100 * result.acceptanceRate, Date().timeIntervalSince(start), out).utf8))
        if let w = view.smallEnsembleWarning { FileHandle.standardError.write(Data("simulate: warning: \(w)\n".utf8)) }
        print("Capability lag behind the US frontier, baseline, \(view.useCalibrated ? "calibrated" : "prior-predictive"), months, P50 [P10-P90]:")
        print(HTMLReport.lagTable(view, html: false))
        if let share = view.weightsRouteShare(0, reportYear) {
            print(String(format: "China's capability lag = min(own development, open weights + adoption, stolen, hosted) (spec eq. 7); in %d the weights route sets it in %.0f%% of accepted draws.\n", reportYear, 100 * share))
        }
        if scenarios.count > 1 {
            print("Levers vs baseline (paired draws), P50 [P10, P90]:")
            print(HTMLReport.leverTable(view, html: false), terminator: "")
        }
    }
}

/// Writes every result file into `dir`.
public func writeOutputs(_ v: ResultView, to dir: String, perDraw: Bool = false) throws {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let files: [(String, String)] = [
        ("trajectories.csv", ResultFiles.trajectories(v)), ("levers.csv", ResultFiles.levers(v)),
        ("checks.csv", ResultFiles.checks(v)), ("tornado.csv", ResultFiles.tornado(v)), ("parameters.csv", ResultFiles.parameters(v)),
        ("results.json", ResultFiles.json(v)), ("lag-fan.svg", SVGCharts.lagFan(v)), ("levers.svg", SVGCharts.leverBars(v)),
        ("levers-own.svg", SVGCharts.leverBars(v, own: true)), ("levers-compute.svg", SVGCharts.leverCompute(v)),
        ("tornado.svg", SVGCharts.tornado(v)), ("tornado-own.svg", SVGCharts.tornado(v, own: true)), ("report.html", HTMLReport.render(v)),
    ] + (perDraw ? [("draws.csv", ResultFiles.perDraw(v))] : [])
    for (name, text) in files {
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent(name))
    }
}

/// Bad usage found after parsing (exit code 2).
struct SimulationUsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A progress bar on stderr, only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
    let total: Int
    private var done = 0
    private let lock = NSLock()
    init?(total: Int) {
        guard isatty(2) != 0 else { return nil }
        self.total = total
    }
    func advance(_ n: Int) {
        lock.lock(); defer { lock.unlock() }
        done += n
        let frac = min(1, Double(done) / Double(max(1, total)))
        let width = 30, filled = Int(frac * Double(width))
        FileHandle.standardError.write(Data("\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(Int(frac * 100))%".utf8))
    }
    func finish() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
}
