import DiffusionRules

/// A model whose weights are classified: its own training, what it was derived from, synthetic data.
public struct WeightsSubject: Sendable, Hashable {
    /// A published (or unpublished) model this one was trained from.
    public struct Base: Sendable, Hashable {
        public var name: String
        public var operations: OperationsEstimate
        public var published: Bool

        public init(name: String, operations: OperationsEstimate, published: Bool) {
            self.name = name
            self.operations = operations
            self.published = published
        }
    }

    public var name: String
    /// Whether the weights are "published" (15 CFR 734.7(a)); nil when unknown (treated as unpublished).
    public var published: Bool?
    /// The model's own training operations: everything for a model trained from scratch; the
    /// additional training (fine-tuning and later) for a model with a `base`.
    public var training: OperationsEstimate
    public var base: Base?
    public var synthetic: [SyntheticData]
    /// Extra assumptions about the subject (e.g. from the data it came from), printed as warnings.
    public var notes: [String]

    public init(name: String, published: Bool?, training: OperationsEstimate, base: Base? = nil,
                synthetic: [SyntheticData] = [], notes: [String] = []) {
        self.name = name
        self.published = published
        self.training = training
        self.base = base
        self.synthetic = synthetic
        self.notes = notes
    }
}

/// The 4E091 status of a model's weights on a date under a regime.
public struct WeightsClassification: Sendable {
    public enum Status: String, Sendable {
        /// 4E091 in force and every criterion met.
        case controlled
        case notControlled = "not_controlled"
        /// 4E091 not in force on the date (see `meetsCriteria` for the text as written).
        case notInForce = "not_in_force"
    }

    public var name: String
    public var day: Day
    public var regime: String
    public var layers: [String]
    public var status: Status
    /// `4E091` when controlled, otherwise `not 4E091`.
    public var eccn: String
    /// Whether the weights meet 4E091 as written (whether or not it is in force).
    public var meetsCriteria: Bool
    /// Training operations counted under Technical Notes 2 and 3.
    public var operations: OperationsEstimate
    /// The threshold that binds: max(10^26, the published frontier's operations).
    public var threshold: Double
    /// How operations are compared with `threshold` (`at_least` for 4E091).
    public var thresholdComparison: ThresholdComparison
    public var thresholdBasis: String
    public var frontier: PublishedFrontier?
    /// Derived-model test: additional operations, the bound they must exceed, and the result.
    public var derivedTest: (additional: Double, bound: Double, caught: Bool)?
    /// Whether the interval lies on both sides of a binding threshold.
    public var straddles: Bool
    /// Evidence that would settle a straddling estimate.
    public var settle: [String]
    public var reasons: [Reason]
    public var warnings: [String]
}

