/// ECCN 4E091 (model weights) as rule data: the training-operations threshold, the published-model
/// and capability exclusions, the derived-model test, the synthetic-data counting rule and the
/// licensing rules for exporting controlled weights.
///
/// An optional block of a ``RuleLayer`` (`model_weights:`); only the AI Diffusion layer carries it.
/// The mechanism (how an estimate is compared, how a derived model is tested) is code in the
/// `ModelWeights` module; every number, comparison and citation is here.
///
/// ```yaml
/// model_weights:
///   eccn: 4E091
///   training_operations: {value: 1.0e+26, comparison: at_least, unit: operations, source: "...", confidence: high}
///   derived_models:
///     additional_operations: {value: 2.5e+25, comparison: above, unit: operations, source: "...", confidence: high}
///     share_of_original: {value: 0.25, comparison: above, unit: share, source: "...", confidence: high}
///     combine: higher
/// ```
public struct ModelWeightsBlock: Codable, Sendable, Hashable {
    /// ECCN reported for controlled weights (`4E091`).
    public var eccn: String
    public var citation: String
    /// Training operations at which weights are caught (heading of 4E091: "10^26 or more").
    public var trainingOperations: OperationsThreshold
    /// Note 1 to 4E091: weights of "published" models (§ 734.7(a)) are not controlled.
    public var publishedExclusion: Provision
    /// Note 2 to 4E091: no control below the operations of the most capable published model.
    public var capabilityExclusion: CapabilityExclusion
    /// Note 1 to 4E091, derived models: controlled only when the additional training exceeds the test.
    public var derivedModels: DerivedModelRule
    /// Technical Note 3: when synthetic data from one unpublished generator exceeds a share of training.
    public var syntheticData: SyntheticDataRule
    /// Licensing of exports, reexports and in-country transfers of controlled weights; first match wins.
    public var licensing: [WeightsLicenseRule]

    enum CodingKeys: String, CodingKey {
        case eccn, citation
        case trainingOperations = "training_operations"
        case publishedExclusion = "published_exclusion"
        case capabilityExclusion = "capability_exclusion"
        case derivedModels = "derived_models"
        case syntheticData = "synthetic_data"
        case licensing
    }
}

/// How a figure is compared with a threshold.
public enum ThresholdComparison: String, Codable, Sendable, Hashable {
    /// `value >= threshold` ("10^26 or more").
    case atLeast = "at_least"
    /// `value > threshold` ("more than").
    case above

    public func holds(_ value: Double, _ threshold: Double) -> Bool {
        self == .atLeast ? value >= threshold : value > threshold
    }

    /// `>=` or `>`.
    public var symbol: String { self == .atLeast ? ">=" : ">" }
}

/// A threshold on a count of operations, a share, a rate or a bandwidth, with its source.
///
/// Units as written: `operations`, `share`, `operations/s`, `Gbit/s`.
public struct OperationsThreshold: Codable, Sendable, Hashable {
    public var value: Double
    public var comparison: ThresholdComparison
    public var unit: String
    public var source: String
    public var confidence: Confidence
    /// Where sources disagree or the text is unclear: said in the output as a note or warning.
    public var note: String?

    public init(value: Double, comparison: ThresholdComparison, unit: String, source: String,
                confidence: Confidence, note: String? = nil) {
        self.value = value
        self.comparison = comparison
        self.unit = unit
        self.source = source
        self.confidence = confidence
        self.note = note
    }

    public func holds(for figure: Double) -> Bool { comparison.holds(figure, value) }
}

/// A provision without a number: its citation, source and confidence.
public struct Provision: Codable, Sendable, Hashable {
    public var citation: String
    public var source: String
    public var confidence: Confidence
    public var assumption: String?
}

