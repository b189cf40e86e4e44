import Dispatch
import Foundation

/// Monte Carlo settings.
public struct MonteCarloConfig: Sendable {
    public var draws: Int
    public var seed: UInt64
    /// Worker threads; results are identical for any value.
    public var threads: Int
    /// Year of the tornado target (China's lag) and headline lever numbers.
    public var reportYear: Int

    public init(draws: Int, seed: UInt64, threads: Int = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)), reportYear: Int = 2027) {
        self.draws = draws; self.seed = seed; self.threads = threads; self.reportYear = reportYear
    }
}

/// Aggregated results: histograms for the calibrated (accepted) and prior-predictive (all draws)
/// ensembles, plus small per-draw vectors (hindcast statistics, inputs and China's report-year lag)
/// for the acceptance rate, the check tests and the tornado.
public struct SimulationResult: Sendable {
    public let scenarioNames: [String]
    public let calendar: SimulationCalendar
    public let config: MonteCarloConfig
    public let layout: MetricLayout
    public let calibrated: HistogramTable
    public let prior: HistogramTable
    /// [draw * CheckStatistic.count + k]
    public let statistics: [Double]
    public let accepted: [Bool]
    /// [draw * DrawParameters.count + i]
    public let parameters: [Double]
    /// China's sovereign and own-development lag in `reportYear`, baseline, per draw.
    public let cnLagReportYear: [Double]
    public let cnLagOwnReportYear: [Double]

    public var acceptedCount: Int { accepted.reduce(0) { $0 + ($1 ? 1 : 0) } }
    public var acceptanceRate: Double { accepted.isEmpty ? 0 : Double(acceptedCount) / Double(accepted.count) }

    /// The ensemble used for headline outputs: calibrated when any draw was accepted.
    public func ensemble(_ calibratedEnsemble: Bool) -> HistogramTable { calibratedEnsemble ? calibrated : prior }

    /// Quantile of one hindcast statistic over accepted (or all) draws.
    public func statisticQuantile(_ s: CheckStatistic, _ p: Double, acceptedOnly: Bool = true) -> Double {
        let k = CheckStatistic.count
        var v: [Double] = []
        for d in 0..<accepted.count where !acceptedOnly || accepted[d] { v.append(statistics[d * k + s.index]) }
        return empiricalQuantile(v, p)
    }

    /// Spearman correlations of every input with China's report-year lag (accepted draws when
    /// there are at least 30, else all), sorted by magnitude.
    public func tornado(own: Bool = false) -> [(name: String, rho: Double)] {
        let useAccepted = acceptedCount >= 30
        let n = DrawParameters.count
        let target = own ? cnLagOwnReportYear : cnLagReportYear
        var y: [Double] = []
        var cols = [[Double]](repeating: [], count: n)
        for d in 0..<accepted.count where !useAccepted || accepted[d] {
            y.append(target[d])
            for i in 0..<n { cols[i].append(parameters[d * n + i]) }
        }
        var out: [(String, Double)] = []
        for i in 0..<n where i != PriorKey.tauWeights.index {
            let col = cols[i]
            guard let first = col.first, col.contains(where: { $0 != first }) else { continue }
            out.append((DrawParameters.names[i], spearman(col, y)))
        }
        return out.sorted { abs($0.1) > abs($1.1) || (abs($0.1) == abs($1.1) && $0.0 < $1.0) }
    }
}

public func empiricalQuantile(_ values: [Double], _ p: Double) -> Double {
    let v = values.filter { !$0.isNaN }.sorted()
    guard !v.isEmpty else { return .nan }
    let h = p * Double(v.count - 1)
    let lo = Int(h.rounded(.down)), hi = min(lo + 1, v.count - 1)
    return v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
}

