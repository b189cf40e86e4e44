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
    /// The prior-predictive ensemble keeps every draw whose index is a multiple of
    /// `max(1, draws / priorSampleSize)` (a systematic sample of all draws, accepted or not).
    public var priorSampleSize: Int

    public init(draws: Int, seed: UInt64, threads: Int = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)), reportYear: Int = 2027, priorSampleSize: Int = 1000) {
        self.draws = draws; self.seed = seed; self.threads = threads; self.reportYear = reportYear; self.priorSampleSize = priorSampleSize
    }
    var priorStride: Int { max(1, draws / max(1, priorSampleSize)) }
}

/// Aggregated results. Both ensembles keep every metric of their draws, so quantiles are exact
/// order statistics: the calibrated ensemble (accepted draws) and the prior-predictive sample
/// (a systematic sample of all draws, see ``MonteCarloConfig/priorSampleSize``). Small per-draw
/// vectors (hindcast statistics, inputs, a baseline trace of China's lags) serve the acceptance
/// rate, the check tests, the tornado and `draws.csv`.
public struct SimulationResult: Sendable {
    public let scenarioNames: [String]
    public let scenarioKinds: [ScenarioKind]
    public let domainIDs: [String]
    public let calendar: SimulationCalendar
    public let config: MonteCarloConfig
    public let layout: MetricLayout
    public let calibrated: SampleTable
    public let prior: SampleTable
    /// [draw * CheckStatistic.count + k]
    public let statistics: [Double]
    public let accepted: [Bool]
    /// [draw * parameterNames.count + i]
    public let parameters: [Double]
    public let parameterNames: [String]
    public let parameterIsAssumption: [Bool]
    /// [draw * DrawTrace.width + i]: baseline trace, see ``DrawTrace``.
    public let traces: [Double]
    /// China's capability and own-development lag in `reportYear`, baseline, per draw.
    public let cnLagReportYear: [Double]
    public let cnLagOwnReportYear: [Double]

    public var acceptedCount: Int { accepted.reduce(0) { $0 + ($1 ? 1 : 0) } }
    public var acceptanceRate: Double { accepted.isEmpty ? 0 : Double(acceptedCount) / Double(accepted.count) }
    public var lagDomains: Int { layout.lagDomains }

    /// Quantiles `ps` of metric `index` over the calibrated or the prior-predictive ensemble.
    public func quantiles(_ index: Int, _ ps: [Double], calibrated: Bool) -> [Double] {
        (calibrated ? self.calibrated : prior).quantiles(index, ps)
    }

    /// Share of the ensemble's draws in which metric `index` is defined (months per $10B needs a cost).
    public func definedShare(_ index: Int, calibrated: Bool) -> Double {
        let t = calibrated ? self.calibrated : prior
        guard t.rows > 0 else { return 0 }
        return Double(t.definedCount(index)) / Double(t.rows)
    }

    /// Mean of metric `index` over the ensemble (NaN left out).
    public func mean(_ index: Int, calibrated: Bool) -> Double {
        let c = (calibrated ? self.calibrated : prior).column(index)
        return c.isEmpty ? .nan : c.reduce(0, +) / Double(c.count)
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
        let n = parameterNames.count
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
            out.append((parameterNames[i], spearman(col, y)))
        }
        return out.sorted { abs($0.1) > abs($1.1) || (abs($0.1) == abs($1.1) && $0.0 < $1.0) }
    }
}

/// A per-draw baseline trace for diagnostics (`draws.csv`): per year, China's capability lag, its
/// own-development lag and the open-weight lag (months), log10 of the US and Chinese largest
/// feasible runs (FLOP, end of year); then the time of the last frontier-weight theft in the
/// baseline projection (decimal year, -1 if none).
public enum DrawTrace {
    public static let perYear = 5
    public static func width(years: Int) -> Int { years * perYear + 1 }
    public static func names(years: [Int]) -> [String] {
        years.flatMap { ["cn_lag_\($0)", "cn_lag_own_\($0)", "open_lag_\($0)", "us_log10_run_\($0)", "cn_log10_run_\($0)"] } + ["last_theft_baseline"]
    }
}

