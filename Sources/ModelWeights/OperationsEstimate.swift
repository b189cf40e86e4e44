import DiffusionRules

/// An estimate of the training operations of a model (4E091 Technical Note 2: every mathematical
/// operation of pre-training and all later training, not data collection), as a point with an
/// interval `[low, high]`, the method used, its assumptions, and what evidence would narrow it.
///
/// Units: operations (integer or floating-point operations; one multiply-accumulate = 2).
///
/// ```swift
/// let e = OperationsEstimate(point: 3.3e24, low: 3.3e24, high: 3.9e24, method: .sixND, formula: "6 x N x D")
/// e.straddles(1e26, .atLeast)   // false
/// ```
public struct OperationsEstimate: Sendable, Hashable {
    /// How the figure was obtained.
    public enum Method: String, Sendable, Hashable {
        /// A figure given by the user (reported by the developer).
        case reported
        /// 6 × parameters × tokens (Technical Note 2).
        case sixND = "6ND"
        /// GPU-hours × 3600 × peak FLOP/s × utilization.
        case gpuHours = "gpu-hours"
        /// Epoch AI's recorded training compute.
        case epoch
        /// A sum of estimates (pre-training, later training, synthetic-data generation, base model).
        case combined
    }

    public var point: Double
    public var low: Double
    public var high: Double
    public var method: Method
    /// The arithmetic, e.g. `6 x 3.7e10 x 1.48e13`.
    public var formula: String
    /// Assumptions behind the figure (printed as warnings when low-confidence).
    public var assumptions: [String]
    /// Evidence that would narrow the interval.
    public var settle: [String]

    public init(point: Double, low: Double, high: Double, method: Method, formula: String,
                assumptions: [String] = [], settle: [String] = []) {
        self.point = point
        self.low = min(low, point)
        self.high = max(high, point)
        self.method = method
        self.formula = formula
        self.assumptions = assumptions
        self.settle = settle
    }

    /// An exact figure (no interval).
    public static func exact(_ value: Double, method: Method = .reported, formula: String) -> OperationsEstimate {
        OperationsEstimate(point: value, low: value, high: value, method: method, formula: formula)
    }

    /// The sum of two estimates: points, lows and highs add; assumptions and evidence are merged.
    public func adding(_ other: OperationsEstimate) -> OperationsEstimate {
        OperationsEstimate(point: point + other.point, low: low + other.low, high: high + other.high, method: .combined,
                           formula: "\(formula) + \(other.formula)",
                           assumptions: unique(assumptions + other.assumptions), settle: unique(settle + other.settle))
    }

    /// Whether the interval lies on both sides of a threshold: the low end fails it and the high end
    /// meets it.
    public func straddles(_ threshold: Double, _ comparison: ThresholdComparison) -> Bool {
        !comparison.holds(low, threshold) && comparison.holds(high, threshold)
    }

    /// `3.29e24 [3.29e24, 3.94e24]`, or just the point when exact.
    public var text: String {
        low == high ? Scientific.format(point)
            : "\(Scientific.format(point)) [\(Scientific.format(low)), \(Scientific.format(high))]"
    }
}

func unique(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}
