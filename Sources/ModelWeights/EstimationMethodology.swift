import DiffusionRules

/// How training operations are estimated and how Epoch AI's accessibility labels map to
/// "published": methodology as data (`models/methodology.yaml` in `RuleData`), each figure with a
/// source and a confidence.
public struct EstimationMethodology: Codable, Sendable, Hashable {
    public var sixND: SixND
    public var gpuHours: GPUHours
    public var reported: Reported
    public var epoch: Epoch

    enum CodingKeys: String, CodingKey {
        case sixND = "six_nd"
        case gpuHours = "gpu_hours"
        case reported, epoch
    }

    /// 6 × N × D with a multiplicative interval.
    public struct SixND: Codable, Sendable, Hashable {
        public var operationsPerParameterToken: SourcedNumberLite
        public var lowFactor: SourcedNumberLite
        public var highFactor: SourcedNumberLite
        public var settle: String

        enum CodingKeys: String, CodingKey {
            case operationsPerParameterToken = "operations_per_parameter_token"
            case lowFactor = "low_factor"
            case highFactor = "high_factor"
            case settle
        }
    }

    /// GPU-hours × 3600 × peak FLOP/s at a precision × utilization.
    public struct GPUHours: Codable, Sendable, Hashable {
        /// Precision assumed when none is given (`bf16`).
        public var defaultPrecision: String
        /// Bit length by precision name; peak FLOP/s = TPP × 10^12 / bits.
        public var precisionBits: [String: Int]
        public var peakSource: String
        public var peakConfidence: Confidence
        public var peakAssumption: String
        public var utilizationRelativeUncertainty: SourcedNumberLite
        public var settle: String

        enum CodingKeys: String, CodingKey {
            case defaultPrecision = "default_precision"
            case precisionBits = "precision_bits"
            case peakSource = "peak_source"
            case peakConfidence = "peak_confidence"
            case peakAssumption = "peak_assumption"
            case utilizationRelativeUncertainty = "utilization_relative_uncertainty"
            case settle
        }
    }

    public struct Reported: Codable, Sendable, Hashable {
        public var settle: String
    }

    /// Epoch AI's data: interval factors by confidence grade, and accessibility labels.
    public struct Epoch: Codable, Sendable, Hashable {
        public var source: String
        public var intervalSource: String
        /// Multiplicative half-width by Epoch's `Confidence` grade (`Likely` → 10: [x/10, 10x]).
        public var confidenceFactors: [String: SourcedNumberLite]
        public var defaultFactor: SourcedNumberLite
        public var publishedAccessibility: [String]
        public var unpublishedAccessibility: [String]
        public var publishedAssumption: String
        public var blankAccessibilityAssumption: String

        enum CodingKeys: String, CodingKey {
            case source
            case intervalSource = "interval_source"
            case confidenceFactors = "confidence_factors"
            case defaultFactor = "default_factor"
            case publishedAccessibility = "published_accessibility"
            case unpublishedAccessibility = "unpublished_accessibility"
            case publishedAssumption = "published_assumption"
            case blankAccessibilityAssumption = "blank_accessibility_assumption"
        }

        /// Whether weights with this accessibility are "published"; nil when the label is blank or unknown.
        public func isPublished(accessibility: String) -> Bool? {
            if publishedAccessibility.contains(accessibility) { return true }
            if unpublishedAccessibility.contains(accessibility) { return false }
            return nil
        }
    }
}

/// A methodological figure with its source (unit implied by the field).
public struct SourcedNumberLite: Codable, Sendable, Hashable {
    public var value: Double
    public var source: String
    public var confidence: Confidence
    public var assumption: String?

    public init(value: Double, source: String, confidence: Confidence, assumption: String? = nil) {
        self.value = value
        self.source = source
        self.confidence = confidence
        self.assumption = assumption
    }
}
