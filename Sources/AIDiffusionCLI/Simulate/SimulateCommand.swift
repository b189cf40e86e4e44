import ArgumentParser
import DiffusionModel
import Foundation
import Simulation
import SimulationInputs
import SimulationReport

/// `ai-diffusion simulate --all-levers | SCENARIO.yaml | --lever-pack PACK ...`: thin adapter over
/// ``SimulationRunner`` (the application layer the service also calls).
///
/// ```
/// ai-diffusion simulate --all-levers --draws 10000 --seed 20260101 --out out/
/// ai-diffusion simulate --lever-pack examples/packs/gulf-g2g.yaml --lever-pack ai-diffusion-2025 --out out/
/// ```
public struct SimulateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Monte Carlo simulation of AI capability diffusion: where to slow it, in which domains, for whom, for how long.",
        discussion: """
        Runs the hindcast 2023-2025 under the historical policy timeline, keeps draws that pass the
        calibration checks (rejection ABC), and projects to 2035 under the baseline and each lever with
        common random numbers, in four capability domains. Rule packs (--lever-pack) run generated chip
        shipments through the screening engine. Writes summary.json, where-to-slow.csv, CSV tables, SVG
        charts and report.html to --out.
        """)

    @Argument(help: "A scenario YAML file run against the bundled baseline (with or without --all-levers).")
    public var scenario: String?

    @Flag(name: .customLong("all-levers"), help: "Run the baseline, every bundled lever and the built-in rule-pack lever ai-diffusion-2025.")
    public var allLevers = false

    @Option(name: .customLong("lever-pack"), help: "A rule pack as a lever: a built-in regime name (ai-diffusion-2025, enforced) or a pack file. Repeatable.")
    public var leverPacks: [String] = []

    @Option(name: .long, help: "Monte Carlo draws.")
    public var draws: Int = 10_000

    @Option(name: .long, help: "Random seed (same seed and inputs give byte-identical output).")
    public var seed: UInt64 = 20_260_101

    @Option(name: .long, help: "Output directory.")
    public var out: String = "simulation-out"

    @Option(name: .long, help: "A priors YAML file replacing the bundled priors.")
    public var priors: String?

    @Option(name: .long, help: "Year for the tornado and headline lever numbers (2026-2035).")
    public var reportYear: Int = 2027

    @Option(name: .long, help: "Worker threads (results do not depend on it).")
    public var threads: Int?

    @Option(name: .customLong("without-response"), help: "Switch an endogenous response off: domestic-substitution, smuggling or efficiency. Repeatable.")
    public var withoutResponses: [String] = []

    @Option(name: .customLong("robustness-seeds"), help: "Seeds of the runs that test whether the top lever per actor and domain is robust (comma-separated; empty to skip).")
    public var robustnessSeeds: String = "1,2,3"

    @Flag(name: .customLong("per-draw"), help: "Also write draws.csv: every draw's acceptance, hindcast statistics and inputs at full precision.")
    public var perDraw = false

    @Option(name: .customLong("trace-draw"), help: "Also write trace.json: every state variable of draw N in every quarter (input of scripts/reference_engine.py).")
    public var traceDraw: Int?

    @Option(name: .customLong("regenerate-cluster-summary"), help: "Print the cluster summary derived from an Epoch gpu_clusters.csv and exit.")
    public var clusterCSV: String?

    public init() {}

    public func validate() throws {
        if clusterCSV != nil { return }
        if !allLevers && scenario == nil && leverPacks.isEmpty { throw ValidationError("give --all-levers, a SCENARIO.yaml file, or --lever-pack PACK") }
        if draws < 1 { throw ValidationError("--draws must be at least 1") }
        if !(2026...2035).contains(reportYear) { throw ValidationError("--report-year must be within 2026-2035") }
        if let t = traceDraw, !(0..<draws).contains(t) { throw ValidationError("--trace-draw must be a draw index below --draws") }
        for name in withoutResponses where !ResponseSwitches.names.contains(name) {
            throw ValidationError("--without-response \(name): known responses are \(ResponseSwitches.names.joined(separator: ", "))")
        }
        _ = try parsedSeeds()
    }

    func parsedSeeds() throws -> [UInt64] {
        try robustnessSeeds.split(separator: ",").map { part in
            guard let s = UInt64(part.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--robustness-seeds: \"\(part)\" is not a seed") }
            return s
        }
    }

    public func run() throws {
        if let clusterCSV {
            let summary = try ClusterSummary.derive(csvPath: clusterCSV, map: try BundledSimulationInputs.actorMap())
            print(summary.yaml(), terminator: "")
            return
        }
        var options = SimulationOptions()
        options.draws = draws; options.seed = seed; options.threads = threads; options.reportYear = reportYear
        options.allLevers = allLevers; options.scenarioFiles = scenario.map { [$0] } ?? []; options.leverPacks = leverPacks
        options.priorsPath = priors; options.withoutResponses = withoutResponses; options.robustnessSeeds = try parsedSeeds()
        let bar = ProgressBar(total: draws)
        var progress: (@Sendable (Int) -> Void)?
        if let bar { progress = { n in bar.advance(n) } }
        let output: SimulationOutput
        do { output = try SimulationRunner.run(options, progress: progress) } catch let e as SimulationOptionError { throw SimulationUsageError(message: e.message) }
        bar?.finish()
        try SimulationRunner.write(output.files(perDraw: perDraw, traceDraw: traceDraw), to: out)
        let r = output.result, v = output.view
        FileHandle.standardError.write(Data(String(format: "simulate: %d draws, %d accepted (%.1f%%), %d scenarios, %.2f s (with %d robustness runs); wrote %@\n",
                                                   draws, r.acceptedCount, 100 * r.acceptanceRate, r.scenarioNames.count, output.seconds, v.robustnessSeeds.count, out).utf8))
        if let w = v.smallEnsembleWarning { FileHandle.standardError.write(Data("simulate: warning: \(w)\n".utf8)) }
        print("Where to slow it (top lever per actor and domain, months bought per $10B a year, P50 [P10, P90]):")
        print(HTMLReport.whereToSlowTable(v, html: false, top: 1))
        print("Capability lag behind the US frontier (frontier-general), baseline, \(v.useCalibrated ? "calibrated" : "prior-predictive"), months, P50 [P10-P90]:")
        print(HTMLReport.lagTable(v, html: false))
        if r.scenarioNames.count > 1 {
            print("Months bought in \(reportYear), frontier-general, P50 [P10, P90]:")
            print(HTMLReport.leverTable(v, html: false), terminator: "")
        }
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
