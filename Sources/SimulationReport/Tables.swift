import DiffusionModel
import Foundation

/// P10/P50/P90 of one metric.
public struct Band: Sendable { public var p10: Double, p50: Double, p90: Double }

/// Read-outs of a ``SimulationResult`` in the shapes the writers need.
public struct ResultView: Sendable {
    public let result: SimulationResult
    public let scenarios: [Scenario]
    public let priors: PriorSet
    public let calibration: CalibrationTargets
    public let tierCaps: TierCapsInput?

    public init(result: SimulationResult, scenarios: [Scenario], priors: PriorSet, calibration: CalibrationTargets, tierCaps: TierCapsInput?) {
        self.result = result; self.scenarios = scenarios; self.priors = priors; self.calibration = calibration; self.tierCaps = tierCaps
    }

    /// Headline ensemble: calibrated when at least one draw was accepted.
    public var useCalibrated: Bool { result.acceptedCount > 0 }
    /// Fewer accepted draws than this make calibrated quantiles unreliable (a P50 of two draws is
    /// not a statistic); outputs then carry a warning.
    public static let minimumAcceptedDraws = 100
    /// A warning for the outputs when the calibrated ensemble is too small, else nil.
    public var smallEnsembleWarning: String? {
        let n = result.acceptedCount
        guard n < Self.minimumAcceptedDraws else { return nil }
        let rate = result.acceptanceRate
        let suggest = rate > 0 ? Int((Double(Self.minimumAcceptedDraws) / rate).rounded(.up)) : 10 * result.config.draws
        return "only \(n) accepted draws: calibrated P10/P50/P90 are unreliable; run about --draws \(suggest) or more"
    }
    public var years: [Int] { result.calendar.yearLabels }
    public var reportYear: Int { result.config.reportYear }
    public var lastYear: Int { years.last! }

    /// P10/P50/P90 of metric `index`: exact over accepted draws (calibrated) or from the
    /// prior-predictive histogram (all draws).
    public func band(_ index: Int, calibrated: Bool? = nil) -> Band {
        let q = result.quantiles(index, [0.1, 0.5, 0.9], calibrated: calibrated ?? useCalibrated)
        return Band(p10: q[0], p50: q[1], p90: q[2])
    }
    func y(_ year: Int) -> Int { result.calendar.yearIndex(year)! }

    public func actorBand(_ s: Int, _ year: Int, _ a: Actor, _ m: ActorMetric, calibrated: Bool? = nil) -> Band {
        band(result.layout.actor(s, y(year), a, m), calibrated: calibrated)
    }
    public func scenarioBand(_ s: Int, _ year: Int, _ m: ScenarioMetric, calibrated: Bool? = nil) -> Band {
        band(result.layout.scenario(s, y(year), m), calibrated: calibrated)
    }
    public func leverBand(_ s: Int, _ year: Int, _ a: Actor, _ m: LeverActorMetric, calibrated: Bool? = nil) -> Band {
        band(result.layout.lever(s, y(year), a, m), calibrated: calibrated)
    }
    public func leverBand(_ s: Int, _ year: Int, _ m: LeverYearMetric, calibrated: Bool? = nil) -> Band {
        band(result.layout.lever(s, y(year), m), calibrated: calibrated)
    }
    public func leverBand(_ s: Int, _ m: LeverMetric, calibrated: Bool? = nil) -> Band { band(result.layout.lever(s, m), calibrated: calibrated) }

    /// Months of China's lag (report year) bought per $10B/yr of vendor cost: P10/P50/P90 of the
    /// per-draw ratio. Nil when the lever costs vendors less than $0.1B/yr in more than 10% of the
    /// draws (levers that do not touch sales, or that raise revenue): the ratio means nothing there.
    public func monthsPer10B(_ s: Int, own: Bool = false, calibrated: Bool? = nil) -> Band? {
        let index = result.layout.lever(s, own ? .monthsPer10BOwn : .monthsPer10B)
        let cal = calibrated ?? useCalibrated
        guard result.definedShare(index, calibrated: cal) >= 0.9 else { return nil }
        return band(index, calibrated: cal)
    }

    /// Share of accepted draws in which `a`'s sovereign lag in `year` is shorter than its
    /// own-development lag, i.e. open, stolen or hosted weights set it (eq. 7). Nil without accepted draws.
    public func weightsRouteShare(_ s: Int, _ year: Int, _ a: Actor = .cn) -> Double? {
        guard useCalibrated else { return nil }
        let lag = result.calibrated.column(result.layout.actor(s, y(year), a, .lag))
        let own = result.calibrated.column(result.layout.actor(s, y(year), a, .lagOwn))
        guard !lag.isEmpty else { return nil }
        return Double(zip(lag, own).filter { $0 < $1 - 0.05 }.count) / Double(lag.count)
    }

    /// A parameter's display: distribution, unit, grade, source, ASSUMPTION flag.
    public var parameterRows: [(name: String, dist: String, unit: String, grade: String, assumption: Bool, source: String)] {
        PriorKey.allCases.compactMap { k in
            guard let p = priors.priors[k.rawValue] else { return nil }
            return (k.rawValue, p.summary, p.unit, p.grade, p.isAssumption, p.source)
        }
    }
}

/// Formats a number for tables: months with one decimal, others with 3 significant digits.
public func fmt(_ x: Double, digits: Int = 3) -> String { formatNumber(x, significant: digits) }
public func fmtMonths(_ x: Double) -> String { x.isNaN ? "NaN" : String(format: "%.1f", x) }
/// Month differences: two decimals, so small lever effects stay visible.
public func fmtDelta(_ x: Double) -> String { x.isNaN ? "NaN" : String(format: "%.2f", x == 0 ? 0 : x) }
/// Percent with one decimal.
public func fmtPercent(_ x: Double) -> String { x.isNaN ? "NaN" : String(format: abs(x) < 1 ? "%.2f" : "%.1f", x == 0 ? 0 : x) }
/// USD as $B with two decimals.
public func fmtBillions(_ x: Double) -> String { x.isNaN ? "NaN" : String(format: "%.2f", x == 0 ? 0 : x / 1e9) }
public func fmtSci(_ x: Double) -> String { x.isNaN ? "NaN" : String(format: "%.2e", x) }
