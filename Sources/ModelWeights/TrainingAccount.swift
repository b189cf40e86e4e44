import DiffusionRules

/// Synthetic training data from one generator model (4E091 Technical Note 3).
public struct SyntheticData: Sendable, Hashable {
    public var generator: String
    /// Share of the model's training operations spent on this generator's (unpublished) data, 0...1.
    public var share: Double
    /// Operations used to generate the data (the generator's inference), in operations.
    public var generationOperations: OperationsEstimate
    /// Operations used to train the generator; counted when its parameters are unpublished.
    public var generatorTrainingOperations: OperationsEstimate?
    /// Whether the generator's parameters are published.
    public var generatorPublished: Bool

    public init(generator: String, share: Double, generationOperations: OperationsEstimate,
                generatorTrainingOperations: OperationsEstimate?, generatorPublished: Bool) {
        self.generator = generator
        self.share = share
        self.generationOperations = generationOperations
        self.generatorTrainingOperations = generatorTrainingOperations
        self.generatorPublished = generatorPublished
    }
}

/// Adds the operations Technical Note 3 counts for synthetic data to a model's own training.
///
/// When unpublished data from generators makes up more than the threshold share (10%) of training,
/// exactly one generator is counted: the only one, or, with several, the one with the most
/// training operations. Its generation operations count, and its training operations too when its
/// parameters are unpublished. No operation is counted twice (a generator is counted once).
public enum SyntheticDataAccounting {
    /// The operations to add, the generator counted (if any) and the reasons.
    public static func counted(_ sources: [SyntheticData], rule: SyntheticDataRule)
        -> (addition: OperationsEstimate?, generator: String?, reasons: [Reason]) {
        guard !sources.isEmpty else { return (nil, nil, []) }
        let share = sources.reduce(0) { $0 + $1.share }
        let percent = NumberFormat.plain((share * 1000).rounded() / 10)
        guard rule.shareThreshold.holds(for: share) else {
            return (nil, nil, [Reason(code: "4e091/synthetic-below",
                                      text: "synthetic data from unpublished generators is \(percent)% of training operations, not \(rule.shareThreshold.comparison.symbol) \(NumberFormat.plain(rule.shareThreshold.value * 100))%: generator operations are not counted",
                                      citation: rule.citation)])
        }
        let chosen = sources.max { ($0.generatorTrainingOperations?.point ?? 0) < ($1.generatorTrainingOperations?.point ?? 0) }!
        var addition = chosen.generationOperations
        var text = "synthetic data from unpublished generators is \(percent)% of training operations (\(rule.shareThreshold.comparison.symbol) \(NumberFormat.plain(rule.shareThreshold.value * 100))%): the generation operations of \(chosen.generator) (\(chosen.generationOperations.text)) count"
        if !chosen.generatorPublished, let training = chosen.generatorTrainingOperations {
            addition = addition.adding(training)
            text += ", and its training operations (\(training.text)) because its parameters are unpublished"
        } else if !chosen.generatorPublished {
            text += "; its parameters are unpublished but its training operations were not given"
        }
        if sources.count > 1 { text += "; only the generator with the most training operations is counted" }
        return (addition, chosen.generator, [Reason(code: "4e091/synthetic-counted", text: text, citation: rule.citation)])
    }
}
