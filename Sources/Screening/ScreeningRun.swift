import ComputeMetrics
import DiffusionRules
import TabularIO

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
///   second pass, or rows in memory) through a pipeline on every core: rows are read, prepared
///   (everything that reads no balance; rows whose deciding rule draws no cap are decided there) and
///   formatted concurrently; the balance-dependent rest is decided in file order; memory stays bounded
///   whatever the file's size.
/// - ``compare(_:_:_:snapshot:format:sink:stages:)`` does the same under two regimes side by side.
/// - ``forEachBatch(_:screener:stage:body:)`` hands decided batches, in order, to the caller (commits).
/// - ``screen(_:regime:snapshot:stage:emit:)`` screens rows already in memory (tests, small inputs),
///   one text-form determination at a time.
///
/// A ``RowStage`` (part 744: end uses, restricted parties, the Affiliates Rule) runs on each row after
/// the chip rules, in file order; what its tightened outcome no longer draws is given back to the
/// screener (``Screener/withdraw(_:_:for:)``), so later rows see the balances the final outcomes left.
///
/// ```swift
/// let file = try ValidatedFile.validate(path: "deals.csv", book: book)
/// let summary = try ScreeningRun.screen(file, regime: compiled, snapshot: .empty, format: .jsonl,
///                                       sink: ByteSink.standardOutput())
/// ```
public enum ScreeningRun {
    /// Screens rows held in memory, in order, handing each text-form result to `emit`.
    public static func screen(_ file: TransactionFile, regime: CompiledRegime, snapshot: CapSnapshot,
                              stage: (any RowStage)? = nil, emit: (ScreeningResult) throws -> Void) rethrows {
        let screener = Screener(regime: regime, items: file.items, parties: file.parties, snapshot: snapshot)
        guard var stage else {
            for transaction in file.transactions { try emit(screener.evaluate(transaction)) }
            return
        }
        for transaction in file.transactions {
            var decision = screener.decide(transaction)
            let annotations = apply(&stage, transaction, &decision, screener: screener)
            try emit(screener.result(transaction, decision, annotations: annotations))
        }
    }

    /// Runs `stage` on a decided row; gives back to the screener what a tightened outcome no
    /// longer draws. Returns the row's annotations (nil when the stage has nothing to add).
    static func apply(_ stage: inout any RowStage, _ transaction: Transaction, _ decision: inout Decision,
                      screener: Screener) -> RowAnnotations? {
        let before = decision
        let annotations = stage.process(transaction, &decision, tables: screener.tables)
        if decision.debit != before.debit || decision.installedBaseAddition != before.installedBaseAddition {
            screener.withdraw(before, decision, for: transaction)
        }
        return annotations.flatMap { $0.isEmpty ? nil : $0 }
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
    static func read(_ file: some TransactionBatches, batch index: Int, preparers: [FormatterPool<RowPreparer>]) throws -> PreparedBatch {
        let transactions = try file.transactions(inBatch: index)
        return PreparedBatch(transactions: transactions, prepared: preparers.map { pool in pool.with { transactions.map($0.prepare) } })
    }

    static func preparers(_ regime: CompiledRegime, _ file: some TransactionBatches) -> FormatterPool<RowPreparer> {
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
            if stage != nil, let extra = apply(&stage!, transaction, &decision, screener: screener) {
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
    public static func screen(_ file: some TransactionBatches, regime: CompiledRegime, snapshot: CapSnapshot, format: OutputFormat,
                              sink: ByteSink, stage: (any RowStage)? = nil) throws -> ScreeningSummary {
        let screener = Screener(regime: regime, items: file.items, parties: file.parties, snapshot: snapshot)
        var summary = ScreeningSummary(regimes: [regime.id])
        var stage = stage
        let buffers = BufferPool()
        let formatters = FormatterPool { BatchFormatter(format: format, buffers: buffers) }
        let partyHits = stage?.screensParties ?? false
        let table = format == .table ? TableDeterminationWriter(sink: sink, partyHits: partyHits) : nil
        if format == .csv { sink.write(CSVDeterminationWriter.header(partyHits: partyHits).joined(separator: ",") + "\n") }
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
    /// writes each row's pair of determinations with the fields that differ; `stages`: a per-row
    /// stage for each regime (part 744), or nil.
    @discardableResult
    public static func compare(_ file: some TransactionBatches, _ a: CompiledRegime, _ b: CompiledRegime, snapshot: CapSnapshot,
                               format: OutputFormat, sink: ByteSink,
                               stages: ((any RowStage)?, (any RowStage)?) = (nil, nil)) throws -> ScreeningSummary {
        let first = Screener(regime: a, items: file.items, parties: file.parties, snapshot: snapshot)
        let second = Screener(regime: b, items: file.items, parties: file.parties, snapshot: snapshot)
        var summary = ScreeningSummary(regimes: [a.id, b.id])
        var stages = stages
        let buffers = BufferPool()
        let formatters = FormatterPool { ComparisonFormatter(format: format, regimes: (a.id, b.id), buffers: buffers) }
        let writer = ComparisonWriter(format: format, sink: sink, regimes: (a.id, b.id))
        let preparers = [preparers(a, file), preparers(b, file)]
        let pipeline = BatchPipeline<Int, PreparedBatch, (ScreenedBatch, ScreenedBatch), ComparisonFormatter.Output>(
            batchCount: file.batchCount,
            read: { try read(file, batch: $0, preparers: preparers) },
            decide: { _, read in
                let pair = (decide(read.transactions, prepared: read.prepared[0], screener: first, stage: &stages.0),
                            decide(read.transactions, prepared: read.prepared[1], screener: second, stage: &stages.1))
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