/// Runs the Monte Carlo: every draw simulates the shared hindcast, is accepted or rejected against
/// the calibrated sanity checks, then runs every scenario with common random numbers (one random
/// stream per draw, shared by all scenarios); lever effects are paired per-draw differences.
/// Deterministic for a given seed and inputs, whatever the thread count.
public func runMonteCarlo(model: CompiledModel, config: MonteCarloConfig,
                          progress: (@Sendable (Int) -> Void)? = nil) -> SimulationResult {
    let layout = MetricLayout(scenarios: model.scenarioCount, years: model.calendar.years,
                              lagDomains: model.lagDomains.count, domains: model.domainCount)
    let threads = max(1, min(config.threads, config.draws))
    let box = ChunkBox(count: threads)
    let reportY = model.calendar.yearIndex(config.reportYear) ?? (model.calendar.years - 1)
    let years = model.calendar.years
    let stride = config.priorStride
    let work: @Sendable (Int) -> Void = { chunk in
        let lo = config.draws * chunk / threads, hi = config.draws * (chunk + 1) / threads
        var part = ChunkResult(layout: layout, draws: hi - lo, parameters: model.sampler.layout.count)
        let sim = DrawSimulator(model: model)
        var metrics = [Double](repeating: 0, count: layout.count)
        for d in lo..<hi {
            sim.run(draw: d, seed: config.seed)
            let o = sim.outcome
            let keepPrior = d % stride == 0
            if o.accepted || keepPrior {
                fillMetrics(o, layout: layout, model: model, into: &metrics)
                metrics.withUnsafeBufferPointer { buf in
                    if keepPrior { part.prior.add(buf) }
                    if o.accepted { part.calibrated.add(buf) }
                }
            }
            part.statistics.append(contentsOf: o.statistics)
            part.accepted.append(o.accepted)
            part.parameters.append(contentsOf: o.parameters)
            for y in 0..<years {
                part.traces.append(o.lag(0, y, .cn))
                part.traces.append(o.value(0, y, .cn, .lagOwn))
                part.traces.append(o.value(0, y, .openLag))
                part.traces.append(o.value(0, y, .us, .log10LargestRun))
                part.traces.append(o.value(0, y, .cn, .log10LargestRun))
            }
            part.traces.append(o.lastTheftBaseline)
            part.cnLag.append(o.lag(0, reportY, .cn))
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
    var calibrated = SampleTable(layout: layout), prior = SampleTable(layout: layout)
    var stats: [Double] = [], accepted: [Bool] = [], params: [Double] = [], traces: [Double] = [], lag: [Double] = [], lagOwn: [Double] = []
    for part in box.parts() {
        calibrated.append(part.calibrated); prior.append(part.prior)
        stats += part.statistics; accepted += part.accepted; params += part.parameters; traces += part.traces
        lag += part.cnLag; lagOwn += part.cnLagOwn
    }
    return SimulationResult(scenarioNames: model.scenarioNames, scenarioKinds: model.scenarioKinds, domainIDs: model.domainIDs,
                            calendar: model.calendar, config: config, layout: layout,
                            calibrated: calibrated, prior: prior, statistics: stats, accepted: accepted, parameters: params,
                            parameterNames: model.sampler.names, parameterIsAssumption: model.sampler.assumption,
                            traces: traces, cnLagReportYear: lag, cnLagOwnReportYear: lagOwn)
}

/// Months by which a lever delays reaching a level of log10 deployable compute: `baseline` holds the
/// baseline's end-of-year values (year index i at time i + 1), `value` the lever's in year `y`.
/// The baseline is read as piecewise linear between year ends and extended along its end segments;
/// positive = later than the baseline. NaN where the baseline does not grow.
public func deploymentDelayMonths(baseline: [Double], value: Double, year y: Int) -> Double {
    let n = baseline.count
    guard n >= 2 else { return .nan }
    if value == baseline[y] { return 0 }
    // Time (in year units) at which the baseline reaches `value`: the crossing nearest year y.
    var t = Double.nan
    for i in 0..<(n - 1) {
        let a = baseline[i], b = baseline[i + 1]
        guard b != a, (value - a) * (value - b) <= 0 else { continue }
        let c = Double(i) + (value - a) / (b - a)
        if t.isNaN || abs(c - Double(y)) < abs(t - Double(y)) { t = c }
    }
    if t.isNaN {
        if value < baseline[0] {
            let slope = baseline[1] - baseline[0]
            guard slope > 0 else { return .nan }
            t = (value - baseline[0]) / slope
        } else if value > baseline[n - 1] {
            let slope = baseline[n - 1] - baseline[n - 2]
            guard slope > 0 else { return .nan }
            t = Double(n - 1) + (value - baseline[n - 1]) / slope
        } else { return .nan }
    }
    return 12 * (Double(y) - t)
}

/// One draw's metric vector in `layout` order: levels per scenario, then each lever's paired
/// difference from the baseline in the same draw (common random numbers), costs and ratios.
func fillMetrics(_ o: DrawOutcome, layout: MetricLayout, model: CompiledModel, into m: inout [Double]) {
    let years = layout.years, nd = layout.lagDomains
    let gc = Foundation.log10(o.parameters[PriorKey.frontierComputeGrowth.index])
    let ga = Foundation.log10(2) * 12 / o.parameters[PriorKey.algHalvingMonths.index]
    let firstProj = model.calendar.hindcastQuarters / 4
    let projYears = Double(max(1, years - firstProj))
    let costBase = model.sampler.layout.costBase
    var baseE = [Double](repeating: 0, count: years)
    for s in 0..<layout.scenarios {
        for y in 0..<years {
            for a in Actor.list {
                for k in ActorMetric.list { m[layout.actor(s, y, a, k)] = o.value(s, y, a, k) }
                for d in 0..<nd { m[layout.lag(s, y, a, domain: d)] = o.lag(s, y, a, domain: d) }
            }
            for k in ScenarioMetric.list {
                let v = o.value(s, y, k)
                switch k {
                case .cnDomestic, .cnImports, .cnSmuggled, .cnCloud: m[layout.scenario(s, y, k)] = Foundation.log10(max(v, 1))
                default: m[layout.scenario(s, y, k)] = v
                }
            }
        }
        guard s > 0 else { continue }
        var vendor = 0.0, minerals = 0.0
        for y in 0..<years {
            for a in Actor.list {
                for d in 0..<nd { m[layout.monthsBought(s, y, a, domain: d)] = o.lag(s, y, a, domain: d) - o.lag(0, y, a, domain: d) }
            }
            // Computed from the stored log10 levels; identical levels give exactly 0.
            let dLog = o.value(s, y, .cn, .log10Compute) - o.value(0, y, .cn, .log10Compute)
            m[layout.lever(s, y, .cnComputeChangePct)] = dLog == 0 ? 0 : 100 * (Foundation.pow(10, dLog) - 1)
            m[layout.lever(s, y, .usSelfHarmMonths)] = -12 * (o.value(s, y, .usEffectiveLog) - o.value(0, y, .usEffectiveLog)) / (gc + ga)
            if y >= firstProj {
                vendor += o.value(0, y, .vendorNetRevenue) - o.value(s, y, .vendorNetRevenue)
                minerals += o.value(s, y, .mineralsGDPLoss) - o.value(0, y, .mineralsGDPLoss)
            }
        }
        if layout.domains > nd {
            for a in Actor.list {
                for y in 0..<years { baseE[y] = o.value(0, y, a, .log10Compute) }
                for y in 0..<years {
                    m[layout.monthsBought(s, y, a, domain: nd)] = deploymentDelayMonths(baseline: baseE, value: o.value(s, y, a, .log10Compute), year: y)
                }
            }
        }
        let vendorPerYear = vendor / projYears, mineralsPerYear = minerals / projYears
        let direct = o.parameters[costBase + s]
        let total = vendorPerYear + mineralsPerYear + direct
        m[layout.lever(s, .vendorCostPerYear)] = vendorPerYear
        m[layout.lever(s, .mineralsCostPerYear)] = mineralsPerYear
        m[layout.lever(s, .directCostPerYear)] = direct
        m[layout.lever(s, .totalCostPerYear)] = total
        let defined = total >= LeverMetric.minimumCostForRatio
        for a in Actor.list {
            for d in 0..<layout.domains {
                var sum = 0.0, n = 0.0
                for y in firstProj..<years {
                    let v = m[layout.monthsBought(s, y, a, domain: d)]
                    if !v.isNaN { sum += v; n += 1 }
                }
                let mean = n > 0 ? sum / n : .nan
                m[layout.lever(s, a, domain: d, .meanMonthsBought)] = mean
                m[layout.lever(s, a, domain: d, .monthsPer10B)] = defined && !mean.isNaN ? mean / (total / 1e10) : .nan
            }
        }
    }
}

struct ChunkResult: Sendable {
    var calibrated: SampleTable, prior: SampleTable
    var statistics: [Double] = [], accepted: [Bool] = [], parameters: [Double] = [], traces: [Double] = [], cnLag: [Double] = [], cnLagOwn: [Double] = []
    init(layout: MetricLayout, draws: Int, parameters: Int) {
        calibrated = SampleTable(layout: layout); prior = SampleTable(layout: layout)
        statistics.reserveCapacity(draws * CheckStatistic.count)
        self.parameters.reserveCapacity(draws * parameters)
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
