import DiffusionRules
import ModelWeights
import TabularIO

/// One row of a weights-export file: the export and the model it carries.
public struct WeightsExportRow: Sendable {
    public var request: WeightsExportRequest
    public var subject: WeightsSubject
}

/// Reads a weights-export CSV (`screen-weights`):
///
/// | column | required | meaning |
/// |---|---|---|
/// | `id`, `date` | yes | row id, date of the export (YYYY-MM-DD) |
/// | `model` | yes | a model in Epoch's Notable AI Models data, or any name with `training_ops` |
/// | `destination` | yes | ISO alpha-2 where the recipient obtaining the weights is located |
/// | `recipient`, `recipient_hq` | yes | recipient and the headquarters of its ultimate parent |
/// | `training_ops` | no | training operations (overrides Epoch; required for models not in it) |
/// | `weights` | no | `open` or `closed` (required for models not in Epoch's data) |
///
/// The whole file is validated before anything is screened; the first bad cell throws ``CSVInputError``.
public enum WeightsExportReader {
    public static let requiredColumns = ["id", "date", "model", "destination", "recipient", "recipient_hq"]
    public static let optionalColumns = ["training_ops", "weights"]

    public static func read(path: String, displayName: String? = nil, registry: CountryRegistry, models: ModelCatalog,
                            estimator: OperationsEstimator) throws(CSVInputError) -> [WeightsExportRow] {
        let table = try CSVTable(reader: CSVRecordReader(path: path, displayName: displayName), required: requiredColumns,
                                 optional: optionalColumns)
        var rows: [WeightsExportRow] = []
        var firstLine: [String: Int] = [:]
        let c = { (name: String) in table.column(name)! }
        while let record = try table.next() {
            let id = try nonEmpty(table, record, c("id"))
            if let first = firstLine.updateValue(record.line, forKey: id) {
                throw table.error(record, column: c("id"), message: "is a duplicate id (first used on line \(first))")
            }
            guard let day = Day(record.string(at: c("date")).trimmingASCIIWhitespace()) else {
                throw table.error(record, column: c("date"), message: "is not a date in YYYY-MM-DD form")
            }
            let modelName = try nonEmpty(table, record, c("model"))
            var ops: Double?
            if let column = table.column("training_ops"), !record.isEmpty(at: column) {
                guard let value = Double(record.string(at: column).trimmingASCIIWhitespace()), value > 0, value.isFinite else {
                    throw table.error(record, column: column, message: "must be a positive number of operations")
                }
                ops = value
            }
            var published: Bool?
            if let column = table.column("weights"), !record.isEmpty(at: column) {
                switch record.string(at: column).trimmingASCIIWhitespace().lowercased() {
                case "open": published = true
                case "closed": published = false
                default: throw table.error(record, column: column, message: "must be open or closed")
                }
            }
            var subject: WeightsSubject
            if let ops {
                let estimate: OperationsEstimate
                do { estimate = try estimator.reported(ops) } catch {
                    throw table.error(record, column: table.column("training_ops")!, message: error.message)
                }
                subject = WeightsSubject(name: modelName, published: published, training: estimate)
            } else if let model = models.record(named: modelName), let fromEpoch = models.subject(for: model, estimator: estimator) {
                subject = fromEpoch
                if let published { subject.published = published }
            } else {
                let known = models.record(named: modelName) != nil
                let hint = models.suggestions(for: modelName).map { "\"\($0)\"" }.joined(separator: ", ")
                throw table.error(record, column: c("model"), message: known
                    ? "has no training compute in Epoch's data; give training_ops"
                    : "is not in Epoch's Notable AI Models data\(hint.isEmpty ? "" : " (did you mean \(hint)?)"); give training_ops and weights")
            }
            if subject.published == nil, models.record(named: modelName) == nil {
                throw table.error(record, column: table.column("weights") ?? c("model"), message: "weights must be open or closed for a model not in Epoch's data")
            }
            let destination = try countryCode(table, record, c("destination"), registry: registry)
            let recipient = try nonEmpty(table, record, c("recipient"))
            let hq = try countryCode(table, record, c("recipient_hq"), registry: registry)
            rows.append(WeightsExportRow(request: WeightsExportRequest(id: id, date: day, destination: destination,
                                                                     recipient: recipient, recipientHQ: hq),
                                         subject: subject))
        }
        if rows.isEmpty { throw CSVInputError(file: table.reader.displayName, line: 2, message: "has a header but no exports") }
        return rows
    }
}
