import ComputeMetrics
import DiffusionRules
import TabularIO

/// A later per-row stage after the chip rules (restricted-party screening, for example): the seam
/// where a stage sees every row in file order, may tighten its outcome
/// (``Decision/tighten(to:reviewPolicy:)``) and may add reasons, warnings and fields that the writers
/// print after the chip rules' own (``RowAnnotations``).
public protocol RowStage {
    /// Called for every row after the chip rules, in file order, on the screening thread.
    /// Return nil (no annotations) for rows the stage has nothing to say about: they cost nothing.
    mutating func process(_ transaction: Transaction, _ decision: inout Decision, tables: ScreeningTables) -> RowAnnotations?
}

/// A batch of rows decided under one regime, with what its writers need.
public struct ScreenedBatch: Sendable {
    public var transactions: [Transaction]
    public var decisions: [Decision]
    /// Annotations of a later stage by row index in the batch (almost always empty).
    public var annotations: [Int: RowAnnotations] = [:]
    /// The run's tables as they were when the batch was decided.
    public var tables: ScreeningTables

    /// Row `i` in text form.
    public func determination(_ i: Int) -> Determination {
        tables.determination(transactions[i], decisions[i], annotations: annotations[i])
    }
}

/// Screens transactions under a regime, in file order: the one entry point that the command line
/// and other callers use.
///
/// - ``screen(_:regime:snapshot:format:sink:stage:)`` streams ``TransactionBatches`` (a ``ValidatedFile``'s
///   second pass, or rows in memory) through a pipeline on every core: rows are read and formatted concurrently, decided in order;
///   memory stays bounded whatever the file's size.
/// - ``compare(_:_:_:snapshot:format:sink:)`` does the same under two regimes side by side.
/// - ``forEachBatch(_:screener:stage:body:)`` hands decided batches, in order, to the caller (commits).
/// - ``screen(_:regime:snapshot:emit:)`` screens rows already in memory (tests, small inputs), one
///   text-form determination at a time.
///
/// ```swift
/// let file = try ValidatedFile.validate(path: "deals.csv", book: book)
/// let summary = try ScreeningRun.screen(file, regime: compiled, snapshot: .empty, format: .jsonl,
///                                       sink: ByteSink.standardOutput())
/// ```
public enum ScreeningRun {
    /// Screens rows held in memory, in order, handing each text-form result to `emit`.
    public static func screen(_ file: TransactionFile, regime: CompiledRegime, snapshot: CapSnapshot,
                              emit: (ScreeningResult) throws -> Void) rethrows {
        let screener = Screener(regime: regime, items: file.items, parties: file.parties, snapshot: snapshot)
        for transaction in file.transactions {
            try emit(screener.evaluate(transaction))
        }
    }

    /// The determination as the one-line JSON object of the `jsonl` format.
    public static func jsonLine(_ determination: Determination) -> String {
        let json = JSONText()
        json.determination(determination)
        return json.text
    }

    /// A compact decision as the one-line JSON object of the `jsonl` format (the same bytes as
    /// ``jsonLine(_:)`` of its text form).
    public static func jsonLine(_ transaction: Transaction, _ decision: Decision, tables: ScreeningTables,
                                annotations: RowAnnotations? = nil) -> String {
        var json = JSONText()
        var text = DeterminationText()
        var constants = JSONConstants()
        json.determination(transaction, decision, tables: tables, text: &text, constants: &constants, annotations: annotations)
        return json.text
    }

    /// Decides one batch in order, applying `stage` to every row.
    static func decide(_ transactions: [Transaction], screener: Screener, stage: inout (any RowStage)?) -> ScreenedBatch {
        var decisions: [Decision] = []
        decisions.reserveCapacity(transactions.count)
        var annotations: [Int: RowAnnotations] = [:]
        for (i, transaction) in transactions.enumerated() {
            var decision = screener.decide(transaction)
            if stage != nil, let extra = stage!.process(transaction, &decision, tables: screener.tables), !extra.isEmpty {
                annotations[i] = extra
            }
            decisions.append(decision)
        }
        return ScreenedBatch(transactions: transactions, decisions: decisions, annotations: annotations, tables: screener.tables)
    }

