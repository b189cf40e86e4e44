import DiffusionRules
import Foundation
import ModelWeights
import RuleData
import Testing

@Suite struct EpochStatusOnADate {
    let b = Bundled.shared

    /// Epoch's Notable AI Models data has exactly three models at or above 10^26 FLOP (Grok 4 5e26,
    /// GPT-4.5 3.8e26, Grok 3 3.5e26), all closed ("API access"): all three are controlled on
    /// 2025-12-01, and no published (open-weight) model is.
    @Test func theThreeModelsAtOrAbove1e26AreControlledAndNoOpenModelIs() throws {
        let asOf = day("2025-12-01")
        var controlled: [String] = []
        var openControlled: [String] = []
        for record in b.models.records where record.publicationDate <= asOf {
            guard let subject = b.models.subject(for: record, estimator: b.estimator) else { continue }
            let c = b.classify(subject, on: asOf)
            if c.status == .controlled {
                controlled.append(record.name)
                if b.models.isPublished(record) == true { openControlled.append(record.name) }
            }
        }
        let atOrAbove = b.models.records.filter { ($0.trainingOperations ?? 0) >= 1e26 }
        #expect(Set(atOrAbove.map(\.name)) == ["Grok 4", "GPT-4.5", "Grok 3"])
        #expect(atOrAbove.allSatisfy { $0.accessibility == "API access" })
        #expect(Set(controlled) == ["Grok 4", "GPT-4.5", "Grok 3"])
        #expect(openControlled.isEmpty)
    }

    @Test func thePublishedFrontierMovesWithTheDate() throws {
        let late = try #require(b.models.publishedFrontier(on: day("2025-12-01")))
        #expect(late.name == "Llama 3.1-405B" && late.operations == 3.8e25)
        let mid = try #require(b.models.publishedFrontier(on: day("2024-07-01")))
        #expect(mid.name == "Nemotron-4 340B" && mid.operations == 1.8e25)
    }

    @Test func beforeTheFrameworkAndUnderEnforced4E091IsNotInForce() throws {
        let record = try #require(b.models.record(named: "Grok 3"))
        let grok3 = try #require(b.models.subject(for: record, estimator: b.estimator))
        let enforced = b.classify(grok3, on: day("2025-12-01"), regime: b.enforced)
        #expect(enforced.status == .notInForce)
        #expect(enforced.meetsCriteria)
        let reason = try #require(enforced.reasons.first { $0.code == "4e091/not-in-force" })
        #expect(reason.text.contains("never enforced"))
        #expect(reason.text.contains("2025-05-15") && reason.text.contains("2025-05-13"))
        let early = b.classify(grok3, on: day("2024-12-31"))
        #expect(early.status == .notInForce)
        #expect(early.reasons.first?.text.contains("did not exist before 2025-01-13") == true)
        let written = b.classify(grok3, on: day("2025-02-18"))
        #expect(written.status == .controlled)
        #expect(written.warnings.contains { $0.contains("applied as written") })
    }

    @Test func aStraddlingEstimateSaysSoAndWhatWouldSettleIt() {
        let estimate = try! b.estimator.reported(9e25, low: 8e25, high: 1.2e26)
        let c = b.classify(WeightsSubject(name: "near", published: false, training: estimate), on: day("2025-12-01"))
        #expect(c.status == .notControlled)
        #expect(c.straddles)
        #expect(!c.settle.isEmpty)
        #expect(c.warnings.contains { $0.contains("straddles the threshold 1e26") })
        let exactlyAtThreshold = b.classify(WeightsSubject(name: "at", published: false, training: try! b.estimator.reported(1e26)),
                                            on: day("2025-12-01"))
        #expect(exactlyAtThreshold.status == .controlled, "the 4E091 heading says 10^26 or more")
    }

    @Test func publishedWeightsAreNeverControlled() {
        let c = b.classify(WeightsSubject(name: "open giant", published: true, training: try! b.estimator.reported(5e26)),
                           on: day("2025-12-01"))
        #expect(c.status == .notControlled)
        #expect(c.reasons.contains { $0.code == "4e091/published" })
    }

    @Test func aPublishedModelAboveTheThresholdRaisesTheBar() {
        // A hypothetical catalog in which an open model of 2e26 was published on 2025-06-01.
        let records = [AIModelRecord(name: "Open 2e26", publicationDate: day("2025-06-01"), trainingOperations: 2e26,
                                     accessibility: "Open weights (unrestricted)")]
        let catalog = ModelCatalog(records: records, methodology: b.methodology.epoch)
        let closed = WeightsSubject(name: "closed 1.5e26", published: false, training: try! b.estimator.reported(1.5e26))
        let before = b.classify(closed, on: day("2025-05-31"), frontier: catalog.publishedFrontier(on: day("2025-05-31")))
        let after = b.classify(closed, on: day("2025-06-01"), frontier: catalog.publishedFrontier(on: day("2025-06-01")))
        #expect(before.status == .controlled)
        #expect(after.status == .notControlled)
        #expect(after.threshold == 2e26)
        #expect(after.reasons.contains { $0.code == "4e091/below-frontier" })
    }
}

/// 4E091 Note 1: a model derived from published weights is controlled only when its additional
/// training exceeds 2.5 x 10^25 operations or 25% of the original, whichever is higher.
@Suite struct DerivedModelBoundary {
    let b = Bundled.shared

    func derived(from baseOps: Double, additional: Double, combine: DerivedModelRule.Combine? = nil) -> WeightsClassification {
        let subject = WeightsSubject(name: "derived", published: false, training: try! b.estimator.reported(additional),
                                     base: .init(name: "base", operations: try! b.estimator.reported(baseOps), published: true))
        return b.classify(subject, on: day("2025-12-01"))
    }