/// Runs the Monte Carlo: every draw simulates the shared hindcast, is accepted or rejected against
/// the sanity checks, then runs every scenario with common random numbers; results stream into
/// histograms. Deterministic for a given seed and inputs, whatever the thread count.
public func runMonteCarlo(model: CompiledModel, config: MonteCarloConfig,
                          progress: (@Sendable (Int) -> Void)? = nil) -> SimulationResult {
    let layout = MetricLayout(scenarios: model.scenarioCount, years: model.calendar.years)
    let threads = max(1, min(config.threads, config.draws))
    let box = ChunkBox(count: threads)
    let reportY = model.calendar.yearIndex(config.reportYear) ?? (model.calendar.years - 1)
    let work: @Sendable (Int) -> Void = { chunk in
        let lo = config.draws * chunk / threads, hi = config.draws * (chunk + 1) / threads
        var part = ChunkResult(layout: layout, draws: hi - lo)
        let sim = DrawSimulator(model: model)
        var metrics = [Double](repeating: 0, count: layout.count)
        for d in lo..<hi {
            sim.run(draw: d, seed: config.seed)
            let o = sim.outcome
            fillMetrics(o, layout: layout, model: model, into: &metrics)
            metrics.withUnsafeBufferPointer { buf in
                part.prior.add(buf)
                if o.accepted { part.calibrated.add(buf) }
            }
            part.statistics.append(contentsOf: o.statistics)
            part.accepted.append(o.accepted)
            part.parameters.append(contentsOf: o.parameters)
            part.cnLag.append(o.value(0, reportY, .cn, .lag))
            part.cnLagOwn.append(o.value(0, reportY, .cn, .lagOwn))
            if let progress, (d - lo) % 256 == 255 { progress(256) }
        }
        box.set(chunk, part)
    }
    // Chunks 1... on global queues, chunk 0 on this thread.
    let group = DispatchGroup()
    for chunk in 1..<threads { DispatchQueue.global().async(group: group) { work(chunk) } }
    work(0)
    group.wait()
    var calibrated = HistogramTable(layout: layout), prior = HistogramTable(layout: layout)
    var stats: [Double] = [], accepted: [Bool] = [], params: [Double] = [], lag: [Double] = [], lagOwn: [Double] = []
    for part in box.parts() {
        calibrated.merge(part.calibrated); prior.merge(part.prior)
        stats += part.statistics; accepted += part.accepted; params += part.parameters; lag += part.cnLag; lagOwn += part.cnLagOwn
    }
    return SimulationResult(scenarioNames: model.scenarioNames, calendar: model.calendar, config: config, layout: layout,
                            calibrated: calibrated, prior: prior, statistics: stats, accepted: accepted, parameters: params,
                            cnLagReportYear: lag, cnLagOwnReportYear: lagOwn)
}

/// One draw's metric vector in `layout` order (levels, then lever differences vs the baseline).
func fillMetrics(_ o: DrawOutcome, layout: MetricLayout, model: CompiledModel, into m: inout [Double]) {
    let years = layout.years
    let gc = Foundation.log10(o.parameters[PriorKey.frontierComputeGrowth.index])
    let ga = Foundation.log10(2) * 12 / o.parameters[PriorKey.algHalvingMonths.index]
    let firstProj = model.calendar.hindcastQuarters / 4
    let projYears = Double(max(1, years - firstProj))
    for s in 0..<layout.scenarios {
        for y in 0..<years {
            for a in Actor.list { for k in ActorMetric.list { m[layout.actor(s, y, a, k)] = o.value(s, y, a, k) } }
            for k in ScenarioMetric.list {
                let v = o.value(s, y, k)
                switch k {
                case .cnDomestic, .cnImports, .cnSmuggled, .cnCloud: m[layout.scenario(s, y, k)] = Foundation.log10(max(v, 1))
                default: m[layout.scenario(s, y, k)] = v
                }
            }
        }
        guard s > 0 else { continue }
        var cost = 0.0, minerals = 0.0
        for y in 0..<years {
            for a in Actor.list {
                m[layout.lever(s, y, a, .monthsBought)] = o.value(s, y, a, .lag) - o.value(0, y, a, .lag)
                m[layout.lever(s, y, a, .monthsBoughtOwn)] = o.value(s, y, a, .lagOwn) - o.value(0, y, a, .lagOwn)
            }
            let eS = Foundation.pow(10, o.value(s, y, .cn, .log10Compute)), e0 = Foundation.pow(10, o.value(0, y, .cn, .log10Compute))
            m[layout.lever(s, y, .cnComputeChangePct)] = 100 * (eS / e0 - 1)
            m[layout.lever(s, y, .usSelfHarmMonths)] = -12 * (o.value(s, y, .usEffectiveLog) - o.value(0, y, .usEffectiveLog)) / (gc + ga)
            if y >= firstProj {
                cost += o.value(0, y, .vendorNetRevenue) - o.value(s, y, .vendorNetRevenue)
                minerals += o.value(s, y, .mineralsGDPLoss) - o.value(0, y, .mineralsGDPLoss)
            }
        }
        m[layout.lever(s, .vendorCostPerYear)] = cost / projYears
        m[layout.lever(s, .mineralsCostPerYear)] = minerals / projYears
    }
}

struct ChunkResult: Sendable {
    var calibrated: HistogramTable, prior: HistogramTable
    var statistics: [Double] = [], accepted: [Bool] = [], parameters: [Double] = [], cnLag: [Double] = [], cnLagOwn: [Double] = []
    init(layout: MetricLayout, draws: Int) {
        calibrated = HistogramTable(layout: layout); prior = HistogramTable(layout: layout)
        statistics.reserveCapacity(draws * CheckStatistic.count)
        parameters.reserveCapacity(draws * DrawParameters.count)
    }
}

/// Slots written by distinct threads (each index once), read after all finished.
final class ChunkBox: @unchecked Sendable {
    private var slots: [ChunkResult?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: ChunkResult) { lock.lock(); slots[i] = r; lock.unlock() }
    func parts() -> [ChunkResult] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}