    /// Streams `file` through `screener` in batches; `body` receives each decided batch in file order
    /// (on one thread at a time). Reading is concurrent; memory stays bounded.
    public static func forEachBatch(_ file: some TransactionBatches, screener: Screener, stage: (any RowStage)? = nil,
                                    body: @escaping (ScreenedBatch) throws -> Void) throws {
        var stage = stage
        let pipeline = BatchPipeline<Int, [Transaction], ScreenedBatch, ScreenedBatch>(
            batchCount: file.batchCount,
            read: { try file.transactions(inBatch: $0) },
            decide: { _, transactions in decide(transactions, screener: screener, stage: &stage) },
            format: { _, batch in batch },
            write: { _, batch in try body(batch) })
        try pipeline.run()
    }

    /// Screens a validated file under one regime and writes every determination in `format` to
    /// `sink`, in file order; returns the run's summary.
    @discardableResult
    public static func screen(_ file: some TransactionBatches, regime: CompiledRegime, snapshot: CapSnapshot, format: OutputFormat,
                              sink: ByteSink, stage: (any RowStage)? = nil) throws -> ScreeningSummary {
        let screener = Screener(regime: regime, items: file.items, parties: file.parties, snapshot: snapshot)
        var summary = ScreeningSummary(regimes: [regime.id])
        var stage = stage
        let buffers = BufferPool()
        let formatters = FormatterPool { BatchFormatter(format: format, buffers: buffers) }
        let table = format == .table ? TableDeterminationWriter(sink: sink) : nil
        if format == .csv { sink.write(CSVDeterminationWriter.header.joined(separator: ",") + "\n") }
        let pipeline = BatchPipeline<Int, [Transaction], ScreenedBatch, FormattedBatch>(
            batchCount: file.batchCount,
            read: { try file.transactions(inBatch: $0) },
            decide: { _, transactions in
                let batch = decide(transactions, screener: screener, stage: &stage)
                summary.add(batch)
                return batch
            },
            format: { index, batch in formatters.with { $0.output(batch, opensOutput: index == 0) } },
            write: { _, output in
                switch output {
                case let .bytes(buffer):
                    sink.write(buffer.buffer)
                    buffers.give(buffer)
                case let .determinations(rows): rows.forEach { table?.write($0) }
                }
            })
        try pipeline.run()
        if format == .json { sink.write(file.rowCount == 0 ? "[]\n" : "\n]\n") }
        if let table { table.finish() } else { sink.flush() }
        return summary
    }

    /// Screens a validated file under regimes `a` and `b` side by side (both from `snapshot`) and
    /// writes each row's pair of determinations with the fields that differ.
    @discardableResult
    public static func compare(_ file: some TransactionBatches, _ a: CompiledRegime, _ b: CompiledRegime, snapshot: CapSnapshot,
                               format: OutputFormat, sink: ByteSink) throws -> ScreeningSummary {
        let first = Screener(regime: a, items: file.items, parties: file.parties, snapshot: snapshot)
        let second = Screener(regime: b, items: file.items, parties: file.parties, snapshot: snapshot)
        var summary = ScreeningSummary(regimes: [a.id, b.id])
        var noStage: (any RowStage)?
        let buffers = BufferPool()
        let formatters = FormatterPool { ComparisonFormatter(format: format, regimes: (a.id, b.id), buffers: buffers) }
        let writer = ComparisonWriter(format: format, sink: sink, regimes: (a.id, b.id))
        let pipeline = BatchPipeline<Int, [Transaction], (ScreenedBatch, ScreenedBatch), ComparisonFormatter.Output>(
            batchCount: file.batchCount,
            read: { try file.transactions(inBatch: $0) },
            decide: { _, transactions in
                let pair = (decide(transactions, screener: first, stage: &noStage), decide(transactions, screener: second, stage: &noStage))
                summary.add(pair.0, pair.1)
                return pair
            },
            format: { index, pair in formatters.with { $0.output(pair.0, pair.1, opensOutput: index == 0) } },
            write: { _, output in
                writer.write(output)
                if case let .bytes(buffer) = output { buffers.give(buffer) }
            })
        try pipeline.run()
        writer.finish()
        return summary
    }
}
