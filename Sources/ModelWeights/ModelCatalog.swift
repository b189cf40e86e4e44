import DiffusionRules

/// One model from Epoch AI's Notable AI Models data (CC BY 4.0), reduced to what 4E091 needs.
///
/// Units: operations (FLOP) for compute; parameters; tokens for dataset size; hours.
public struct AIModelRecord: Sendable, Hashable {
    public var name: String
    public var organization: String
    public var publicationDate: Day
    /// Epoch's total training compute: pre-training plus later training, including base models.
    public var trainingOperations: Double?
    /// Epoch's bounds, where the Frontier AI Models data gives them.
    public var computeLowerBound: Double?
    public var computeUpperBound: Double?
    /// Epoch's confidence grade: `Confident`, `Likely`, `Speculative`, `Unknown` or empty.
    public var confidenceGrade: String
    /// Epoch's "Model accessibility", e.g. `Open weights (unrestricted)`, `API access`.
    public var accessibility: String
    public var baseModel: String?
    /// Epoch's fine-tune compute (operations on top of `baseModel`).
    public var finetuneOperations: Double?
    public var parameters: Double?
    public var datasetTokens: Double?
    public var hardware: String?
    public var hardwareQuantity: Double?
    public var utilization: Double?
    /// Countries of the developing organizations, comma-joined as in Epoch's data.
    public var countries: String

    public init(name: String, organization: String = "", publicationDate: Day, trainingOperations: Double?,
                computeLowerBound: Double? = nil, computeUpperBound: Double? = nil, confidenceGrade: String = "",
                accessibility: String, baseModel: String? = nil, finetuneOperations: Double? = nil,
                parameters: Double? = nil, datasetTokens: Double? = nil, hardware: String? = nil,
                hardwareQuantity: Double? = nil, utilization: Double? = nil, countries: String = "") {
        self.name = name
        self.organization = organization
        self.publicationDate = publicationDate
        self.trainingOperations = trainingOperations
        self.computeLowerBound = computeLowerBound
        self.computeUpperBound = computeUpperBound
        self.confidenceGrade = confidenceGrade
        self.accessibility = accessibility
        self.baseModel = baseModel
        self.finetuneOperations = finetuneOperations
        self.parameters = parameters
        self.datasetTokens = datasetTokens
        self.hardware = hardware
        self.hardwareQuantity = hardwareQuantity
        self.utilization = utilization
        self.countries = countries
    }
}

/// The models of Epoch's data with lookup by name and the published frontier on any date.
///
/// ```swift
/// let catalog = ModelCatalog(records: records, methodology: methodology.epoch)
/// catalog.publishedFrontier(on: Day("2025-12-01")!)?.record.name   // "Llama 3.1-405B"
/// ```
public struct ModelCatalog: Sendable {
    public let records: [AIModelRecord]
    public let methodology: EstimationMethodology.Epoch
    private let indexByKey: [String: Int]
    /// Published models with compute, by publication date, with the running maximum of compute.
    private let frontier: [(day: Day, index: Int)]

    public init(records: [AIModelRecord], methodology: EstimationMethodology.Epoch) {
        self.records = records
        self.methodology = methodology
        var index: [String: Int] = [:]
        for (i, record) in records.enumerated() where index[ModelCatalog.normalize(record.name)] == nil {
            index[ModelCatalog.normalize(record.name)] = i
        }
        self.indexByKey = index
        let published = records.indices
            .filter { methodology.isPublished(accessibility: records[$0].accessibility) == true && (records[$0].trainingOperations ?? 0) > 0 }
            .sorted { (records[$0].publicationDate, $0) < (records[$1].publicationDate, $1) }
        var running: [(Day, Int)] = []
        for i in published {
            if let last = running.last, (records[last.1].trainingOperations ?? 0) >= (records[i].trainingOperations ?? 0) {
                running.append((records[i].publicationDate, last.1))
            } else {
                running.append((records[i].publicationDate, i))
            }
        }
        self.frontier = running.map { (day: $0.0, index: $0.1) }
    }

    /// The model with this name (case-insensitive; spaces, hyphens and dots ignored), or nil.
    public func record(named name: String) -> AIModelRecord? {
        indexByKey[ModelCatalog.normalize(name)].map { records[$0] }
    }

    /// Up to three names close to `name`, for "did you mean".
    public func suggestions(for name: String) -> [String] {
        let key = ModelCatalog.normalize(name)
        return records.map(\.name)
            .filter { ModelCatalog.normalize($0).contains(key) || key.contains(ModelCatalog.normalize($0)) }
            .prefix(3).map { $0 }
    }

    /// Whether the record's weights are published (nil: accessibility not recorded).
    public func isPublished(_ record: AIModelRecord) -> Bool? {
        methodology.isPublished(accessibility: record.accessibility)
    }

    /// The published model with the most training compute released on or before `day`.
    public func publishedFrontier(on day: Day) -> PublishedFrontier? {
        var low = 0, high = frontier.count - 1, found = -1
        while low <= high {
            let mid = (low + high) / 2
            if frontier[mid].day <= day { found = mid; low = mid + 1 } else { high = mid - 1 }
        }
        guard found >= 0 else { return nil }
        let record = records[frontier[found].index]
        return PublishedFrontier(name: record.name, publicationDate: record.publicationDate,
                                 operations: record.trainingOperations ?? 0,
                                 source: "\(methodology.source): \(record.name), \(record.accessibility), published \(record.publicationDate)")
    }

    static func normalize(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { !" -_.()".unicodeScalars.contains($0) }.map(Character.init))
    }
}

/// The most capable published model on a date, measured by training compute (the product's proxy
/// for 4E091 Note 2's benchmark-based test).
public struct PublishedFrontier: Sendable, Hashable {
    public var name: String
    public var publicationDate: Day
    /// Training operations of that model.
    public var operations: Double
    public var source: String

    public init(name: String, publicationDate: Day, operations: Double, source: String) {
        self.name = name
        self.publicationDate = publicationDate
        self.operations = operations
        self.source = source
    }
}
