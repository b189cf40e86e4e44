import SeededRandom
import Foundation

/// The outcome of one draw: sampled inputs, hindcast statistics, acceptance, and yearly outputs of
/// every scenario. Flat arrays; see the index helpers.
public struct DrawOutcome: Sendable {
    public var parameters: [Double]
    /// Indexed by `CheckStatistic.index`.
    public var statistics: [Double]
    public var accepted: Bool
    /// [((s * years + y) * actors + a) * ActorMetric.count + m]
    public var actor: [Double]
    /// Capability lag (months, annual mean) per lag domain: [((s * years + y) * actors + a) * lagDomains + d]
    public var domainLag: [Double]
    /// [(s * years + y) * ScenarioMetric.count + m]
    public var scenario: [Double]
    /// Time (decimal year) of the last frontier-weight theft in the baseline projection, -1 if none.
    public var lastTheftBaseline = -1.0
    public let years: Int, lagDomains: Int

    @inline(__always) public func actorIndex(_ s: Int, _ y: Int, _ a: Int, _ m: ActorMetric) -> Int {
        ((s * years + y) * Actor.count + a) * ActorMetric.count + m.rawValue
    }
    @inline(__always) public func lagIndex(_ s: Int, _ y: Int, _ a: Int, _ d: Int) -> Int {
        ((s * years + y) * Actor.count + a) * lagDomains + d
    }
    @inline(__always) public func scenarioIndex(_ s: Int, _ y: Int, _ m: ScenarioMetric) -> Int {
        (s * years + y) * ScenarioMetric.count + m.rawValue
    }
    public func value(_ s: Int, _ y: Int, _ a: Actor, _ m: ActorMetric) -> Double { actor[actorIndex(s, y, a.index, m)] }
    /// Capability lag of `a` in lag domain `d` (0 = frontier-general), months.
    public func lag(_ s: Int, _ y: Int, _ a: Actor, domain d: Int = 0) -> Double { domainLag[lagIndex(s, y, a.index, d)] }
    public func value(_ s: Int, _ y: Int, _ m: ScenarioMetric) -> Double { scenario[scenarioIndex(s, y, m)] }
}

/// Per-(scenario, year, actor) output metrics besides the domain lags.
public enum ActorMetric: Int, CaseIterable, Sendable {
    /// Own-development lag (months, annual mean), eq. (6), frontier-general.
    case lagOwn
    /// Effective deployable compute E = S + R (H100e), end of year, log10 (the deployment-scale domain).
    case log10Compute
    /// Share of world effective compute, end of year.
    case worldShare
    /// Largest feasible training run (FLOP), end of year, log10.
    case log10LargestRun
    public static let count = 4
    public static let list: [ActorMetric] = allCases
}

/// Where the best open-weight model comes from (the open frontier's origin).
public enum OpenOrigin: Int, CaseIterable, Sendable {
    case us, cn, t1, gulf
    public var actor: Actor { [Actor.us, .cn, .t1, .gulf][rawValue] }
    public static let count = 4
}

/// Per-(scenario, year) output metrics.
public enum ScenarioMetric: Int, CaseIterable, Sendable {
    case cnDomestic, cnImports, cnSmuggled, cnCloud   // H100e at end of year, by source
    case openLag                                       // months, annual mean, frontier-general
    case originUS, originCN, originT1, originGulf      // share of the year's quarters the origin held the open frontier
    case vendorNetRevenue                              // USD in the year (China + Tier-2 sales, net of revenue share)
    case usEffectiveLog                                // log10 US training compute + algorithmic deviation
    case mineralsGDPLoss                               // USD in the year
    public static let count = 12
    public static let list: [ScenarioMetric] = allCases
    public static func origin(_ o: OpenOrigin) -> ScenarioMetric { [.originUS, .originCN, .originT1, .originGulf][o.rawValue] }
}

