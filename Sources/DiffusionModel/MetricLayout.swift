/// Lever outputs per (lever, year): paired differences from the baseline, same draw.
public enum LeverYearMetric: Int, CaseIterable, Sendable {
    /// % change in China's effective deployable compute vs baseline.
    case cnComputeChangePct
    /// Months of US frontier progress lost (self-harm): -12 * d(log10 US effective compute) / (G_c + G_A).
    case usSelfHarmMonths
    public static let count = 2
}

/// Lever outputs per lever (whole projection), USD per year, mean over the projection years.
public enum LeverMetric: Int, CaseIterable, Sendable {
    /// Vendor revenue forgone, net of revenue share (negative = revenue gained).
    case vendorCostPerYear
    /// US GDP lost to China's mineral controls, vs baseline.
    case mineralsCostPerYear
    /// The lever's programme and compliance cost (its `direct_cost_usd_per_yr` prior).
    case directCostPerYear
    /// The sum of the three: the cost the where-to-slow ranking divides by.
    case totalCostPerYear
    public static let count = 4
    /// A draw's lever must cost at least this (USD/yr) for months per $10B to be defined.
    public static let minimumCostForRatio = 1e8
}

/// Lever outputs per (lever, actor, domain) over the whole projection.
public enum LeverDomainMetric: Int, CaseIterable, Sendable {
    /// Months bought, mean over the projection years.
    case meanMonthsBought
    /// `meanMonthsBought` per $10B a year of total cost; NaN below ``LeverMetric/minimumCostForRatio``.
    case monthsPer10B
    public static let count = 2
}

/// Where each metric lives in a draw's metric vector (and in the aggregate tables).
///
/// Domains `D` run over the lag domains (0 = frontier-general) then the deployable-compute domain.
/// A lever's "months bought" in a lag domain is the paired difference of the actor's lag; in the
/// deployable-compute domain it is the delay (months) by which the lever makes the actor reach the
/// deployable compute it has in the baseline (negative = earlier).
public struct MetricLayout: Sendable {
    public let scenarios: Int, years: Int, lagDomains: Int, domains: Int
    public let actorWidth: Int
    public let actorBase: Int, scenarioBase: Int, leverBase: Int, leverYearBase: Int, leverTotalBase: Int, leverDomainBase: Int, count: Int

    public init(scenarios: Int, years: Int, lagDomains: Int, domains: Int) {
        self.scenarios = scenarios; self.years = years; self.lagDomains = lagDomains; self.domains = domains
        let a = Actor.count, levers = max(0, scenarios - 1)
        actorWidth = ActorMetric.count + lagDomains
        actorBase = 0
        scenarioBase = scenarios * years * a * actorWidth
        leverBase = scenarioBase + scenarios * years * ScenarioMetric.count
        leverYearBase = leverBase + levers * years * a * domains
        leverTotalBase = leverYearBase + levers * years * LeverYearMetric.count
        leverDomainBase = leverTotalBase + levers * LeverMetric.count
        count = leverDomainBase + levers * a * domains * LeverDomainMetric.count
    }

    public func actor(_ s: Int, _ y: Int, _ a: Actor, _ m: ActorMetric) -> Int { actorBase + ((s * years + y) * Actor.count + a.index) * actorWidth + m.rawValue }
    /// Capability lag in lag domain `d` (months).
    public func lag(_ s: Int, _ y: Int, _ a: Actor, domain d: Int) -> Int { actorBase + ((s * years + y) * Actor.count + a.index) * actorWidth + ActorMetric.count + d }
    public func scenario(_ s: Int, _ y: Int, _ m: ScenarioMetric) -> Int { scenarioBase + (s * years + y) * ScenarioMetric.count + m.rawValue }
    /// Months bought by lever scenario `s` (>= 1) for actor `a` in domain `d` in year `y`.
    public func monthsBought(_ s: Int, _ y: Int, _ a: Actor, domain d: Int) -> Int { leverBase + (((s - 1) * years + y) * Actor.count + a.index) * domains + d }
    public func lever(_ s: Int, _ y: Int, _ m: LeverYearMetric) -> Int { leverYearBase + ((s - 1) * years + y) * LeverYearMetric.count + m.rawValue }
    public func lever(_ s: Int, _ m: LeverMetric) -> Int { leverTotalBase + (s - 1) * LeverMetric.count + m.rawValue }
    public func lever(_ s: Int, _ a: Actor, domain d: Int, _ m: LeverDomainMetric) -> Int {
        leverDomainBase + (((s - 1) * Actor.count + a.index) * domains + d) * LeverDomainMetric.count + m.rawValue
    }
}
