import ComputeMetrics
import DiffusionRules

/// Estimates training operations from a reported figure, from parameters × tokens (6ND), or from
/// GPU-hours × chip peak × utilization, each with an interval (see ``OperationsEstimate``).
///
/// ```swift
/// // DeepSeek-V3: 37B active parameters, 14.8T tokens
/// let e = try OperationsEstimator(methodology: m).sixND(parameters: 37e9, tokens: 14.8e12)
/// e.point   // 3.2856e24
/// ```
public struct OperationsEstimator: Sendable {
    public let methodology: EstimationMethodology

    public init(methodology: EstimationMethodology) {
        self.methodology = methodology
    }

    /// A figure given by the user, optionally with bounds.
    public func reported(_ operations: Double, low: Double? = nil, high: Double? = nil) throws(EstimateError) -> OperationsEstimate {
        guard operations.isFinite, operations > 0 else { throw EstimateError("training operations must be a positive number") }
        if let low, !(low > 0 && low <= operations) { throw EstimateError("the low bound must be positive and at most the figure") }
        if let high, !(high >= operations && high.isFinite) { throw EstimateError("the high bound must be at least the figure") }
        return OperationsEstimate(point: operations, low: low ?? operations, high: high ?? operations, method: .reported,
                                  formula: "reported \(Scientific.format(operations))",
                                  settle: [methodology.reported.settle])
    }

    /// 6 × N × D (4E091 Technical Note 2), N = parameters updated per token (the *active*
    /// parameters of a mixture-of-experts model), D = training tokens over all epochs.
    public func sixND(parameters: Double, tokens: Double) throws(EstimateError) -> OperationsEstimate {
        guard parameters.isFinite, parameters > 0 else { throw EstimateError("parameters must be a positive number") }
        guard tokens.isFinite, tokens > 0 else { throw EstimateError("tokens must be a positive number") }
        let m = methodology.sixND
        let point = m.operationsPerParameterToken.value * parameters * tokens
        var assumptions = ["N is the number of parameters used per token (active parameters for a mixture-of-experts model) and D every training token, all epochs"]
        if let assumption = m.highFactor.assumption { assumptions.append(assumption + " (\(m.highFactor.confidence.rawValue) confidence)") }
        return OperationsEstimate(
            point: point, low: point * m.lowFactor.value, high: point * m.highFactor.value, method: .sixND,
            formula: "\(NumberFormat.plain(m.operationsPerParameterToken.value)) x \(Scientific.format(parameters, digits: 4)) parameters x \(Scientific.format(tokens, digits: 4)) tokens",
            assumptions: assumptions, settle: [m.settle])
    }

    /// Peak dense FLOP/s of a chip at a precision: TPP × 10^12 / bit length.
    public func peakFLOPs(_ chip: ChipSpec, precision: String) throws(EstimateError) -> Double {
        guard let bits = methodology.gpuHours.precisionBits[precision.lowercased()] else {
            throw EstimateError("precision \"\(precision)\" is not one of \(methodology.gpuHours.precisionBits.keys.sorted().joined(separator: ", "))")
        }
        guard let tpp = chip.tpp, tpp.value > 0 else { throw EstimateError("\(chip.name) has no TPP in the catalog") }
        return tpp.value * 1e12 / Double(bits)
    }

    /// GPU-hours × 3600 × peak FLOP/s at `precision` × utilization (model FLOP utilization, 0 < u ≤ 1).
    ///
    /// When `precision` is nil the methodology's default (BF16) gives the point and the interval
    /// reaches up to the 8-bit rate, since the run may have used FP8.
    public func gpuHours(_ hours: Double, chip: ChipSpec, utilization: Double, precision: String?) throws(EstimateError) -> OperationsEstimate {
        guard hours.isFinite, hours > 0 else { throw EstimateError("GPU-hours must be a positive number") }
        guard utilization > 0, utilization <= 1 else { throw EstimateError("utilization must be in (0, 1]") }
        let g = methodology.gpuHours
        let chosen = (precision ?? g.defaultPrecision).lowercased()
        let peak = try peakFLOPs(chip, precision: chosen)
        let band = g.utilizationRelativeUncertainty.value
        let point = hours * 3600 * peak * utilization
        var low = point * (1 - band)
        var high = min(point * (1 + band), hours * 3600 * peak)
        var assumptions = ["\(chosen.uppercased()) dense peak of \(chip.name) = TPP \(chip.tpp?.description ?? "?") x 1e12 / \(g.precisionBits[chosen] ?? 0) = \(Scientific.format(peak)) FLOP/s; \(g.peakAssumption)"]
        if let assumption = g.utilizationRelativeUncertainty.assumption {
            assumptions.append(assumption + " (\(g.utilizationRelativeUncertainty.confidence.rawValue) confidence)")
        }
        if precision == nil {
            let fp8 = try peakFLOPs(chip, precision: "fp8")
            high = max(high, min(hours * 3600 * fp8 * utilization * (1 + band), hours * 3600 * fp8))
            low = min(low, point * (1 - band))
            assumptions.append("no precision given: \(chosen.uppercased()) assumed; the high end allows FP8 (\(Scientific.format(fp8)) FLOP/s)")
        }
        return OperationsEstimate(
            point: point, low: low, high: high, method: .gpuHours,
            formula: "\(Scientific.format(hours, digits: 4)) GPU-hours x 3600 s x \(Scientific.format(peak)) FLOP/s x \(NumberFormat.plain(utilization)) utilization",
            assumptions: assumptions, settle: [g.settle])
    }

    /// Epoch AI's recorded training compute with its interval: Epoch's own bounds when given,
    /// otherwise the factor for its confidence grade.
    public func epoch(_ record: AIModelRecord) -> OperationsEstimate? {
        guard let point = record.trainingOperations, point > 0 else { return nil }
        let e = methodology.epoch
        var assumptions: [String] = []
        let low: Double, high: Double
        if let lower = record.computeLowerBound, let upper = record.computeUpperBound {
            low = lower
            high = upper
        } else {
            let factor = e.confidenceFactors[record.confidenceGrade] ?? e.defaultFactor
            let grade = record.confidenceGrade.isEmpty ? "no grade" : "\"\(record.confidenceGrade)\""
            low = point / factor.value
            high = point * factor.value
            assumptions.append("interval from Epoch's confidence grade \(grade): within a factor of \(NumberFormat.plain(factor.value)) (\(factor.confidence.rawValue) confidence: \(factor.source))")
        }
        return OperationsEstimate(point: point, low: low, high: high, method: .epoch,
                                  formula: "Epoch AI training compute \(Scientific.format(point))",
                                  assumptions: assumptions, settle: [methodology.reported.settle])
    }
}

/// A figure that cannot be used for an estimate (non-positive, out of range, unknown precision).
public struct EstimateError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Plain decimal text for small figures (`6`, `0.1947`).
public enum NumberFormat {
    public static func plain(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(value)
        if text.contains("e") { text = Scientific.format(value, digits: 4) }
        return text
    }
}
