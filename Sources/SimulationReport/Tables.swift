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
    public var years: [Int] { result.calendar.yearLabels }
    public var reportYear: Int { result.config.reportYear }
    public var lastYear: Int { years.last! }

    public func band(_ index: Int, calibrated: Bool? = nil) -> Band {
        let t = result.ensemble(calibrated ?? useCalibrated)
        return Band(p10: t.quantile(index, 0.1), p50: t.quantile(index, 0.5), p90: t.quantile(index, 0.9))
    }
    func y(_ year: Int) -> Int { result.calendar.yearIndex(year)! }

    public func actorBand(_ s: Int, _ year: Int, _ a: Actor, _ m: ActorMetric, calibrated: Bool? = nil) -> Band {
        band(result.layout.actor(s, y(year), a, m), calibrated: calibrated)
    }
    public func scenarioBand(_ s: Int, _ year: Int, _ m: ScenarioMetric, calibrated: Bool? = nil) -> Band {
        band(result.layout.scenario(s, y(year), m), calibrated: calibrated)
    }
    public func leverBand(_ s: Int, _ year: Int, _ a: Actor, _ m: LeverActorMetric) -> Band { band(result.layout.lever(s, y(year), a, m)) }
    public func leverBand(_ s: Int, _ year: Int, _ m: LeverYearMetric) -> Band { band(result.layout.lever(s, y(year), m)) }
    public func leverBand(_ s: Int, _ m: LeverMetric) -> Band { band(result.layout.lever(s, m)) }

    /// Months of China's lag bought per $10B of vendor cost: P50 months (mean over the projection
    /// years is approximated by the report year) / (P50 cost per year * projection years / $10B).
    public func monthsPer10B(_ s: Int) -> Double? {
        let months = leverBand(s, reportYear, .cn, .monthsBought).p50
        let cost = leverBand(s, .vendorCostPerYear).p50
        guard cost > 1e8 else { return nil }
        return months / (cost / 1e10)
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
public func fmtSci(_ x: Double) -> String { x.isNaN ? "NaN" : String(format: "%.2e", x) }
