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
    /// [(s * years + y) * ScenarioMetric.count + m]
    public var scenario: [Double]
    /// Time (decimal year) of the last frontier-weight theft in the baseline projection, -1 if none.
    public var lastTheftBaseline = -1.0
    public let years: Int

    @inline(__always) public func actorIndex(_ s: Int, _ y: Int, _ a: Int, _ m: ActorMetric) -> Int {
        ((s * years + y) * Actor.count + a) * ActorMetric.count + m.rawValue
    }
    @inline(__always) public func scenarioIndex(_ s: Int, _ y: Int, _ m: ScenarioMetric) -> Int {
        (s * years + y) * ScenarioMetric.count + m.rawValue
    }
    public func value(_ s: Int, _ y: Int, _ a: Actor, _ m: ActorMetric) -> Double { actor[actorIndex(s, y, a.index, m)] }
    public func value(_ s: Int, _ y: Int, _ m: ScenarioMetric) -> Double { scenario[scenarioIndex(s, y, m)] }
}

/// Simulates draws. One instance per thread: it owns its scratch buffers and allocates nothing
/// per step. All model equations are in `runScenario` (spec §3.4, numbered as there).
public final class DrawSimulator {
    public let model: CompiledModel
    let quarters: Int, hindcast: Int, years: Int
    public internal(set) var outcome: DrawOutcome
    var params: [Double]
    var theftU: [Double]
    // State (struct-of-arrays over actors); `snap*` hold the end of the hindcast.
    var stock: [Double], snapStock: [Double]
    var cnParts: [Double], snapCNParts: [Double]      // domestic, imports, smuggled
    var talent: [Double], snapTalent: [Double]
    var algDev = 0.0, snapAlgDev = 0.0
    var lastTheft = -1.0, snapLastTheft = -1.0
    var path: UnsafeMutablePointer<Double>
    var kappa0: [Double], demandHist: [Double], demandProj: [Double]
    /// Reference world additions (H100e/yr) and world stock relative to mid-2025, per quarter.
    var worldAdd: [Double], worldRel: [Double], priceFactor: [Double], kappaFactor: [Double], packageFactor: [Double]
    var lagAcc: [Double], lagOwnAcc: [Double]
    var logC: [Double], rCatch: [Double], eff: [Double]

    public init(model: CompiledModel) {
        self.model = model
        quarters = model.calendar.totalQuarters
        hindcast = model.calendar.hindcastQuarters
        years = model.calendar.years
        let s = model.scenarioCount
        outcome = DrawOutcome(parameters: [], statistics: [Double](repeating: .nan, count: CheckStatistic.count), accepted: false,
                              actor: [Double](repeating: 0, count: s * years * Actor.count * ActorMetric.count),
                              scenario: [Double](repeating: 0, count: s * years * ScenarioMetric.count), years: years)
        params = [Double](repeating: 0, count: DrawParameters.count)
        theftU = [Double](repeating: 1, count: quarters)
        let z = [Double](repeating: 0, count: Actor.count)
        stock = z; snapStock = z; talent = z; snapTalent = z
        cnParts = [0, 0, 0]; snapCNParts = [0, 0, 0]
        kappa0 = z; demandHist = z; demandProj = z; lagAcc = z; lagOwnAcc = z; logC = z; rCatch = z; eff = z
        worldAdd = [Double](repeating: 0, count: quarters); worldRel = worldAdd; priceFactor = worldAdd; kappaFactor = worldAdd; packageFactor = worldAdd
        path = .allocate(capacity: quarters)
        path.initialize(repeating: 0, count: quarters)
    }

    deinit { path.deallocate() }

