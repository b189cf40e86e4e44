import Dashboard
import DiffusionModel
import Foundation
import Simulation
import SimulationReport

/// The simulator page: levers (the bundled scenarios and the built-in rule-pack levers) picked on
/// the page, run in-process through `SimulationRunner` with at most
/// ``SimulatorRequest/maxDraws`` draws, one run at a time (a run takes the cores it finds).
/// Inputs are prepared once (rule packs screened) and reused.
final class SimulatorPages: @unchecked Sendable {
    private let lock = NSLock()
    private var prepared: ModelInputs?
    /// One simulation at a time: the next waits (the page is for interactive what-ifs, not batches).
    private let gate = DispatchSemaphore(value: 1)
    /// The simulator's default seed (`SimulationOptions().seed`).
    static let defaultSeed = SimulationOptions().seed
    /// Draws offered before the user picks (the page's limit).
    static let defaultDraws = SimulatorRequest.maxDraws

    /// Bundled inputs with every lever (blocking: screens the rule packs on first use).
    func inputs() throws -> ModelInputs {
        lock.lock()
        defer { lock.unlock() }
        if let prepared { return prepared }
        let inputs = try SimulationRunner.prepareInputs(SimulationOptions())
        prepared = inputs
        return inputs
    }

    func levers() throws -> [SimulatorLever] {
        try inputs().scenarios.filter { !$0.isBaseline }.map { SimulatorLever(id: $0.name, title: $0.title) }
    }

    static func defaultRequest(_ levers: [SimulatorLever]) -> SimulatorRequest {
        SimulatorRequest(levers: levers.map(\.id), draws: defaultDraws, seed: defaultSeed)
    }

    /// `GET /simulator`: the form alone, or with `lever`/`draws`/`seed` in the query, the run's
    /// charts and table (a bad query: the page with the message, `error` set).
    func page(query: FormBody) throws -> SimulatorPage {
        let levers = try levers()
        guard !query.fields.isEmpty else { return SimulatorPage(levers: levers, request: Self.defaultRequest(levers)) }
        let request: SimulatorRequest
        do {
            request = try SimulatorRequest.decode(query, levers: levers.map(\.id), defaultSeed: Self.defaultSeed)
        } catch {
            return SimulatorPage(levers: levers, request: Self.defaultRequest(levers), error: error.description)
        }
        guard !request.levers.isEmpty else {
            return SimulatorPage(levers: levers, request: request, error: "pick at least one lever to compare with the baseline")
        }
        return SimulatorPage(levers: levers, request: request, result: try run(request))
    }

    func run(_ request: SimulatorRequest) throws -> SimulatorResult {
        var inputs = try inputs()
        inputs.scenarios = inputs.scenarios.filter { $0.isBaseline || request.levers.contains($0.name) }
        var options = SimulationOptions()
        options.draws = request.draws
        options.seed = request.seed
        options.robustnessSeeds = []
        gate.wait()
        defer { gate.signal() }
        let output = try SimulationRunner.run(inputs: inputs, options: options)
        return Self.result(output, request: request)
    }

    static let chartTitles: [(file: String, title: String)] = [
        ("levers.svg", "Capability lag bought per lever"),
        ("lag-fan.svg", "Capability lag over time (baseline)"),
        ("durability.svg", "How long each lever keeps buying time"),
        ("tornado.svg", "What moves the baseline lag most (tornado)"),
    ]

    static func result(_ output: SimulationOutput, request: SimulatorRequest) -> SimulatorResult {
        let view = output.view
        let charts = output.charts
        let domain = view.domainIDs.first ?? ""
        func band(_ b: Band) -> String { "\(number(b.p50)) [\(number(b.p10)), \(number(b.p90))]" }
        let rows = view.whereToSlow.filter { $0.actor == .cn && $0.domain == domain }.map { r in
            [r.lever, r.kind.rawValue, r.rank.map(String.init) ?? "–", band(r.meanMonthsBought),
             r.monthsPer10B.map { number($0.p50) } ?? "–", number(r.totalCostPerYear.p50 / 1e9),
             r.lastYearAtLeast1Month.map(String.init) ?? "never"]
        }
        let table = ResultTable(
            caption: "Where to slow China (\(domain)): levers against the baseline on paired draws, P50 [P10, P90]",
            header: ["lever", "kind", "rank", "mean months bought", "months per $10B/yr", "total cost, $B/yr (P50)", "last year ≥ 1 month"],
            rows: rows)
        let ensemble = view.useCalibrated ? "calibrated on \(view.result.acceptedCount) accepted draws" : "prior predictive (no draw accepted)"
        var notes = ["Paired draws: each lever is compared with the baseline on the same random numbers.",
                     "Seeded: the same levers, draws and seed give the same charts (reload this page to check)."]
        if let warning = view.smallEnsembleWarning { notes.insert(warning, at: 0) }
        return SimulatorResult(
            summary: "\(request.draws) draws, seed \(request.seed), report year \(view.reportYear), \(ensemble); levers: \(request.levers.joined(separator: ", ")).",
            charts: chartTitles.compactMap { chart in charts[chart.file].map { SimulatorChart(title: chart.title, svg: $0) } },
            table: table, notes: notes)
    }

    static func number(_ x: Double) -> String {
        x.isFinite ? String(format: "%.1f", x) : "–"
    }
}
