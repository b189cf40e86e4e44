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

/// Aggregated results. The calibrated ensemble (accepted draws) keeps every draw's metric vector,
/// so its quantiles are exact; the prior-predictive ensemble (all draws) streams into bounded-error
/// histograms (``MetricSpec``). Small per-draw vectors (hindcast statistics, inputs, a baseline
/// trace of China's lags) serve the acceptance rate, the check tests, the tornado and `draws.csv`.
public struct SimulationResult: Sendable {
    public let scenarioNames: [String]
    public let calendar: SimulationCalendar
    public let config: MonteCarloConfig
    public let layout: MetricLayout
    public let calibrated: SampleTable
    public let prior: HistogramTable
    /// [draw * CheckStatistic.count + k]
    public let statistics: [Double]
    public let accepted: [Bool]
    /// [draw * DrawParameters.count + i]
    public let parameters: [Double]
    /// [draw * DrawTrace.width + i]: baseline trace, see ``DrawTrace``.
    public let traces: [Double]
    /// China's sovereign and own-development lag in `reportYear`, baseline, per draw.
    public let cnLagReportYear: [Double]
    public let cnLagOwnReportYear: [Double]

    public var acceptedCount: Int { accepted.reduce(0) { $0 + ($1 ? 1 : 0) } }
    public var acceptanceRate: Double { accepted.isEmpty ? 0 : Double(acceptedCount) / Double(accepted.count) }

    /// Quantiles `ps` of metric `index`: exact over the accepted draws (`calibrated`), or from the
    /// prior-predictive histogram over all draws.
    public func quantiles(_ index: Int, _ ps: [Double], calibrated: Bool) -> [Double] {
        calibrated ? self.calibrated.quantiles(index, ps) : ps.map { prior.quantile(index, $0) }
    }

    /// Share of the ensemble's draws in which metric `index` is defined (months per $10B needs a cost).
    public func definedShare(_ index: Int, calibrated: Bool) -> Double {
        let n = calibrated ? self.calibrated.rows : prior.total
        guard n > 0 else { return 0 }
        return Double(calibrated ? self.calibrated.definedCount(index) : prior.definedCount(index)) / Double(n)
    }

    /// Quantile of one hindcast statistic over accepted (or all) draws.
    public func statisticQuantile(_ s: CheckStatistic, _ p: Double, acceptedOnly: Bool = true) -> Double {
        statisticQuantile(s, p) { acceptedOnly ? self.accepted[$0] : true }
    }