/// Simulates draws. One instance per thread: it owns its scratch buffers and allocates nothing
/// per step. The model's equations are in `EngineStep.swift` (spec §3.4 numbering, plus this
/// version's open frontier, domains and responses), the per-draw set-up below.
public final class DrawSimulator {
    public let model: CompiledModel
    let quarters: Int, hindcast: Int, years: Int, nd: Int
    public internal(set) var outcome: DrawOutcome
    var params: [Double]
    var theftU: [Double]
    // State and scratch live in raw buffers (allocated once per simulator; no copy-on-write checks
    // in the quarter loop). `snap*` hold the end of the hindcast.
    let stock: UnsafeMutablePointer<Double>, snapStock: UnsafeMutablePointer<Double>
    /// China's stock by source: domestic, imports, smuggled.
    let cnParts: UnsafeMutablePointer<Double>, snapCNParts: UnsafeMutablePointer<Double>
    let talent: UnsafeMutablePointer<Double>, snapTalent: UnsafeMutablePointer<Double>
    var algDev = 0.0, snapAlgDev = 0.0
    var lastTheft = -1.0, snapLastTheft = -1.0
    /// Lag of the best US open release per lag domain (months; ages 3 months a quarter).
    let usOpen: UnsafeMutablePointer<Double>, snapUSOpen: UnsafeMutablePointer<Double>
    /// Months since the last periodic US release (projection).
    var releaseClock = 0.0, snapReleaseClock = 0.0
    /// Open lag usable by each actor last quarter (frontier-general), for the proximity O.
    let usablePrev: UnsafeMutablePointer<Double>, snapUsablePrev: UnsafeMutablePointer<Double>
    /// log multiplier of China's domestic output from the substitution response; years of enforcement.
    var subLog = 0.0, snapSubLog = 0.0, enfYears = 0.0, snapEnfYears = 0.0
    /// China's capability-per-compute advantage from efficiency under scarcity (OOM).
    var efficiency = 0.0, snapEfficiency = 0.0
    let path: UnsafeMutablePointer<Double>
    let kappa0: UnsafeMutablePointer<Double>, demandHist: UnsafeMutablePointer<Double>, demandProj: UnsafeMutablePointer<Double>
    let adopt: UnsafeMutablePointer<Double>, friction: UnsafeMutablePointer<Double>, absorptive: UnsafeMutablePointer<Double>
    /// Reference world additions (H100e/yr) and world stock relative to mid-2025, per quarter.
    let worldAdd: UnsafeMutablePointer<Double>, worldRel: UnsafeMutablePointer<Double>, priceFactor: UnsafeMutablePointer<Double>
    let kappaFactor: UnsafeMutablePointer<Double>, packageFactor: UnsafeMutablePointer<Double>
    /// Scratch: per actor, and per (actor, lag domain).
    let logC: UnsafeMutablePointer<Double>, eff: UnsafeMutablePointer<Double>, distill: UnsafeMutablePointer<Double>
    let proximity: UnsafeMutablePointer<Double>, boostDriver: UnsafeMutablePointer<Double>, usableNow: UnsafeMutablePointer<Double>
    let rCatch: UnsafeMutablePointer<Double>, boost: UnsafeMutablePointer<Double>, own: UnsafeMutablePointer<Double>
    let lagNow: UnsafeMutablePointer<Double>, lagAcc: UnsafeMutablePointer<Double>, lagOwnAcc: UnsafeMutablePointer<Double>
    let relCN: UnsafeMutablePointer<Double>, relT1: UnsafeMutablePointer<Double>, relGulf: UnsafeMutablePointer<Double>
    /// Per lag domain: frontier offset (OOM), channel multipliers, release-gap factor, floor (months).
    let dOffset: UnsafeMutablePointer<Double>, dPub: UnsafeMutablePointer<Double>, dDist: UnsafeMutablePointer<Double>
    let dOpen: UnsafeMutablePointer<Double>, dGap: UnsafeMutablePointer<Double>, dFloor: UnsafeMutablePointer<Double>
    private var buffers: [(UnsafeMutablePointer<Double>, Int)] = []
    /// Hindcast references for the responses (set at the end of the hindcast).
    var unmet2024 = 0.0, blockedRef = 0.0
    /// Optional per-quarter trace for the numpy reference (`traceNames` order), one row per (scenario, quarter).
    public var traceEnabled = false
    public internal(set) var trace: [[Double]] = []

