import ArgumentParser
import ChannelInputs
import DiffusionRules
import Foundation
import ModelWeights
import TabularIO

/// `screen-weights FILE.csv [--regime R | --compare A,B]`: licence determinations for exports of
/// model weights (ECCN 4E091), one per row, in input order.
///
/// A separate input rather than `model:NAME` rows in `screen`: a weights row needs a training-
/// operations estimate and the published frontier, not TPP, and its determination carries 4E091
/// status and obligations; keeping it apart leaves the chip hot path and its outputs untouched.
struct ScreenWeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen-weights",
        abstract: "Screen exports of AI model weights (ECCN 4E091): one determination per row.",
        discussion: """
        Columns: id, date, model, destination, recipient, recipient_hq [, training_ops, weights]. \
        A model named in Epoch AI's Notable AI Models data (CC BY 4.0) takes its training compute and \
        accessibility from there; any other model needs training_ops and weights (open|closed).
        Under ai-diffusion-2025: AIA for recipients headquartered in Supplement No. 5(a) and located \
        outside D:5 and Macau, with the Supplement No. 10 storage condition as an obligation; otherwise \
        LICENSE, presumption of denial. Under enforced, 4E091 was never enforced: NLR, and the output says so.

        Examples:
          ai-diffusion screen-weights examples/weights-exports.csv
          ai-diffusion screen-weights examples/weights-exports.csv --compare enforced,ai-diffusion-2025
        """
    )

    @Argument(help: "Weights-export CSV.") var file: String
    @OptionGroup var regimeOption: WeightsRegimeOption
    @Option(name: .long, help: ArgumentHelp("Evaluate each row under two regimes.", valueName: "A,B")) var compare: String?
    @OptionGroup var formatOption: FormatOption

    func validate() throws {
        if let compare, compare.split(separator: ",").count != 2 { throw ValidationError("--compare takes two regimes: A,B") }
    }

    func run() throws {
        var context = try WeightsContext.load()
        let names = compare.map { $0.split(separator: ",").map { String($0).trimmingASCIIWhitespace() } } ?? [regimeOption.regime]
        var regimes: [WeightsRegime] = []
        for name in names { regimes.append(try context.regime(name)) }
        let rows = try WeightsExportReader.read(path: file, registry: context.rules.book.registry, models: context.models,
                                                estimator: context.estimator)
        var results: [[WeightsDetermination]] = []
        for row in rows {
            var perRegime: [WeightsDetermination] = []
            for regime in regimes {
                let day = row.request.date
                let provisions = regime.provisions(on: day)
                let classification = WeightsClassifier.classify(row.subject, on: day, provisions: provisions, regime: regime.id,
                                                                frontier: context.models.publishedFrontier(on: day))
                perRegime.append(try WeightsExportEvaluator.evaluate(row.request, classification: classification,
                                                                     provisions: provisions, regime: regime))
            }
            results.append(perRegime)
        }
        let sink = ByteSink.standardOutput()
        switch formatOption.format {
        case .jsonl:
            for row in results {
                sink.write(row.count == 1 ? WeightsJSON.determination(row[0]) + "\n"
                    : "{\"id\":\(JSONEscaping.quoted(row[0].id)),\"differs\":\(differs(row)),\"determinations\":[\(row.map(WeightsJSON.determination).joined(separator: ","))]}\n")
                sink.endRecord()
            }
        case .json:
            sink.write("[\n" + results.map { row in
                row.count == 1 ? WeightsJSON.determination(row[0])
                    : "{\"id\":\(JSONEscaping.quoted(row[0].id)),\"differs\":\(differs(row)),\"determinations\":[\(row.map(WeightsJSON.determination).joined(separator: ","))]}"
            }.joined(separator: ",\n") + "\n]\n")
        case .csv:
            sink.write("id,date,regime,model,eccn,status,training_operations,straddles_threshold,destination,destination_tier,recipient_hq_tier,license_required,authorization,review_policy,obligations,reasons,warnings\n")
            for d in results.flatMap({ $0 }) {
                let c = d.classification
                var cells: [String] = [d.id, d.date.description, d.regime, d.model, c.eccn, c.status.rawValue]
                cells.append(String(c.operations.point))
                cells.append(c.straddles ? "true" : "false")
                cells.append(d.destination.description)
                cells.append(d.destinationTier.map(String.init) ?? "")
                cells.append(d.recipientHQTier.map(String.init) ?? "")
                cells.append(d.licenseRequired ? "true" : "false")
                cells.append(d.authorization.rawValue)
                cells.append(d.reviewPolicy?.rawValue ?? "")
                cells.append(d.obligations.map(\.id).joined(separator: "; "))
                cells.append(d.reasons.map(\.text).joined(separator: "; "))
                cells.append(d.warnings.joined(separator: "; "))
                sink.write(cells.map(csvField).joined(separator: ",") + "\n")
            }
        case .table:
            var header = ["ID", "DATE", "MODEL", "OPERATIONS", "DEST", "HQ"]
            for regime in regimes { header += ["\(regime.id.uppercased()): ECCN", "AUTHORIZATION"] }
            if regimes.count > 1 { header.append("DIFFERS") }
            var table = TextTable(header: header, rightAligned: [3])
            for (row, input) in zip(results, rows) {
                var cells = [row[0].id, row[0].date.description, row[0].model, Scientific.format(row[0].classification.operations.point),
                             row[0].destination.description, input.request.recipientHQ.description]
                for d in row {
                    let eccn = d.classification.status == .notInForce ? "not in force" : d.classification.eccn
                    cells += [eccn, d.authorization.rawValue + (d.reviewPolicy.map { " (\($0.rawValue))" } ?? "")
                        + (d.obligations.isEmpty ? "" : " + obligation")]
                }
                if row.count > 1 { cells.append(differs(row) ? "yes" : "") }
                table.add(cells)
            }
            sink.write(table.render())
            var notes: [String] = []
            for d in results.flatMap({ $0 }) {
                for o in d.obligations where !notes.contains("obligation \(o.id) [\(o.citation)]: \(o.text)") {
                    notes.append("obligation \(o.id) [\(o.citation)]: \(o.text)")
                }
                for reason in d.reasons where reason.code == "4e091/not-in-force" && !notes.contains(reason.text) { notes.append(reason.text) }
            }
            if !notes.isEmpty { sink.write("\n" + notes.map { "- \($0)" }.joined(separator: "\n") + "\n") }
            let counts = Dictionary(grouping: results.flatMap { $0 }, by: { "\($0.regime): \($0.authorization.rawValue)" }).mapValues(\.count)
            sink.write("\n" + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; ") + "\n")
        }
        sink.flush()
    }

    private func differs(_ row: [WeightsDetermination]) -> Bool {
        Set(row.map { "\($0.authorization.rawValue)/\($0.reviewPolicy?.rawValue ?? "")" }).count > 1
    }
}
