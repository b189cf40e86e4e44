/// Lever outputs per (lever scenario s >= 1, year, actor): paired differences, same draw.
public enum LeverActorMetric: Int, CaseIterable, Sendable {
    /// Months bought = lag(lever) - lag(baseline), same draw (sovereign lag, eq. 7).
    case monthsBought
    /// Same for the own-development lag (eq. 6), which hardware levers move directly.
    case monthsBoughtOwn
    public static let count = 2
}

/// Lever outputs per (lever, year).
public enum LeverYearMetric: Int, CaseIterable, Sendable {
    /// % change in China's effective deployable compute vs baseline.
    case cnComputeChangePct
    /// Months of US frontier progress lost (self-harm): -12 * d(log10 US effective compute) / (G_c + G_A).
    case usSelfHarmMonths
    public static let count = 2
}

/// Lever outputs per lever (whole projection).
public enum LeverMetric: Int, CaseIterable, Sendable {
    /// Vendor revenue forgone, net of revenue share, mean per year 2026-2030 (USD/yr; negative = revenue gained).
    case vendorCostPerYear
    /// Minerals GDP loss vs baseline, mean per year over the projection (USD/yr).
    case mineralsCostPerYear
    /// China's months bought (sovereign lag, report year) per $10B/yr of vendor cost, per draw.
    /// Undefined (NaN) in a draw whose vendor cost is below ``LeverMetric/minimumCostForRatio``.
    case monthsPer10B
    /// Same with China's own-development lag.
    case monthsPer10BOwn
    public static let count = 4
    /// A draw's lever must cost at least this (USD/yr) for months per $10B to be defined.
    public static let minimumCostForRatio = 1e8
}

/// Where each metric lives in a draw's metric vector (and in the aggregate tables), and how the
/// prior-predictive histogram bins it.
public struct MetricLayout: Sendable {
    public let scenarios: Int, years: Int
    public let actorBase: Int, scenarioBase: Int, leverActorBase: Int, leverYearBase: Int, leverBase: Int, count: Int
    public let specs: [MetricSpec]

    public init(scenarios: Int, years: Int) {
        self.scenarios = scenarios; self.years = years
        let a = Actor.count, levers = max(0, scenarios - 1)
        actorBase = 0
        scenarioBase = scenarios * years * a * ActorMetric.count
        leverActorBase = scenarioBase + scenarios * years * ScenarioMetric.count
        leverYearBase = leverActorBase + levers * years * a * LeverActorMetric.count
        leverBase = leverYearBase + levers * years * LeverYearMetric.count
        count = leverBase + levers * LeverMetric.count
        var specs = [MetricSpec](repeating: .lagMonths, count: count)
        for s in 0..<scenarios { for y in 0..<years {
            for ac in 0..<a { for m in ActorMetric.allCases {
                let i = actorBase + ((s * years + y) * a + ac) * ActorMetric.count + m.rawValue
                switch m {
                case .lag, .lagOwn: specs[i] = .lagMonths
                case .log10Compute, .log10LargestRun: specs[i] = .log10Value
                case .worldShare: specs[i] = .share
                }
            } }
            for m in ScenarioMetric.allCases {
                let i = scenarioBase + (s * years + y) * ScenarioMetric.count + m.rawValue
                switch m {
                case .cnDomestic, .cnImports, .cnSmuggled, .cnCloud, .usEffectiveLog: specs[i] = .log10Value
                case .openLag: specs[i] = .lagMonths
                case .vendorNetRevenue, .mineralsGDPLoss: specs[i] = .dollars
                }
            }
        } }
        for l in 0..<levers {
            for y in 0..<years {
                for ac in 0..<a { for m in LeverActorMetric.allCases { specs[leverActorBase + ((l * years + y) * a + ac) * LeverActorMetric.count + m.rawValue] = .deltaMonths } }
                specs[leverYearBase + (l * years + y) * LeverYearMetric.count + LeverYearMetric.cnComputeChangePct.rawValue] = .percent
                specs[leverYearBase + (l * years + y) * LeverYearMetric.count + LeverYearMetric.usSelfHarmMonths.rawValue] = .deltaMonths
            }
            for m in LeverMetric.allCases {
                specs[leverBase + l * LeverMetric.count + m.rawValue] = (m == .monthsPer10B || m == .monthsPer10BOwn) ? .ratio : .dollars
            }
        }
        self.specs = specs
    }

    public func actor(_ s: Int, _ y: Int, _ a: Actor, _ m: ActorMetric) -> Int { actorBase + ((s * years + y) * Actor.count + a.index) * ActorMetric.count + m.rawValue }
    public func scenario(_ s: Int, _ y: Int, _ m: ScenarioMetric) -> Int { scenarioBase + (s * years + y) * ScenarioMetric.count + m.rawValue }
    /// `s` is the scenario index (>= 1).
    public func lever(_ s: Int, _ y: Int, _ a: Actor, _ m: LeverActorMetric) -> Int { leverActorBase + (((s - 1) * years + y) * Actor.count + a.index) * LeverActorMetric.count + m.rawValue }
    public func lever(_ s: Int, _ y: Int, _ m: LeverYearMetric) -> Int { leverYearBase + ((s - 1) * years + y) * LeverYearMetric.count + m.rawValue }
    public func lever(_ s: Int, _ m: LeverMetric) -> Int { leverBase + (s - 1) * LeverMetric.count + m.rawValue }
}