    public init(model: CompiledModel) {
        self.model = model
        quarters = model.calendar.totalQuarters
        hindcast = model.calendar.hindcastQuarters
        years = model.calendar.years
        nd = model.lagDomains.count
        let s = model.scenarioCount
        outcome = DrawOutcome(parameters: [], statistics: [Double](repeating: .nan, count: CheckStatistic.count), accepted: false,
                              actor: [Double](repeating: 0, count: s * years * Actor.count * ActorMetric.count),
                              domainLag: [Double](repeating: 0, count: s * years * Actor.count * nd),
                              scenario: [Double](repeating: 0, count: s * years * ScenarioMetric.count), years: years, lagDomains: nd)
        params = [Double](repeating: 0, count: model.sampler.layout.count)
        theftU = [Double](repeating: 1, count: quarters)
        var owned: [(UnsafeMutablePointer<Double>, Int)] = []
        func buffer(_ n: Int) -> UnsafeMutablePointer<Double> {
            let b = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
            b.initialize(repeating: 0, count: max(1, n))
            owned.append((b, max(1, n)))
            return b
        }
        let a = Actor.count, ad = Actor.count * nd
        stock = buffer(a); snapStock = buffer(a); talent = buffer(a); snapTalent = buffer(a)
        cnParts = buffer(3); snapCNParts = buffer(3)
        usOpen = buffer(nd); snapUSOpen = buffer(nd); relCN = buffer(nd); relT1 = buffer(nd); relGulf = buffer(nd)
        usablePrev = buffer(a); snapUsablePrev = buffer(a); usableNow = buffer(a)
        kappa0 = buffer(a); demandHist = buffer(a); demandProj = buffer(a); adopt = buffer(a); friction = buffer(a); absorptive = buffer(a)
        logC = buffer(a); eff = buffer(a); distill = buffer(a); proximity = buffer(a); boostDriver = buffer(a); lagOwnAcc = buffer(a)
        rCatch = buffer(ad); boost = buffer(ad); own = buffer(ad); lagNow = buffer(ad); lagAcc = buffer(ad)
        worldAdd = buffer(quarters); worldRel = buffer(quarters); priceFactor = buffer(quarters); kappaFactor = buffer(quarters); packageFactor = buffer(quarters)
        dOffset = buffer(nd); dPub = buffer(nd); dDist = buffer(nd); dOpen = buffer(nd); dGap = buffer(nd); dFloor = buffer(nd)
        path = buffer(quarters)
        buffers = owned
    }

    deinit { for (b, n) in buffers { b.deinitialize(count: n); b.deallocate() } }

