import DiffusionRules

extension ModelCatalog {
    /// The ``WeightsSubject`` for a model of Epoch's data: published or not from its accessibility;
    /// its recorded training compute with an interval; and, when Epoch names a base model in the data
    /// and a fine-tune compute, the base and the additional training (so the derived-model test applies).
    ///
    /// Returns nil when Epoch records no training compute for the model.
    public func subject(for record: AIModelRecord, estimator: OperationsEstimator) -> WeightsSubject? {
        guard let total = estimator.epoch(record) else { return nil }
        var notes: [String] = []
        let published = isPublished(record)
        if published == nil {
            notes.append("\(record.name): \(methodology.blankAccessibilityAssumption)")
        } else if published == true, record.accessibility != methodology.publishedAccessibility.first {
            notes.append(methodology.publishedAssumption)
        }
        if let baseName = record.baseModel, let base = self.record(named: baseName), let baseEstimate = estimator.epoch(base),
           let finetune = record.finetuneOperations, finetune > 0 {
            let ratio = total.point > 0 ? finetune / total.point : 1
            let additional = OperationsEstimate(point: finetune, low: total.low * ratio, high: total.high * ratio, method: .epoch,
                                                formula: "Epoch AI fine-tune compute \(Scientific.format(finetune))",
                                                assumptions: total.assumptions, settle: total.settle)
            return WeightsSubject(name: record.name, published: published, training: additional,
                                  base: .init(name: base.name, operations: baseEstimate, published: isPublished(base) == true),
                                  notes: notes)
        }
        return WeightsSubject(name: record.name, published: published, training: total, notes: notes)
    }
}
