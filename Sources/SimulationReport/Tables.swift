import DiffusionModel
import Foundation

/// Read-outs of a ``SimulationResult`` in the shapes the writers need: bands by scenario, actor,
/// domain and year, the where-to-slow ranking (with robustness across seeds) and durability.
public struct ResultView: Sendable {
    public let result: SimulationResult
    public let scenarios: [Scenario]
    public let priors: PriorSet
    public let calibration: CalibrationTargets
    public let domains: DomainSet
    /// Screened rule packs (levers) and the reference, for provenance.
    public let packs: [PackGrants]
    public let responses: ResponseSwitches
    /// The where-to-slow table, robustness marked when robustness runs were given.
    public let whereToSlow: [WhereToSlowRow]
    public let durability: [DurabilityRow]
    /// Seeds of the robustness runs (empty when none ran).
    public let robustnessSeeds: [UInt64]

    /// `robustness`: the where-to-slow tables of runs with `robustnessSeeds` (same inputs and draws).
    public init(result: SimulationResult, scenarios: [Scenario], priors: PriorSet, calibration: CalibrationTargets, domains: DomainSet,
                packs: [PackGrants] = [], responses: ResponseSwitches = ResponseSwitches(), robustness: [[WhereToSlowRow]] = [], robustnessSeeds: [UInt64] = []) {
        self.result = result; self.scenarios = scenarios; self.priors = priors; self.calibration = calibration; self.domains = domains
        self.packs = packs; self.responses = responses; self.robustnessSeeds = robustnessSeeds
        let ranking = LeverRanking(result: result)
        let rows = ranking.whereToSlow()
        whereToSlow = robustness.isEmpty ? rows : LeverRanking.markRobustness(rows, against: robustness)
        durability = ranking.durability()
    }

    /// Headline ensemble: calibrated when at least one draw was accepted.
    public var useCalibrated: Bool { result.acceptedCount > 0 }
    /// Fewer accepted draws than this make calibrated quantiles unreliable; outputs then carry a warning.
    public static let minimumAcceptedDraws = 100
    public var smallEnsembleWarning: String? {
        let n = result.acceptedCount
        guard n < Self.minimumAcceptedDraws else { return nil }
        let rate = result.acceptanceRate
        let suggest = rate > 0 ? Int((Double(Self.minimumAcceptedDraws) / rate).rounded(.up)) : 10 * result.config.draws
        return "only \(n) accepted draws: calibrated P10/P50/P90 are unreliable; run about --draws \(suggest) or more"
    }
    public var years: [Int] { result.calendar.yearLabels }
    public var projectionYears: [Int] { years.filter { $0 >= result.calendar.firstProjectionYear } }
    public var reportYear: Int { result.config.reportYear }
    public var lastYear: Int { years.last! }
    public var domainIDs: [String] { result.domainIDs }
    public var lagDomainCount: Int { result.lagDomains }
    func y(_ year: Int) -> Int { result.calendar.yearIndex(year)! }

    /// P10/P50/P90 of metric `index` (calibrated or prior-predictive ensemble).
    public func band(_ index: Int, calibrated: Bool? = nil) -> Band {
        let q = result.quantiles(index, [0.1, 0.5, 0.9], calibrated: calibrated ?? useCalibrated)
        return Band(p10: q[0], p50: q[1], p90: q[2])
    }
    public func actorBand(_ s: Int, _ year: Int, _ a: Actor, _ m: ActorMetric, calibrated: Bool? = nil) -> Band {
        band(result.layout.actor(s, y(year), a, m), calibrated: calibrated)
    }
    /// Capability lag in lag domain `d` (0 = frontier-general), months.
    public func lagBand(_ s: Int, _ year: Int, _ a: Actor, domain d: Int = 0, calibrated: Bool? = nil) -> Band {
        band(result.layout.lag(s, y(year), a, domain: d), calibrated: calibrated)
    }
    public func scenarioBand(_ s: Int, _ year: Int, _ m: ScenarioMetric, calibrated: Bool? = nil) -> Band {
        band(result.layout.scenario(s, y(year), m), calibrated: calibrated)
    }
    /// Months bought by lever `s` for `a` in domain `d` (deployable compute: months of delay).
    public func monthsBought(_ s: Int, _ year: Int, _ a: Actor, domain d: Int = 0, calibrated: Bool? = nil) -> Band {
        band(result.layout.monthsBought(s, y(year), a, domain: d), calibrated: calibrated)
    }
    public func leverBand(_ s: Int, _ year: Int, _ m: LeverYearMetric, calibrated: Bool? = nil) -> Band {
        band(result.layout.lever(s, y(year), m), calibrated: calibrated)
    }
    public func leverBand(_ s: Int, _ m: LeverMetric, calibrated: Bool? = nil) -> Band { band(result.layout.lever(s, m), calibrated: calibrated) }