    /// Samples draw `draw` of `seed` and simulates every scenario. Results are in `outcome`.
    public func run(draw: Int, seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed, draw: draw)
        model.sampler.sample(&rng, into: &params)
        for q in 0..<quarters { theftU[q] = rng.uniform() }
        run(parameters: params)
    }

    /// Simulates every scenario for given parameter values (theft uniforms as last sampled).
    public func run(parameters: [Double]) {
        params = parameters
        outcome.parameters = parameters
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
                for a in 0..<Actor.count { for m in ActorMetric.list { outcome.actor[outcome.actorIndex(s, y, a, m)] = outcome.actor[outcome.actorIndex(0, y, a, m)] } }
                for m in ScenarioMetric.list { outcome.scenario[outcome.scenarioIndex(s, y, m)] = outcome.scenario[outcome.scenarioIndex(0, y, m)] }
            }
        }
        var ok = true
        for (i, check) in model.inputs.calibration.checks.enumerated() {
            _ = i
            if !check.accept.contains(outcome.statistics[check.statistic.index]) { ok = false; break }
        }
        outcome.accepted = ok
    }

    // MARK: - Derived per-draw constants

    @inline(__always) func p(_ k: PriorKey) -> Double { params[k.index] }

    var gc = 0.0, ga = 0.0, gw = 0.0, decayQ = 0.0, flopPerH100eRun = 0.0, kappaGrowth = 0.0
    var w0 = 0.0, hub2024 = 0.0, dWorld2025 = 0.0, talent0US = 0.0, talent0CN = 0.0

    func setUp() {
        gc = Foundation.log10(p(.frontierComputeGrowth))
        ga = Foundation.log10(2) * 12 / p(.algHalvingMonths)
        gw = p(.globalComputeGrowth)
        let delta = p(.depreciation)
        decayQ = Foundation.pow(1 - delta, SimulationCalendar.dt)
        flopPerH100eRun = h100DenseBF16FLOPs * p(.mfu) * p(.runDays) * secondsPerDay
        kappaGrowth = p(.frontierComputeGrowth) / gw
        // Reference world stock: anchored at its measured level in Jan 2026 (Epoch) and back-cast to
        // the start at gw; its log growth decays by `growthDecay` per year after 2025. Additions per
        // year are what keeps the stock on that path after depreciation.
        let lnG = Foundation.log(gw), keep = 1 - p(.growthDecay)
        w0 = p(.worldStockJan2026) / Foundation.exp(lnG * (2026 - Double(model.calendar.startYear)))
        let lnKeep = Foundation.log(max(keep, 1e-9))
        func lnW(_ t: Double) -> Double {
            let base = lnG * (min(t, 2026) - Double(model.calendar.startYear))
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
            // Huawei output relative to 2025: after mid-2025 it grows at dom_growth_cn (spec §3.6:
            // "x/yr after 2025"); before, it ramps geometrically from the mid-2023 rate
            // (huawei_output_2023_share of 2025's) - not the post-2025 growth run backwards.
            packageFactor[q] = t >= 2025.5 ? Foundation.pow(p(.domGrowthCN), t - 2025.5)
                : Foundation.pow(p(.huaweiOutput2023Share), (2025.5 - t) / 2)
        }
        // Initial stocks: Epoch cluster shares, China's scaled by the coverage bias, renormalised.
        var share = model.initialShare
        share[Actor.cn.index] *= p(.cnClusterShareBias)
        share[Actor.ru.index] = max(share[Actor.ru.index], 0)
        let total = share.reduce(0, +)
        for a in 0..<Actor.count { stock[a] = w0 * share[a] / total }
        cnParts = [0, stock[Actor.cn.index], 0]  // pre-2023 Chinese stock counted as imports (A100-era)
        kappa0 = [p(.kappaUS), p(.kappaOther), p(.kappaCN), p(.kappaOther), p(.kappaOther), p(.kappaOther), p(.kappaOther)]
        let planned = p(.plannedPipelineWeight)
        for a in 0..<Actor.count {
            demandHist[a] = model.additionsShare[a]
            demandProj[a] = (1 - planned) * model.additionsShare[a] + planned * model.plannedShare[a]
        }
        for d in [Actor.cn.index, Actor.ru.index] { demandHist[d] = 0; demandProj[d] = 0 }
        hub2024 = 0
        for q in 4..<8 { hub2024 += worldAdditions(q) * (demandHist[Actor.gulf.index] + demandHist[Actor.row.index]) / 4 }
        dWorld2025 = worldAdditions(9)
        talent0US = p(.talentShareUS); talent0CN = p(.talentShareCN)
        talent = [Double](repeating: 1, count: Actor.count)
        talent[Actor.us.index] = talent0US; talent[Actor.cn.index] = talent0CN
        algDev = 0; lastTheft = -1
    }

    /// Reference world additions (H100e per year) in quarter q.
    @inline(__always) func worldAdditions(_ q: Int) -> Double { worldAdd[q] }

    func snapshot() {
        snapStock = stock; snapCNParts = cnParts; snapTalent = talent; snapAlgDev = algDev; snapLastTheft = lastTheft
    }
    func restore() {
        stock = snapStock; cnParts = snapCNParts; talent = snapTalent; algDev = snapAlgDev; lastTheft = snapLastTheft
    }
}