/// Note 2 to 4E091: weights are not controlled when the model was trained with fewer operations
/// than the most capable published model.
public struct CapabilityExclusion: Codable, Sendable, Hashable {
    public var citation: String
    /// `at_least`: controlled only at or above the published frontier ("fewer than" is excluded).
    public var comparison: ThresholdComparison
    public var source: String
    public var confidence: Confidence
    /// How the product measures "the most capable published model" (emitted as a warning).
    public var assumption: String?
}

/// Note 1 to 4E091 for models derived from published weights: controlled only when the additional
/// training operations exceed `additional_operations` or `share_of_original` × the original's
/// operations, combined by `combine` ("whichever is higher" in the regulatory text).
public struct DerivedModelRule: Codable, Sendable, Hashable {
    public enum Combine: String, Codable, Sendable {
        /// The larger of the two bounds must be exceeded ("whichever is higher").
        case higher
        /// The smaller bound suffices (a reading of the preamble's "or").
        case lower
    }

    public var citation: String
    public var additionalOperations: OperationsThreshold
    public var shareOfOriginal: OperationsThreshold
    public var combine: Combine
    /// Drafting inconsistency (preamble 2x10^25 vs regulatory 2.5x10^25), said in the output.
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case citation
        case additionalOperations = "additional_operations"
        case shareOfOriginal = "share_of_original"
        case combine, note
    }

    /// The additional training operations a derived model must exceed (or reach) to be caught.
    public func bound(originalOperations: Double) -> Double {
        let share = shareOfOriginal.value * originalOperations
        switch combine {
        case .higher: return max(additionalOperations.value, share)
        case .lower: return min(additionalOperations.value, share)
        }
    }

    /// Whether `additional` operations on top of an original trained with `original` operations
    /// make the derived model a candidate for control.
    public func isCaught(additional: Double, originalOperations: Double) -> Bool {
        let share = shareOfOriginal.value * originalOperations
        let absolute = additionalOperations.holds(for: additional)
        let relative = shareOfOriginal.comparison.holds(additional, share)
        return combine == .higher ? (absolute && relative) : (absolute || relative)
    }
}

/// Technical Note 3 to 4E091: synthetic data from one unpublished generator.
public struct SyntheticDataRule: Codable, Sendable, Hashable {
    public var citation: String
    /// Share of training operations on the generator's data above which its operations count.
    public var shareThreshold: OperationsThreshold
    public var source: String
    public var confidence: Confidence

    enum CodingKeys: String, CodingKey {
        case citation
        case shareThreshold = "share_threshold"
        case source, confidence
    }
}

/// A licensing rule for 4E091 weights: conditions on the destination and the recipient's
/// headquarters (country sets of the regime), the authorization, and obligations that come with it.
///
/// Only `destination_in`, `destination_not_in`, `consignee_hq_in`, `consignee_hq_not_in`, `any_of`,
/// `all_of` and `none_of` may appear in `when` (checked when the regime is compiled).
public struct WeightsLicenseRule: Codable, Sendable, Hashable {
    public var id: String
    public var when: RuleCondition?
    public var authorization: Authorization
    public var reviewPolicy: ReviewPolicy?
    public var obligations: [Obligation]?
    public var reason: String
    public var citation: String
    public var source: String
    public var confidence: Confidence
    public var assumption: String?

    enum CodingKeys: String, CodingKey {
        case id, when, authorization
        case reviewPolicy = "review_policy"
        case obligations, reason, citation, source, confidence, assumption
    }
}

/// A condition the exporter or recipient must meet for an authorization to hold (e.g. the
/// Supplement No. 10 storage condition of AIA for weights), printed with the determination.
public struct Obligation: Codable, Sendable, Hashable {
    public var id: String
    public var text: String
    public var citation: String
    /// First day the obligation's paragraphs apply, if later than the rule.
    public var appliesFrom: Day?
    public var source: String
    public var confidence: Confidence

    enum CodingKeys: String, CodingKey {
        case id, text, citation
        case appliesFrom = "applies_from"
        case source, confidence
    }
}
