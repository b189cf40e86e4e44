import ArgumentParser
import ComputeMetrics
import DiffusionRules
import ModelWeights
import TabularIO

/// `classify model`: training-operations estimates with intervals, 4E091 status on a date, and
/// (with `--destination`) the licence determination for exporting the weights.
struct ClassifyModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "ECCN 4E091 status of a model's weights on a date, from estimated training operations.",
        discussion: """
        Estimates (each with an interval): a reported figure (--training-ops), 6ND (--parameters with \
        --tokens; N = parameters used per token, the active parameters of a mixture-of-experts model), \
        or GPU-hours x chip peak x utilization (--gpu-hours, --chip, --utilization, --precision). \
        Several may be given; the first in that order decides, all are shown. Later training \
        (--fine-tuning-ops) and synthetic-data generators (--synthetic-share, --generator-ops) are \
        counted as 4E091 Technical Notes 2 and 3 say. With --base-model or --base-ops the estimate is the \
        additional training of a derived model. Status: controlled if the weights are closed, the \
        operations are 10^26 or more and not fewer than the most capable published model's on the date \
        (Epoch AI's Notable AI Models data, CC BY 4.0).

        Examples:
          ai-diffusion classify model "Grok 3" --as-of 2025-12-01
          ai-diffusion classify model DeepSeek-V3-check --parameters 37e9 --tokens 14.8e12 \\
              --gpu-hours 2.788e6 --chip H800 --utilization 0.1947 --precision fp8
          ai-diffusion classify model --dataset epoch --as-of 2025-12-01
          ai-diffusion classify model "GPT-4.5" --destination AE --recipient-hq AE --as-of 2025-06-01
        Data: Epoch AI (epoch.ai), CC BY 4.0.
        """
    )

    @Argument(help: "A model in Epoch's Notable AI Models data (e.g. \"Grok 3\"), or a label for the figures given.")
    var name: String?

    @Option(name: .customLong("dataset"), help: "Classify every model of a dataset: epoch.")
    var dataset: String?
    @Flag(name: .long, help: "With --dataset: list every model, not only the controlled ones.")
    var all = false

    @Option(name: .customLong("training-ops"), help: "Reported training operations.") var trainingOps: Double?
    @Option(name: .customLong("training-ops-low"), help: "Low bound of the reported figure.") var trainingOpsLow: Double?
    @Option(name: .customLong("training-ops-high"), help: "High bound of the reported figure.") var trainingOpsHigh: Double?
    @Option(name: .long, help: "Parameters used per token (active parameters), for 6ND.") var parameters: Double?
    @Option(name: .long, help: "Training tokens over all epochs, for 6ND.") var tokens: Double?
    @Option(name: .customLong("gpu-hours"), help: "Accelerator-hours of training.") var gpuHours: Double?
    @Option(name: .long, help: "Chip (catalog name or alias), for --gpu-hours.") var chip: String?
    @Option(name: .long, help: "Model FLOP utilization in (0, 1], for --gpu-hours.") var utilization: Double?
    @Option(name: .long, help: "Training precision for the chip peak: fp8, bf16 (default), fp16, int8, fp4, tf32.") var precision: String?
    @Option(name: .customLong("fine-tuning-ops"), help: "Operations of later training (fine-tuning, RL), added.") var fineTuningOps: Double?

    @Option(name: .customLong("base-model"), help: "Derived model: the Epoch model it was trained from.") var baseModel: String?
    @Option(name: .customLong("base-ops"), help: "Derived model: the base model's training operations.") var baseOps: Double?
    @Option(name: .customLong("base-weights"), help: "open (default) or closed: whether the base's weights are published.") var baseWeights: String?

    @Option(name: .customLong("synthetic-share"), help: "Share of training operations on one unpublished generator's data (0-1).") var syntheticShare: Double?
    @Option(name: .customLong("generator-ops"), help: "Operations used to generate the synthetic data.") var generatorOps: Double?
    @Option(name: .customLong("generator-training-ops"), help: "Training operations of the generator.") var generatorTrainingOps: Double?
    @Option(name: .customLong("generator-weights"), help: "closed (default) or open: the generator's weights.") var generatorWeights: String?
    @Option(name: .long, help: "Name of the generator (an Epoch model supplies its training operations).") var generator: String?

    @Option(name: .long, help: "open or closed (default: Epoch's accessibility for a named model, else closed).") var weights: String?

    @Option(name: .long, help: "Export: where the recipient is located (ISO alpha-2).") var destination: String?
    @Option(name: .customLong("recipient-hq"), help: "Export: headquarters of the recipient's ultimate parent.") var recipientHQ: String?
    @Option(name: .long, help: "Export: recipient name.") var recipient: String = "recipient"

    @OptionGroup var regimeOption: WeightsRegimeOption
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var formatOption: FormatOption

    func validate() throws {
        if dataset != nil {
            guard dataset == "epoch" else { throw ValidationError("--dataset takes: epoch") }
            if name != nil { throw ValidationError("--dataset classifies every model; do not name one") }
        } else if name == nil {
            throw ValidationError("name a model (or give a label with figures), or use --dataset epoch")
        }
        if (parameters == nil) != (tokens == nil) { throw ValidationError("--parameters and --tokens go together") }
        if gpuHours != nil, chip == nil || utilization == nil { throw ValidationError("--gpu-hours needs --chip and --utilization") }
        if (destination == nil) != (recipientHQ == nil) { throw ValidationError("--destination and --recipient-hq go together") }
        if baseModel != nil && baseOps != nil { throw ValidationError("give --base-model or --base-ops, not both") }
        if syntheticShare != nil && generatorOps == nil { throw ValidationError("--synthetic-share needs --generator-ops") }
        for (flag, value) in [("--weights", weights), ("--base-weights", baseWeights), ("--generator-weights", generatorWeights)] {
            if let value, value != "open" && value != "closed" { throw ValidationError("\(flag) takes open or closed") }
        }
    }

    func run() throws {
        var context = try WeightsContext.load()
        let regime = try context.regime(regimeOption.regime)
        let day = try asOf.day()
        if dataset != nil { return try runDataset(context, regime: regime, day: day) }

        let (subject, estimates) = try buildSubject(context)
        let provisions = regime.provisions(on: day)
        let frontier = context.models.publishedFrontier(on: day)
        var classification = WeightsClassifier.classify(subject, on: day, provisions: provisions, regime: regime.id, frontier: frontier)
        // The other estimates' assumptions are printed too (the first estimate's are already there).
        for assumption in estimates.dropFirst().flatMap(\.assumptions) where !classification.warnings.contains(assumption) {
            classification.warnings.append(assumption)
        }
        var determination: WeightsDetermination?
        if let destination, let recipientHQ {
            let request = WeightsExportRequest(id: "cli", date: day, destination: try country(destination, context),
                                               recipient: recipient, recipientHQ: try country(recipientHQ, context))
            determination = try WeightsExportEvaluator.evaluate(request, classification: classification, provisions: provisions, regime: regime)
        }
        let sink = ByteSink.standardOutput()
        switch formatOption.format {
        case .json, .jsonl:
            var json = WeightsJSON.classification(classification, weights: subject.published, estimates: estimates)
            if let determination { json = String(json.dropLast()) + ",\"export\":\(WeightsJSON.determination(determination))}" }
            sink.write(json + "\n")
        case .csv:
            sink.write(DatasetRow.header)
            sink.write(DatasetRow.csv(classification, record: nil, weights: subject.published))
        case .table:
            var lines = WeightsText.classification(classification, weights: subject.published, estimates: estimates)
            if let determination { lines += WeightsText.determination(determination) }
            sink.write(lines.joined(separator: "\n") + "\n")
        }
        sink.flush()
    }

    private func country(_ text: String, _ context: WeightsContext) throws -> CountryCode {
        let registry = context.rules.book.registry
        if let code = CountryCode(text), text == code.description, registry.contains(code) { return code }
        let hint = registry.suggestion(for: text).map { " (did you mean \($0)?)" } ?? ""
        throw InputError("\"\(text)\" is not an ISO 3166-1 alpha-2 code\(hint)")
    }

    /// The subject and every estimate given (the first decides).
    private func buildSubject(_ context: WeightsContext) throws -> (WeightsSubject, [OperationsEstimate]) {
        let estimator = context.estimator
        var estimates: [OperationsEstimate] = []
        do {
            if let trainingOps { estimates.append(try estimator.reported(trainingOps, low: trainingOpsLow, high: trainingOpsHigh)) }
            if let parameters, let tokens { estimates.append(try estimator.sixND(parameters: parameters, tokens: tokens)) }
            if let gpuHours, let chip, let utilization {
                let spec = try context.rules.book.catalog.lookup(chip)
                estimates.append(try estimator.gpuHours(gpuHours, chip: spec, utilization: utilization, precision: precision))
            }
        } catch let error as EstimateError {
            throw InputError(error.message)
        }
        let label = name ?? "model"
        let published: Bool? = weights.map { $0 == "open" }

        var subject: WeightsSubject
        if estimates.isEmpty && fineTuningOps == nil {
            guard baseModel == nil, baseOps == nil else { throw InputError("a derived model needs its additional training: give an estimate or --fine-tuning-ops") }
            guard let record = context.models.record(named: label) else {
                let hint = context.models.suggestions(for: label).map { "\"\($0)\"" }.joined(separator: ", ")
                throw InputError("\"\(label)\" is not in Epoch's Notable AI Models data\(hint.isEmpty ? "" : " (did you mean \(hint)?)"); give --training-ops, --parameters/--tokens or --gpu-hours")
            }
            guard let fromEpoch = context.models.subject(for: record, estimator: estimator) else {
                throw InputError("Epoch's data has no training compute for \"\(record.name)\"; give an estimate")
            }
            subject = fromEpoch
            if let published { subject.published = published }
            if let day = try? asOf.day(), record.publicationDate > day {
                subject.notes.append("Epoch lists \(record.name) as published on \(record.publicationDate), after \(day)")
            }
            estimates = [fromEpoch.base.map { $0.operations.adding(fromEpoch.training) } ?? fromEpoch.training]
        } else {
            var own = estimates.first
            if let fineTuningOps {
                let later: OperationsEstimate
                do { later = try estimator.reported(fineTuningOps) } catch { throw InputError("--fine-tuning-ops: \(error.message)") }
                own = own.map { $0.adding(later) } ?? later
            }
            subject = WeightsSubject(name: label, published: published ?? false, training: own!)
            if published == nil { subject.notes.append("--weights not given: the weights are taken to be closed (unpublished)") }
        }

        if let baseModel {
            guard let record = context.models.record(named: baseModel), let estimate = estimator.epoch(record) else {
                throw InputError("--base-model \"\(baseModel)\" is not in Epoch's data with a training compute")
            }
            let basePublished = baseWeights.map { $0 == "open" } ?? (context.models.isPublished(record) ?? false)
            subject.base = .init(name: record.name, operations: estimate, published: basePublished)
        } else if let baseOps {
            let estimate: OperationsEstimate
            do { estimate = try estimator.reported(baseOps) } catch { throw InputError("--base-ops: \(error.message)") }
            subject.base = .init(name: "the base model", operations: estimate, published: (baseWeights ?? "open") == "open")
        }

        if let generatorOps {
            let share = syntheticShare ?? 1
            guard share >= 0, share <= 1 else { throw InputError("--synthetic-share must be between 0 and 1") }
            var generatorTraining: OperationsEstimate?
            var generatorPublished = (generatorWeights ?? "closed") == "open"
            var generatorName = generator ?? "the generator"
            do {
                if let generatorTrainingOps { generatorTraining = try estimator.reported(generatorTrainingOps) }
            } catch { throw InputError("--generator-training-ops: \(error.message)") }
            if let generator, let record = context.models.record(named: generator) {
                generatorName = record.name
                if generatorTraining == nil { generatorTraining = estimator.epoch(record) }
                if generatorWeights == nil { generatorPublished = context.models.isPublished(record) ?? false }
            }
            let generation: OperationsEstimate
            do { generation = try estimator.reported(generatorOps) } catch { throw InputError("--generator-ops: \(error.message)") }
            subject.synthetic = [SyntheticData(generator: generatorName, share: share, generationOperations: generation,
                                               generatorTrainingOperations: generatorTraining, generatorPublished: generatorPublished)]
        }
        return (subject, estimates)
    }

    private func runDataset(_ context: WeightsContext, regime: WeightsRegime, day: Day) throws {
        let provisions = regime.provisions(on: day)
        let frontier = context.models.publishedFrontier(on: day)
        var rows: [(AIModelRecord, WeightsClassification, Bool?)] = []
        var later = 0, noCompute = 0
        for record in context.models.records {
            if record.publicationDate > day { later += 1; continue }
            guard let subject = context.models.subject(for: record, estimator: context.estimator) else { noCompute += 1; continue }
            let c = WeightsClassifier.classify(subject, on: day, provisions: provisions, regime: regime.id, frontier: frontier)
            rows.append((record, c, subject.published))
        }
        let selected = rows.filter { all || $0.1.status == .controlled || ($0.1.status == .notInForce && $0.1.meetsCriteria) }
            .sorted { ($0.1.operations.point, $0.0.name) > ($1.1.operations.point, $1.0.name) }
        let controlled = rows.filter { $0.1.status == .controlled }.count
        let asWritten = rows.filter { $0.1.meetsCriteria }.count
        let sink = ByteSink.standardOutput()
        switch formatOption.format {
        case .jsonl:
            for row in selected { sink.write(WeightsJSON.classification(row.1, weights: row.2, estimates: []) + "\n"); sink.endRecord() }
        case .json:
            sink.write("[\n" + selected.map { WeightsJSON.classification($0.1, weights: $0.2, estimates: []) }.joined(separator: ",\n") + "\n]\n")
        case .csv:
            sink.write(DatasetRow.header)
            for row in selected { sink.write(DatasetRow.csv(row.1, record: row.0, weights: row.2)) }
        case .table:
            sink.write("Epoch AI Notable AI Models (CC BY 4.0) under \(regime.id) on \(day): \(rows.count) models with training compute published on or before \(day)\n")
            if let frontier { sink.write("Most capable published model by training compute: \(frontier.name), \(Scientific.format(frontier.operations)) operations (published \(frontier.publicationDate))\n") }
            if let reason = provisions.notInForce { sink.write("\(reason.text)\n") }
            sink.write("\n")
            var table = TextTable(header: ["MODEL", "ORGANIZATION", "PUBLISHED", "WEIGHTS", "OPERATIONS", "INTERVAL", "STATUS", "NOTE"], rightAligned: [4])
            for (record, c, published) in selected {
                let interval = "[\(Scientific.format(c.operations.low)), \(Scientific.format(c.operations.high))]"
                let status = c.status == .notInForce ? "not in force (as written: \(c.meetsCriteria ? "4E091" : "no"))" : c.status.rawValue
                table.add([record.name, String(record.organization.prefix(24)), record.publicationDate.description,
                           published.map { $0 ? "open" : "closed" } ?? "unknown", Scientific.format(c.operations.point), interval,
                           status, c.straddles ? "interval straddles \(Scientific.format(c.threshold))" : ""])
            }
            sink.write(table.render())
            sink.write("\n\(controlled) controlled (\(asWritten) meet 4E091 as written); \(later) models published after \(day) and \(noCompute) without a training-compute figure were not classified.\n")
            let notes = Set(selected.flatMap { $0.1.warnings }).sorted()
            if !notes.isEmpty {
                sink.write("warnings:\n" + notes.map { "  - \($0)" }.joined(separator: "\n") + "\n")
            }
        }
        sink.flush()
    }
}

/// CSV rows of `classify model`.
enum DatasetRow {
    static let header = "model,organization,publication_date,weights,status,eccn,operations,operations_low,operations_high,threshold,straddles_threshold\n"

    static func csv(_ c: WeightsClassification, record: AIModelRecord?, weights: Bool?) -> String {
        [c.name, record?.organization ?? "", record?.publicationDate.description ?? "", weights.map { $0 ? "open" : "closed" } ?? "",
         c.status.rawValue, c.eccn, "\(c.operations.point)", "\(c.operations.low)", "\(c.operations.high)", "\(c.threshold)",
         c.straddles ? "true" : "false"].map(csvField).joined(separator: ",") + "\n"
    }
}