    /// Samples draw `draw` of `seed` and simulates every scenario. Results are in `outcome`.
    public func run(draw: Int, seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed, draw: draw)
        model.sampler.sample(&rng, into: &params)
        for q in 0..<quarters { theftU[q] = rng.uniform() }
        run(parameters: params)
    }

    /// The uniforms that decide weight thefts (one per quarter), as last sampled.
    public var theftUniforms: [Double] { theftU }

    /// Simulates every scenario for given parameter values (theft uniforms as last sampled, or given).
    public func run(parameters: [Double], theftUniforms: [Double]? = nil) {
        params = parameters
        if let theftUniforms { theftU = theftUniforms }
        outcome.parameters = parameters
        trace = []
        setUp()
        simulate(scenario: 0, from: 0, to: hindcast, hindcastStats: true)
        snapshot()
        for s in 0..<model.scenarioCount {
            restore()
            simulate(scenario: s, from: hindcast, to: quarters, hindcastStats: false)
            if s == 0 { outcome.lastTheftBaseline = lastTheft }
        }
        // Hindcast years are shared: copy the baseline's hindcast years to every scenario.
        let hy = hindcast / 4
        for s in 1..<max(1, model.scenarioCount) {
            for y in 0..<hy {
                for a in 0..<Actor.count {
                    for m in ActorMetric.list { outcome.actor[outcome.actorIndex(s, y, a, m)] = outcome.actor[outcome.actorIndex(0, y, a, m)] }
                    for d in 0..<nd { outcome.domainLag[outcome.lagIndex(s, y, a, d)] = outcome.domainLag[outcome.lagIndex(0, y, a, d)] }
                }
                for m in ScenarioMetric.list { outcome.scenario[outcome.scenarioIndex(s, y, m)] = outcome.scenario[outcome.scenarioIndex(0, y, m)] }
            }
        }
        var ok = true
        for check in model.inputs.calibration.checks where check.isCalibrated {
            if !check.accept.contains(outcome.statistics[check.statistic.index]) { ok = false; break }
        }
        outcome.accepted = ok
    }

    // MARK: - Derived per-draw constants

    @inline(__always) func p(_ k: PriorKey) -> Double { params[k.index] }

    var gc = 0.0, ga = 0.0, gw = 0.0, decayQ = 0.0, flopPerH100eRun = 0.0
    var w0 = 0.0, hub2024 = 0.0, talent0US = 0.0, talent0CN = 0.0

    func setUp() {
        gc = Foundation.log10(p(.frontierComputeGrowth))
        ga = Foundation.log10(2) * 12 / p(.algHalvingMonths)
        gw = p(.globalComputeGrowth)
        let delta = p(.depreciation)
        decayQ = Foundation.pow(1 - delta, SimulationCalendar.dt)
        flopPerH100eRun = h100DenseBF16FLOPs * p(.mfu) * p(.runDays) * secondsPerDay
        // Reference world stock: anchored at its measured level in Jan 2026 (Epoch) and back-cast to
        // the start at gw; its log growth decays by `growthDecay` per year after 2025. Additions per
        // year are what keeps the stock on that path after depreciation.
        let lnG = Foundation.log(gw), keep = 1 - p(.growthDecay)
        w0 = p(.worldStockJan2026) / Foundation.exp(lnG * (2026 - Double(model.calendar.startYear)))
        let lnKeep = Foundation.log(max(keep, 1e-9))
        let start = Double(model.calendar.startYear)
        func lnW(_ t: Double) -> Double {
            let base = lnG * (min(t, 2026) - start)
            let tau = max(0, t - 2026)
            if tau == 0 { return base }
            return base + (abs(lnKeep) < 1e-12 ? lnG * tau : lnG * (1 - Foundation.exp(lnKeep * tau)) / -lnKeep)
        }
        let lnMid2025 = lnW(2025.5)
        for q in 0..<quarters {
            let t = model.calendar.midTime(q)
            let rate = lnG * Foundation.pow(keep, max(0, t - 2026))
            worldAdd[q] = w0 * Foundation.exp(lnW(t)) * (Foundation.exp(rate * SimulationCalendar.dt) - decayQ) / SimulationCalendar.dt
            worldRel[q] = Foundation.exp(lnW(t) - lnMid2025)
            priceFactor[q] = Foundation.pow(2, -(t - 2025.5) / p(.pricePerfDoubling))
            kappaFactor[q] = Foundation.pow(p(.frontierComputeGrowth) / gw, model.calendar.endTime(q) - 2025.5)
            // Huawei output relative to 2025: after mid-2025 it grows at dom_growth_cn (spec §3.6);
            // before, it ramps geometrically from the mid-2023 rate (huawei_output_2023_share of 2025's).
            packageFactor[q] = t >= 2025.5 ? Foundation.pow(p(.domGrowthCN), t - 2025.5)
                : Foundation.pow(p(.huaweiOutput2023Share), (2025.5 - t) / 2)
        }
        // Initial stocks: Epoch cluster shares, China's scaled by the coverage bias, renormalised.
        var share = model.initialShare
        share[Actor.cn.index] *= p(.cnClusterShareBias)
        let total = share.reduce(0, +)
        for a in 0..<Actor.count { stock[a] = w0 * share[a] / total }
        cnParts[0] = 0; cnParts[1] = stock[Actor.cn.index]; cnParts[2] = 0  // pre-2023 Chinese stock counted as imports (A100-era)
        set(kappa0, [p(.kappaUS), p(.kappaOther), p(.kappaCN), p(.kappaOther), p(.kappaOther), p(.kappaOther), p(.kappaOther)])
        let planned = p(.plannedPipelineWeight)
        for a in 0..<Actor.count {
            demandHist[a] = model.additionsShare[a]
            demandProj[a] = (1 - planned) * model.additionsShare[a] + planned * model.plannedShare[a]
        }
        for d in [Actor.cn.index, Actor.ru.index] { demandHist[d] = 0; demandProj[d] = 0 }
        hub2024 = 0
        for q in 4..<8 { hub2024 += worldAdd[q] * (demandHist[Actor.gulf.index] + demandHist[Actor.row.index]) / 4 }
        talent0US = p(.talentShareUS); talent0CN = p(.talentShareCN)
        for a in 0..<Actor.count { talent[a] = 1 }
        talent[Actor.us.index] = talent0US; talent[Actor.cn.index] = talent0CN
        algDev = 0; lastTheft = -1
        // Open weights: adoption delays, friction with Chinese weights, the best US open release.
        set(adopt, [0, p(.adoptDelay), p(.adoptDelay), p(.adoptDelayRURow), p(.adoptDelay), p(.adoptDelayIN), p(.adoptDelayRURow)])
        set(friction, [0, p(.frictionT1), 0, 0, p(.frictionGulf), p(.frictionIN), p(.frictionRow)])
        set(absorptive, [1, p(.absorptiveT1), 1, p(.absorptiveRU), p(.absorptiveGulf), p(.absorptiveIN), p(.absorptiveRow)])
        for d in 0..<nd { usOpen[d] = p(.openLagInitial) - 3 }
        for a in 0..<Actor.count { usablePrev[a] = p(.openLagInitial) }
        releaseClock = p(.usOpenInterval)
        subLog = 0; enfYears = 0; unmet2024 = 0; blockedRef = 0; efficiency = p(.cnEfficiencyInitial)
        let L = model.sampler.layout
        for d in 0..<nd {
            dOffset[d] = params[L.domain(d, .frontierOffset)]; dPub[d] = params[L.domain(d, .publications)]
            dDist[d] = params[L.domain(d, .distillation)]; dOpen[d] = params[L.domain(d, .openWeights)]
            dGap[d] = params[L.domain(d, .releaseGapFactor)]; dFloor[d] = params[L.domain(d, .replicationFloor)]
        }
    }

    @inline(__always) func set(_ b: UnsafeMutablePointer<Double>, _ values: [Double]) { for (i, v) in values.enumerated() { b[i] = v } }

    func snapshot() {
        snapStock.update(from: stock, count: Actor.count); snapCNParts.update(from: cnParts, count: 3); snapTalent.update(from: talent, count: Actor.count)
        snapUSOpen.update(from: usOpen, count: nd); snapUsablePrev.update(from: usablePrev, count: Actor.count)
        snapAlgDev = algDev; snapLastTheft = lastTheft; snapReleaseClock = releaseClock; snapSubLog = subLog; snapEnfYears = enfYears; snapEfficiency = efficiency
    }
    func restore() {
        stock.update(from: snapStock, count: Actor.count); cnParts.update(from: snapCNParts, count: 3); talent.update(from: snapTalent, count: Actor.count)
        usOpen.update(from: snapUSOpen, count: nd); usablePrev.update(from: snapUsablePrev, count: Actor.count)
        algDev = snapAlgDev; lastTheft = snapLastTheft; releaseClock = snapReleaseClock; subLog = snapSubLog; enfYears = snapEnfYears; efficiency = snapEfficiency
    }
}
