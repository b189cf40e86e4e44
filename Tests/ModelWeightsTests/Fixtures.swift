import ComputeMetrics
import DiffusionRules
import Foundation
import ModelWeights
import RuleData

/// The bundled rule data, methodology and Epoch models, loaded once for all tests.
struct Bundled: Sendable {
    let book: RuleBook
    let methodology: EstimationMethodology
    let models: ModelCatalog
    let estimator: OperationsEstimator
    let aidf: WeightsRegime
    let enforced: WeightsRegime

    static let shared: Bundled = {
        let book = try! RuleBookLoader.loadBundled()
        let methodology = try! EpochModelsData.loadMethodology()
        return Bundled(book: book, methodology: methodology,
                       models: try! EpochModelsData.loadCatalog(methodology: methodology),
                       estimator: OperationsEstimator(methodology: methodology),
                       aidf: try! WeightsRegime(book: book, regime: "ai-diffusion-2025"),
                       enforced: try! WeightsRegime(book: book, regime: "enforced"))
    }()

    func classify(_ subject: WeightsSubject, on day: Day, regime: WeightsRegime? = nil,
                  frontier: PublishedFrontier?? = nil) -> WeightsClassification {
        let regime = regime ?? aidf
        return WeightsClassifier.classify(subject, on: day, provisions: regime.provisions(on: day), regime: regime.id,
                                          frontier: frontier ?? models.publishedFrontier(on: day))
    }

    func export(_ subject: WeightsSubject, to destination: String, hq: String, on day: Day,
                regime: WeightsRegime? = nil) throws -> WeightsDetermination {
        let regime = regime ?? aidf
        let provisions = regime.provisions(on: day)
        let classification = WeightsClassifier.classify(subject, on: day, provisions: provisions, regime: regime.id,
                                                        frontier: models.publishedFrontier(on: day))
        let request = WeightsExportRequest(id: "t", date: day, destination: CountryCode(destination)!, recipient: "r",
                                           recipientHQ: CountryCode(hq)!)
        return try WeightsExportEvaluator.evaluate(request, classification: classification, provisions: provisions, regime: regime)
    }
}

func day(_ text: String) -> Day { Day(text)! }

/// The repository root (for the copied Epoch data under `data/`).
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()