    @Test func onLlama31_405BTheBoundIs2point5e25() throws {
        // Llama 3.1-405B: 3.8e25 operations, open weights; 25% of it is 9.5e24, so 2.5e25 is higher.
        let llama = try #require(b.models.record(named: "Llama 3.1-405B"))
        #expect(llama.trainingOperations == 3.8e25 && b.models.isPublished(llama) == true)
        let base = WeightsSubject.Base(name: llama.name, operations: try b.estimator.reported(3.8e25), published: true)
        func classify(_ additional: Double) -> WeightsClassification {
            b.classify(WeightsSubject(name: "fine-tune", published: false, training: try! b.estimator.reported(additional), base: base),
                       on: day("2025-12-01"))
        }
        let atBound = classify(2.5e25)
        #expect(atBound.derivedTest?.bound == 2.5e25)
        #expect(atBound.derivedTest?.caught == false, "exactly 2.5e25 is not 'more than'")
        #expect(atBound.status == .notControlled)
        #expect(atBound.reasons.contains { $0.code == "4e091/derived-excluded" })
        let justOver = classify(2.5e25 * (1 + 1e-9))
        #expect(justOver.derivedTest?.caught == true)
        // Caught by Note 1 but 3.8e25 + 2.5e25 = 6.3e25 is still below 10^26: not controlled.
        #expect(justOver.status == .notControlled)
        #expect(justOver.reasons.contains { $0.code == "4e091/below-operations" })
        // 6.3e25 more makes 1.01e26: caught and over the threshold: controlled.
        let big = classify(6.3e25)
        #expect(big.derivedTest?.caught == true)
        #expect(big.status == .controlled)
    }

    @Test func onALargeBaseTheShareIsHigherAndDecides() {
        // Base 2e26: 25% = 5e25 > 2.5e25, so 4e25 of additional training (more than 2.5e25) is not enough.
        let c = derived(from: 2e26, additional: 4e25)
        #expect(c.derivedTest?.bound == 5e25)
        #expect(c.derivedTest?.caught == false)
        #expect(c.status == .notControlled)
        let over = derived(from: 2e26, additional: 5.1e25)
        #expect(over.derivedTest?.caught == true)
        #expect(over.status == .controlled)
    }

    @Test func theRuleIsDataAPackCanReadItAsWhicheverIsLower() throws {
        var book = try RuleBookLoader.loadBundled()
        let pack = FileManager.default.temporaryDirectory.appendingPathComponent("lower-\(UUID()).yaml")
        try """
        id: derived-lower
        title: "Derived-model test read as whichever is lower"
        extends: ai-diffusion-2025
        layer_overrides:
          ai-diffusion-2025:
            model_weights:
              derived_models:
                combine: lower
        """.write(to: pack, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: pack) }
        let id = try RuleBookLoader.addPack(at: pack.path, to: &book)
        let regime = try WeightsRegime(book: book, regime: id)
        let subject = WeightsSubject(name: "derived", published: false, training: try b.estimator.reported(4e25),
                                     base: .init(name: "base", operations: try b.estimator.reported(2e26), published: true))
        let c = b.classify(subject, on: day("2025-12-01"), regime: regime)
        #expect(c.derivedTest?.bound == 2.5e25)
        #expect(c.derivedTest?.caught == true)
        #expect(c.status == .controlled)
        #expect(c.layers.contains("ai-diffusion-2025+derived-lower"))
    }
}

/// 4E091 Technical Note 3: synthetic data from an unpublished generator over 10% of training.
@Suite struct SyntheticDataCounting {
    let b = Bundled.shared

    func subject(share: Double, generatorPublished: Bool) -> WeightsSubject {
        WeightsSubject(name: "student", published: false, training: try! b.estimator.reported(8e25),
                       synthetic: [SyntheticData(generator: "teacher", share: share,
                                                 generationOperations: try! b.estimator.reported(5e24),
                                                 generatorTrainingOperations: try! b.estimator.reported(2e25),
                                                 generatorPublished: generatorPublished)])
    }

    @Test func tenPercentIsNotCountedElevenPercentIs() {
        let at = b.classify(subject(share: 0.10, generatorPublished: false), on: day("2025-12-01"))
        #expect(at.operations.point == 8e25)
        #expect(at.status == .notControlled)
        let over = b.classify(subject(share: 0.11, generatorPublished: false), on: day("2025-12-01"))
        #expect(abs(over.operations.point - 1.05e26) < 1e17)   // 8e25 + 5e24 generation + 2e25 generator training
        #expect(over.status == .controlled)
        #expect(over.reasons.contains { $0.code == "4e091/synthetic-counted" })
    }

    @Test func aPublishedGeneratorsTrainingIsNotCounted() {
        let c = b.classify(subject(share: 0.5, generatorPublished: true), on: day("2025-12-01"))
        #expect(abs(c.operations.point - 8.5e25) < 1e17)
        #expect(c.status == .notControlled)
    }

    @Test func withSeveralGeneratorsOnlyTheLargestCounts() {
        let small = SyntheticData(generator: "small", share: 0.06, generationOperations: try! b.estimator.reported(1e24),
                                  generatorTrainingOperations: try! b.estimator.reported(1e24), generatorPublished: false)
        let large = SyntheticData(generator: "large", share: 0.06, generationOperations: try! b.estimator.reported(2e24),
                                  generatorTrainingOperations: try! b.estimator.reported(3e25), generatorPublished: false)
        let block = try! #require(b.book.layers["ai-diffusion-2025"]?.modelWeights)
        let result = SyntheticDataAccounting.counted([small, large], rule: block.syntheticData)
        #expect(result.generator == "large")
        #expect(abs((result.addition?.point ?? 0) - 3.2e25) < 1e17)
    }
}
