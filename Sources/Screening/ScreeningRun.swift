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
/// - ``screen(_:regime:snapshot:format:sink:stage:)`` streams a ``ValidatedFile`` (the second pass)
///   through a pipeline on every core: rows are read, prepared (everything that reads no balance;
///   rows whose deciding rule draws no cap are decided there) and formatted concurrently; the
///   balance-dependent rest is decided in file order; memory stays bounded whatever the file's size.
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

    /// A batch read on a worker thread: its rows, and what each decision needs that reads no
    /// balance (``RowPreparer``), one set per regime.
    struct PreparedBatch {
        var transactions: [Transaction]
        var prepared: [[PreparedRow]]
    }

    /// Reads batch `index` and prepares its rows under each regime (on a worker thread).
    static func read(_ file: ValidatedFile, batch index: Int, preparers: [FormatterPool<RowPreparer>]) throws -> PreparedBatch {
        let transactions = try file.transactions(inBatch: index)
        return PreparedBatch(transactions: transactions, prepared: preparers.map { pool in pool.with { transactions.map($0.prepare) } })
    }

    static func preparers(_ regime: CompiledRegime, _ file: ValidatedFile) -> FormatterPool<RowPreparer> {
        FormatterPool { RowPreparer(regime: regime, items: file.items) }
    }

    /// Decides one batch in order, applying `stage` to every row.
    static func decide(_ transactions: [Transaction], prepared: [PreparedRow]? = nil, screener: Screener,
                       stage: inout (any RowStage)?) -> ScreenedBatch {
        var decisions: [Decision] = []
        decisions.reserveCapacity(transactions.count)
        var annotations: [Int: RowAnnotations] = [:]
        for (i, transaction) in transactions.enumerated() {
            var decision = prepared.map { screener.decide(transaction, prepared: $0[i]) } ?? screener.decide(transaction)
            if stage != nil, let extra = stage!.process(transaction, &decision, tables: screener.tables), !extra.isEmpty {
                annotations[i] = extra
            }
            decisions.append(decision)
        }
        return ScreenedBatch(transactions: transactions, decisions: decisions, annotations: annotations, tables: screener.tables)
    }

    /// Streams `file` through `screener` in batches; `body` receives each decided batch in file order
    /// (on one thread at a time). Reading is concurrent; memory stays bounded.
    public static func forEachBatch(_ file: ValidatedFile, screener: Screener, stage: (any RowStage)? = nil,
                                    body: @escaping (ScreenedBatch) throws -> Void) throws {
        var stage = stage
        let preparers = [preparers(screener.regime, file)]
        let pipeline = BatchPipeline<Int, PreparedBatch, ScreenedBatch, ScreenedBatch>(
            batchCount: file.batchCount,
            read: { try read(file, batch: $0, preparers: preparers) },
            decide: { _, batch in decide(batch.transactions, prepared: batch.prepared[0], screener: screener, stage: &stage) },
            format: { _, batch in batch },
            write: { _, batch in try body(batch) })
        try pipeline.run()
    }

    /// Screens a validated file under one regime and writes every determination in `format` to
    /// `sink`, in file order; returns the run's summary.
    @discardableResult
    public static func screen(_ file: ValidatedFile, regime: CompiledRegime, snapshot: CapSnapshot, format: OutputFormat,
                              sink: ByteSink, stage: (any RowStage)? = nil) throws -> ScreeningSummary {
        let screener = Screener(regime: regime, items: file.items, parties: file.parties, snapshot: snapshot)
        var summary = ScreeningSummary(regimes: [regime.id])
        var stage = stage
        let buffers = BufferPool()
        let formatters = FormatterPool { BatchFormatter(format: format, buffers: buffers) }
        let table = format == .table ? TableDeterminationWriter(sink: sink) : nil
        if format == .csv { sink.write(CSVDeterminationWriter.header.joined(separator: ",") + "\n") }
        let preparers = [preparers(regime, file)]
        let pipeline = BatchPipeline<Int, PreparedBatch, ScreenedBatch, FormattedBatch>(
            batchCount: file.batchCount,
            read: { try read(file, batch: $0, preparers: preparers) },
            decide: { _, read in
                let batch = decide(read.transactions, prepared: read.prepared[0], screener: screener, stage: &stage)
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
    public static func compare(_ file: ValidatedFile, _ a: CompiledRegime, _ b: CompiledRegime, snapshot: CapSnapshot,
                               format: OutputFormat, sink: ByteSink) throws -> ScreeningSummary {
        let first = Screener(regime: a, items: file.items, parties: file.parties, snapshot: snapshot)
        let second = Screener(regime: b, items: file.items, parties: file.parties, snapshot: snapshot)
        var summary = ScreeningSummary(regimes: [a.id, b.id])
        var noStage: (any RowStage)?
        let buffers = BufferPool()
        let formatters = FormatterPool { ComparisonFormatter(format: format, regimes: (a.id, b.id), buffers: buffers) }
        let writer = ComparisonWriter(format: format, sink: sink, regimes: (a.id, b.id))
        let preparers = [preparers(a, file), preparers(b, file)]
        let pipeline = BatchPipeline<Int, PreparedBatch, (ScreenedBatch, ScreenedBatch), ComparisonFormatter.Output>(
            batchCount: file.batchCount,
            read: { try read(file, batch: $0, preparers: preparers) },
            decide: { _, read in
                let pair = (decide(read.transactions, prepared: read.prepared[0], screener: first, stage: &noStage),
                            decide(read.transactions, prepared: read.prepared[1], screener: second, stage: &noStage))
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