/// Applies a regime's 4E091 block to a model (pure: the published frontier is passed in).
///
/// Controlled = weights unpublished (Note 1) ∧ not a lightly derived model of published weights
/// (Note 1, derived) ∧ operations meet the threshold (heading) ∧ operations meet the published
/// frontier (Note 2). Thresholds, comparisons and citations come from the block.
public enum WeightsClassifier {
    public static func classify(_ subject: WeightsSubject, on day: Day, provisions: WeightsProvisions,
                                regime: String, frontier: PublishedFrontier?) -> WeightsClassification {
        var reasons: [Reason] = []
        var warnings = provisions.warnings + subject.notes
        guard let block = provisions.block else {
            return WeightsClassification(name: subject.name, day: day, regime: regime, layers: provisions.layers,
                                         status: .notInForce, eccn: "not 4E091", meetsCriteria: false,
                                         operations: subject.training, threshold: 0, thresholdComparison: .atLeast, thresholdBasis: "none",
                                         frontier: nil, derivedTest: nil, straddles: false, settle: [],
                                         reasons: provisions.notInForce.map { [$0] } ?? [], warnings: warnings)
        }
        if let reason = provisions.notInForce { reasons.append(reason) }

        // Operations counted: base (if any) + own training + synthetic-data generator.
        let synthetic = SyntheticDataAccounting.counted(subject.synthetic, rule: block.syntheticData)
        reasons += synthetic.reasons
        var additional = subject.training
        if let addition = synthetic.addition { additional = additional.adding(addition) }
        var total = additional
        if let base = subject.base { total = base.operations.adding(additional) }

        var meets = true
        var straddles = false
        var settle: [String] = []

        // Note 1: published weights.
        let published = subject.published
        if published == true {
            meets = false
            reasons.append(Reason(code: "4e091/published", text: "the weights are published (open): not controlled",
                                  citation: block.publishedExclusion.citation))
        } else if published == nil {
            warnings.append("whether the weights are published is not known; they are treated as unpublished")
        }

        // Note 1: derived from published weights.
        var derivedTest: (Double, Double, Bool)?
        if let base = subject.base, base.published {
            let rule = block.derivedModels
            let bound = rule.bound(originalOperations: base.operations.point)
            let caught = rule.isCaught(additional: additional.point, originalOperations: base.operations.point)
            derivedTest = (additional.point, bound, caught)
            let combine = rule.combine == .higher ? "whichever is higher" : "whichever is lower"
            let test = "\(rule.additionalOperations.comparison.symbol) \(Scientific.format(rule.additionalOperations.value)) or \(rule.shareOfOriginal.comparison.symbol) \(NumberFormat.plain(rule.shareOfOriginal.value * 100))% of \(base.name)'s \(Scientific.format(base.operations.point)) (\(combine): \(Scientific.format(bound)))"
            if caught {
                reasons.append(Reason(code: "4e091/derived-caught",
                                      text: "derived from published \(base.name) with \(Scientific.format(additional.point)) additional operations, \(test): the published-model exclusion does not apply",
                                      citation: rule.citation))
            } else {
                meets = false
                reasons.append(Reason(code: "4e091/derived-excluded",
                                      text: "derived from published \(base.name) with \(Scientific.format(additional.point)) additional operations, not \(test): not controlled",
                                      citation: rule.citation))
            }
            if additional.straddles(bound, rule.additionalOperations.comparison) {
                straddles = true
                settle += additional.settle
                warnings.append("the additional training's interval \(additional.text) straddles the derived-model bound \(Scientific.format(bound))")
            }
            if let note = rule.note { warnings.append(note) }
        }

        // Heading: 10^26 operations; Note 2: the published frontier.
        let heading = block.trainingOperations
        var threshold = heading.value
        var basis = "\(heading.comparison.symbol) \(Scientific.format(heading.value)) operations (\(block.eccn) heading)"
        var comparison = heading.comparison
        if let frontier, block.capabilityExclusion.comparison.holds(frontier.operations, heading.value), frontier.operations > heading.value {
            threshold = frontier.operations
            comparison = block.capabilityExclusion.comparison
            basis = "\(block.capabilityExclusion.comparison.symbol) \(Scientific.format(frontier.operations)) operations of \(frontier.name), the most capable published model (Note 2)"
        }
        let meetsHeading = heading.holds(for: total.point)
        reasons.append(Reason(code: meetsHeading ? "4e091/operations" : "4e091/below-operations",
                              text: "training operations \(total.text) \(meetsHeading ? "meet" : "do not meet") \(heading.comparison.symbol) \(Scientific.format(heading.value))",
                              citation: block.citation))
        if !meetsHeading { meets = false }
        if let frontier {
            let meetsFrontier = block.capabilityExclusion.comparison.holds(total.point, frontier.operations)
            reasons.append(Reason(code: meetsFrontier ? "4e091/above-frontier" : "4e091/below-frontier",
                                  text: "the most capable published model on \(day) is \(frontier.name) (\(Scientific.format(frontier.operations)) operations, published \(frontier.publicationDate)); this model's \(Scientific.format(total.point)) \(meetsFrontier ? "is not fewer" : "is fewer")",
                                  citation: block.capabilityExclusion.citation))
            if !meetsFrontier { meets = false }
            if let assumption = block.capabilityExclusion.assumption { warnings.append(assumption) }
        } else {
            warnings.append("no published model with known training compute on or before \(day); Note 2 could not be applied")
        }
        if published != true && (derivedTest?.2 ?? true) && total.straddles(threshold, comparison) {
            straddles = true
            settle += total.settle
            warnings.append("the estimate's interval \(total.text) straddles the threshold \(Scientific.format(threshold)): it may be \(meets ? "below" : "at or above") it")
        }
        if let note = heading.note { warnings.append(note) }
        for assumption in total.assumptions where !warnings.contains(assumption) { warnings.append(assumption) }

        let status: WeightsClassification.Status = !provisions.inForce ? .notInForce : (meets ? .controlled : .notControlled)
        if meets && provisions.inForce {
            reasons.append(Reason(code: "4e091/controlled", text: "closed weights trained with \(total.text) operations, \(basis): \(block.eccn)",
                                  citation: block.citation))
        }
        return WeightsClassification(
            name: subject.name, day: day, regime: regime, layers: provisions.layers, status: status,
            eccn: status == .controlled ? block.eccn : "not \(block.eccn)", meetsCriteria: meets, operations: total,
            threshold: threshold, thresholdComparison: comparison, thresholdBasis: basis, frontier: frontier,
            derivedTest: derivedTest.map { (additional: $0.0, bound: $0.1, caught: $0.2) },
            straddles: straddles, settle: unique(settle), reasons: reasons, warnings: unique(warnings))
    }
}