    /// Share of the year's quarters (mean over the ensemble) in which origin `o` held the open frontier.
    public func originShare(_ year: Int, _ o: OpenOrigin, scenario s: Int = 0) -> Double {
        result.mean(result.layout.scenario(s, y(year), .origin(o)), calibrated: useCalibrated)
    }

    /// Share of accepted draws in which `a`'s capability lag in `year` is shorter than its
    /// own-development lag, i.e. open, stolen or hosted weights set it (eq. 7). Nil without accepted draws.
    public func weightsRouteShare(_ s: Int, _ year: Int, _ a: Actor = .cn) -> Double? {
        guard useCalibrated else { return nil }
        let lag = result.calibrated.column(result.layout.lag(s, y(year), a, domain: 0))
        let own = result.calibrated.column(result.layout.actor(s, y(year), a, .lagOwn))
        guard !lag.isEmpty else { return nil }
        return Double(zip(lag, own).filter { $0 < $1 - 0.05 }.count) / Double(lag.count)
    }

    /// A parameter's display: distribution, unit, grade, source, ASSUMPTION flag (priors, then domain numbers, then lever costs).
    public var parameterRows: [(name: String, dist: String, unit: String, grade: String, assumption: Bool, source: String)] {
        var rows: [(String, String, String, String, Bool, String)] = PriorKey.allCases.compactMap { k in
            guard let p = priors.priors[k.rawValue] else { return nil }
            return (k.rawValue, p.summary, p.unit, p.grade, p.isAssumption, p.source)
        }
        for d in domains.domains {
            for (p, prior) in zip(DomainParameter.allCases, d.parameterPriors) {
                if let prior { rows.append(("domain:\(d.id):\(p.rawValue)", prior.summary, prior.unit, prior.grade, prior.isAssumption, prior.source)) }
            }
        }
        for s in scenarios { if let c = s.direct_cost_usd_per_yr { rows.append(("direct_cost:\(s.name)", c.summary, c.unit, c.grade, c.isAssumption, c.source)) } }
        return rows
    }

    /// Calibrated value, held-out value (and its draws), prior P50 of each check.
    public func checkValues(_ c: SanityCheck) -> (calibrated: Double, heldOut: Double, heldOutDraws: Int, prior: Double) {
        let q = c.test_quantile ?? 0.5
        let held = result.heldOutQuantile(c, checks: calibration.checks)
        return (result.statisticQuantile(c.statistic, q), held.value, held.draws, result.statisticQuantile(c.statistic, 0.5, acceptedOnly: false))
    }
}

/// Formats a number for tables: months with one decimal, others with 3 significant digits.
public func fmt(_ x: Double, digits: Int = 3) -> String { formatNumber(x, significant: digits) }
public func fmtMonths(_ x: Double) -> String { x.isNaN ? "NaN" : String(format: "%.1f", x == 0 ? 0 : x) }
/// Month differences: two decimals, so small lever effects stay visible.
public func fmtDelta(_ x: Double) -> String { x.isNaN ? "NaN" : String(format: "%.2f", x == 0 ? 0 : x) }
/// Percent with one decimal.
public func fmtPercent(_ x: Double) -> String { x.isNaN ? "NaN" : String(format: abs(x) < 1 ? "%.2f" : "%.1f", x == 0 ? 0 : x) }
/// USD as $B with two decimals.
public func fmtBillions(_ x: Double) -> String { x.isNaN ? "NaN" : String(format: "%.2f", x == 0 ? 0 : x / 1e9) }
public func fmtSci(_ x: Double) -> String { x.isNaN ? "NaN" : String(format: "%.2e", x) }
