import DiffusionRules
import ModelWeights
import StrictYAML
import TabularIO

/// Epoch AI's Notable AI Models data (CC BY 4.0) as the slim file the tool bundles
/// (`models/epoch-notable-models.csv`), its generator, and the estimation methodology.
///
/// Regenerate when Epoch publishes new data:
///
/// ```
/// ai-diffusion catalog refresh-models --notable data/epoch/ai_models/notable_ai_models.csv \
///     --frontier data/epoch/ai_models/frontier_ai_models.csv \
///     --out Sources/RuleData/Resources/models/epoch-notable-models.csv
/// ```
public enum EpochModelsData {
    /// Columns of the generated file, in order.
    public static let columns = [
        "name", "organization", "publication_date", "training_compute_flop", "compute_lower_flop", "compute_upper_flop",
        "confidence", "accessibility", "base_model", "finetune_compute_flop", "parameters", "dataset_tokens",
        "hardware", "hardware_quantity", "utilization", "countries",
    ]

    /// Epoch's column for each generated column (bounds come from the Frontier AI Models file).
    static let notableColumns: [(String, String)] = [
        ("name", "Model"), ("organization", "Organization"), ("publication_date", "Publication date"),
        ("training_compute_flop", "Training compute (FLOP)"), ("confidence", "Confidence"),
        ("accessibility", "Model accessibility"), ("base_model", "Base model"),
        ("finetune_compute_flop", "Finetune compute (FLOP)"), ("parameters", "Parameters"),
        ("dataset_tokens", "Training dataset size (gradients)"), ("hardware", "Training hardware"),
        ("hardware_quantity", "Hardware quantity"), ("utilization", "Hardware utilization (MFU)"),
        ("countries", "Country (of organization)"),
    ]
    static let numericColumns: Set<String> = [
        "training_compute_flop", "compute_lower_flop", "compute_upper_flop", "finetune_compute_flop", "parameters",
        "dataset_tokens", "hardware_quantity", "utilization",
    ]

    /// Reads Epoch's Notable AI Models CSV (and, optionally, Frontier AI Models for compute bounds)
    /// and returns the slim CSV text and notes on cells left blank. A training compute that is not a
    /// number throws `CSVInputError` naming the line; other unreadable figures are left blank with a note.
    public static func generate(notableCSV: String, frontierCSV: String?) throws -> (csv: String, rows: Int, notes: [String]) {
        var notes: [String] = []
        var bounds: [String: (String, String)] = [:]
        if let frontierCSV {
            let table = try CSVTable(reader: CSVRecordReader(path: frontierCSV),
                                     required: ["Model", "Training compute lower bound", "Training compute upper bound"],
                                     allowOtherColumns: true)
            let model = table.column("Model")!, low = table.column("Training compute lower bound")!
            let high = table.column("Training compute upper bound")!
            while let record = try table.next() {
                let l = record.string(at: low).trimmingASCIIWhitespace(), h = record.string(at: high).trimmingASCIIWhitespace()
                guard !l.isEmpty, !h.isEmpty else { continue }
                for (column, text) in [(low, l), (high, h)] where Double(text) == nil {
                    throw table.error(record, column: column, message: "is not a number")
                }
                bounds[record.string(at: model)] = (l, h)
            }
        }
        let table = try CSVTable(reader: CSVRecordReader(path: notableCSV), required: notableColumns.map(\.1),
                                 allowOtherColumns: true)
        var lines = [columns.joined(separator: ",")]
        while let record = try table.next() {
            var fields: [String: String] = [:]
            for (ours, theirs) in notableColumns {
                let column = table.column(theirs)!
                let text = record.string(at: column).trimmingASCIIWhitespace()
                if numericColumns.contains(ours), !text.isEmpty, Double(text) == nil {
                    guard ours != "training_compute_flop" else { throw table.error(record, column: column, message: "is not a number") }
                    notes.append("\(table.error(record, column: column, message: "is not a number; left blank").description)")
                    continue
                }
                fields[ours] = text
            }
            guard let name = fields["name"], !name.isEmpty else { continue }
            guard Day(fields["publication_date"] ?? "") != nil else {
                throw table.error(record, column: table.column("Publication date")!, message: "is not a YYYY-MM-DD date")
            }
            if let (low, high) = bounds[name] {
                fields["compute_lower_flop"] = low
                fields["compute_upper_flop"] = high
            }
            lines.append(columns.map { csvField(fields[$0] ?? "") }.joined(separator: ","))
        }
        return (lines.joined(separator: "\n") + "\n", lines.count - 1, notes)
    }

    /// The bundled models.
    public static func loadBundledRecords() throws -> [AIModelRecord] {
        try records(path: BundledFiles.path("models/epoch-notable-models.csv"), displayName: "models/epoch-notable-models.csv")
    }

    /// Reads a generated slim file.
    public static func records(path: String, displayName: String) throws -> [AIModelRecord] {
        let table = try CSVTable(reader: CSVRecordReader(path: path, displayName: displayName), required: columns)
        var out: [AIModelRecord] = []
        func c(_ name: String) -> Int { table.column(name)! }
        while let record = try table.next() {
            func text(_ name: String) -> String { record.string(at: c(name)) }
            func optional(_ name: String) -> String? { let t = text(name); return t.isEmpty ? nil : t }
            func number(_ name: String) throws -> Double? {
                guard let t = optional(name) else { return nil }
                guard let value = Double(t) else { throw table.error(record, column: c(name), message: "is not a number") }
                return value
            }
            guard let day = Day(text("publication_date")) else {
                throw table.error(record, column: c("publication_date"), message: "is not a YYYY-MM-DD date")
            }
            out.append(AIModelRecord(
                name: text("name"), organization: text("organization"), publicationDate: day,
                trainingOperations: try number("training_compute_flop"), computeLowerBound: try number("compute_lower_flop"),
                computeUpperBound: try number("compute_upper_flop"), confidenceGrade: text("confidence"),
                accessibility: text("accessibility"), baseModel: optional("base_model"),
                finetuneOperations: try number("finetune_compute_flop"), parameters: try number("parameters"),
                datasetTokens: try number("dataset_tokens"), hardware: optional("hardware"),
                hardwareQuantity: try number("hardware_quantity"), utilization: try number("utilization"),
                countries: text("countries")))
        }
        return out
    }

    /// The bundled estimation methodology (`models/methodology.yaml`).
    public static func loadMethodology() throws -> EstimationMethodology {
        try StrictYAML.decode(EstimationMethodology.self, fromFile: BundledFiles.path("models/methodology.yaml"),
                              displayName: "models/methodology.yaml")
    }

    /// The bundled model catalog with the methodology's accessibility mapping.
    public static func loadCatalog(methodology: EstimationMethodology) throws -> ModelCatalog {
        ModelCatalog(records: try loadBundledRecords(), methodology: methodology.epoch)
    }
}