    /// Quantile of one hindcast statistic over the draws `keep` selects.
    public func statisticQuantile(_ s: CheckStatistic, _ p: Double, keep: (Int) -> Bool) -> Double {
        let k = CheckStatistic.count
        var v: [Double] = []
        for d in 0..<accepted.count where keep(d) { v.append(statistics[d * k + s.index]) }
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

/// A per-draw baseline trace for diagnostics (`draws.csv`): per year, China's sovereign lag, its
/// own-development lag and the open-weight lag (months), log10 of the US and Chinese largest
/// feasible runs (FLOP, end of year); then the time of the last frontier-weight theft
/// in the baseline projection (decimal year, -1 if none).
public enum DrawTrace {
    public static let perYear = 5
    public static func width(years: Int) -> Int { years * perYear + 1 }
    public static func names(years: [Int]) -> [String] {
        years.flatMap { ["cn_lag_\($0)", "cn_lag_own_\($0)", "open_lag_\($0)", "us_log10_run_\($0)", "cn_log10_run_\($0)"] } + ["last_theft_baseline"]
    }
}

/// Runs the Monte Carlo: every draw simulates the shared hindcast, is accepted or rejected against
/// the sanity checks, then runs every scenario with common random numbers (one random stream per
/// draw, shared by all scenarios); lever effects are paired per-draw differences. Deterministic for
/// a given seed and inputs, whatever the thread count.
public func runMonteCarlo(model: CompiledModel, config: MonteCarloConfig,
                          progress: (@Sendable (Int) -> Void)? = nil) -> SimulationResult {
    let layout = MetricLayout(scenarios: model.scenarioCount, years: model.calendar.years)
    let threads = max(1, min(config.threads, config.draws))
    let box = ChunkBox(count: threads)
    let reportY = model.calendar.yearIndex(config.reportYear) ?? (model.calendar.years - 1)
    let years = model.calendar.years
    let work: @Sendable (Int) -> Void = { chunk in
        let lo = config.draws * chunk / threads, hi = config.draws * (chunk + 1) / threads
        var part = ChunkResult(layout: layout, draws: hi - lo)
        let sim = DrawSimulator(model: model)
        var metrics = [Double](repeating: 0, count: layout.count)
        for d in lo..<hi {
            sim.run(draw: d, seed: config.seed)
            let o = sim.outcome
            fillMetrics(o, layout: layout, model: model, reportYear: reportY, into: &metrics)
            metrics.withUnsafeBufferPointer { buf in
                part.prior.add(buf)
                if o.accepted { part.calibrated.add(buf) }
            }
            part.statistics.append(contentsOf: o.statistics)
            part.accepted.append(o.accepted)
            part.parameters.append(contentsOf: o.parameters)
            for y in 0..<years {
                part.traces.append(o.value(0, y, .cn, .lag))
                part.traces.append(o.value(0, y, .cn, .lagOwn))
                part.traces.append(o.value(0, y, .openLag))
                part.traces.append(o.value(0, y, .us, .log10LargestRun))
                part.traces.append(o.value(0, y, .cn, .log10LargestRun))
            }
            part.traces.append(o.lastTheftBaseline)
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
    // Chunks are contiguous draw ranges merged in order: the result is independent of `threads`.
    var calibrated = SampleTable(layout: layout), prior = HistogramTable(layout: layout)
    var stats: [Double] = [], accepted: [Bool] = [], params: [Double] = [], traces: [Double] = [], lag: [Double] = [], lagOwn: [Double] = []
    for part in box.parts() {
        calibrated.append(part.calibrated); prior.merge(part.prior)
        stats += part.statistics; accepted += part.accepted; params += part.parameters; traces += part.traces
        lag += part.cnLag; lagOwn += part.cnLagOwn
    }
    return SimulationResult(scenarioNames: model.scenarioNames, calendar: model.calendar, config: config, layout: layout,
                            calibrated: calibrated, prior: prior, statistics: stats, accepted: accepted, parameters: params,
                            traces: traces, cnLagReportYear: lag, cnLagOwnReportYear: lagOwn)
}

/// One draw's metric vector in `layout` order: levels per scenario, then each lever's paired
/// difference from the baseline in the same draw (common random numbers).
func fillMetrics(_ o: DrawOutcome, layout: MetricLayout, model: CompiledModel, reportYear: Int, into m: inout [Double]) {
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
            // Computed from the stored log10 levels; identical levels give exactly 0.
            let dLog = o.value(s, y, .cn, .log10Compute) - o.value(0, y, .cn, .log10Compute)
            m[layout.lever(s, y, .cnComputeChangePct)] = dLog == 0 ? 0 : 100 * (Foundation.pow(10, dLog) - 1)
            m[layout.lever(s, y, .usSelfHarmMonths)] = -12 * (o.value(s, y, .usEffectiveLog) - o.value(0, y, .usEffectiveLog)) / (gc + ga)
            if y >= firstProj {
                cost += o.value(0, y, .vendorNetRevenue) - o.value(s, y, .vendorNetRevenue)
                minerals += o.value(s, y, .mineralsGDPLoss) - o.value(0, y, .mineralsGDPLoss)
            }
        }
        let costPerYear = cost / projYears
        m[layout.lever(s, .vendorCostPerYear)] = costPerYear
        m[layout.lever(s, .mineralsCostPerYear)] = minerals / projYears
        let defined = costPerYear >= LeverMetric.minimumCostForRatio
        m[layout.lever(s, .monthsPer10B)] = defined ? m[layout.lever(s, reportYear, .cn, .monthsBought)] / (costPerYear / 1e10) : .nan
        m[layout.lever(s, .monthsPer10BOwn)] = defined ? m[layout.lever(s, reportYear, .cn, .monthsBoughtOwn)] / (costPerYear / 1e10) : .nan
    }
}

struct ChunkResult: Sendable {
    var calibrated: SampleTable, prior: HistogramTable
    var statistics: [Double] = [], accepted: [Bool] = [], parameters: [Double] = [], traces: [Double] = [], cnLag: [Double] = [], cnLagOwn: [Double] = []
    init(layout: MetricLayout, draws: Int) {
        calibrated = SampleTable(layout: layout); prior = HistogramTable(layout: layout)
        statistics.reserveCapacity(draws * CheckStatistic.count)
        parameters.reserveCapacity(draws * DrawParameters.count)
        traces.reserveCapacity(draws * DrawTrace.width(years: layout.years))
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
