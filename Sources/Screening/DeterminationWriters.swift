import ComputeMetrics
import DiffusionRules
import Foundation
import TabularIO

/// Output formats of `screen` and `classify` (formats.md): `table` for people, `jsonl` for
/// pipelines, `json` (one array), `csv` (lists flattened with `; `).
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, jsonl, csv
}

/// Receives determinations in text form, in input order, and writes them in one format (committed
/// runs replayed from the ledger; small runs). Streaming runs format compact decisions directly
/// (``ScreeningRun``); both give the same bytes.
public protocol DeterminationWriter {
    func write(_ determination: Determination)
    /// Ends the output (closing brackets, the table itself).
    func finish()
}

/// Makes the writer for a format. `partyHits`: restricted-party lists were loaded, so the output
/// ends with `party_hits` (JSON formats print it whenever a determination has it).
public func makeDeterminationWriter(_ format: OutputFormat, sink: ByteSink, partyHits: Bool = false) -> DeterminationWriter {
    switch format {
    case .jsonl: return JSONLinesWriter(sink: sink)
    case .json: return JSONArrayWriter(sink: sink)
    case .csv: return CSVDeterminationWriter(sink: sink, partyHits: partyHits)
    case .table: return TableDeterminationWriter(sink: sink, partyHits: partyHits)
    }
}

/// One JSON object per line.
public final class JSONLinesWriter: DeterminationWriter {
    let sink: ByteSink
    var json = JSONText()
    public init(sink: ByteSink) { self.sink = sink }
    public func write(_ determination: Determination) {
        json.removeAll()
        json.determination(determination)
        json.byte(UInt8(ascii: "\n"))
        sink.write(json.out.buffer)
    }
    public func finish() { sink.flush() }
}

/// A JSON array, one determination per line.
public final class JSONArrayWriter: DeterminationWriter {
    let sink: ByteSink
    var json = JSONText()
    var first = true
    public init(sink: ByteSink) { self.sink = sink }
    public func write(_ determination: Determination) {
        json.removeAll()
        json.raw(first ? "[\n" : ",\n")
        first = false
        json.determination(determination)
        sink.write(json.out.buffer)
    }
    public func finish() {
        sink.write(first ? "[]\n" : "\n]\n")
        sink.flush()
    }
}

/// CSV with the §6 fields as columns; lists joined with `; `.
public final class CSVDeterminationWriter: DeterminationWriter {
    let sink: ByteSink
    public static let header = [
        "id", "date", "regime", "layers", "item", "eccn", "tpp_per_unit", "tpp_total", "h100_equivalents", "destination",
        "destination_tier", "consignee_hq_tier", "license_required", "authorization", "review_policy", "debits",
        "reasons", "warnings",
    ]

    public init(sink: ByteSink, partyHits: Bool = false) {
        self.sink = sink
        sink.write(Self.header(partyHits: partyHits).joined(separator: ",") + "\n")
    }

    /// The header; `party_hits` last when lists were loaded.
    public static func header(partyHits: Bool) -> [String] { partyHits ? header + ["party_hits"] : header }

    public func write(_ d: Determination) {
        sink.write(Self.line(d))
        sink.endRecord()
    }

    /// One CSV line (with its newline).
    static func line(_ d: Determination) -> String {
        fields(d).map(csvField).joined(separator: ",") + "\n"
    }

    static func fields(_ d: Determination) -> [String] {
        var out: [String] = [
            d.id, d.date.description, d.regime, d.layers.joined(separator: "; "), d.item, d.eccn,
            d.tppPerUnit?.description ?? "", d.tppTotal?.description ?? "",
            d.h100Equivalents.map { TPP($0).description } ?? "", d.destination.description,
            d.destinationTier.map(String.init) ?? "", d.consigneeHQTier.map(String.init) ?? "",
            d.licenseRequired ? "true" : "false", d.authorization.rawValue, d.reviewPolicy?.rawValue ?? "",
            d.debits.map { "\($0.cap.name)=\($0.tpp)" }.joined(separator: "; "),
            d.reasons.map { "\($0.code): \($0.text) [\($0.citation)]" }.joined(separator: "; "),
            d.warnings.joined(separator: "; "),
        ]
        if let hits = d.partyHits { out.append(hits.map(partyHitText).joined(separator: "; ")) }
        return out
    }

    /// `consignee "X" ~ entity_list/csl#3 0.962 match`.
    static func partyHitText(_ hit: PartyHit) -> String {
        "\(hit.partyRole) \"\(hit.name)\" ~ \(hit.list)/\(hit.entryID) \(TPP(hit.score)) \(hit.decision)"
    }

    public func finish() { sink.flush() }
}

/// An aligned table with the fields a person reads first; warnings counted per row.
public final class TableDeterminationWriter: DeterminationWriter {
    let sink: ByteSink
    var table: TextTable
    let partyHits: Bool

    public init(sink: ByteSink, partyHits: Bool = false) {
        self.sink = sink
        self.partyHits = partyHits
        table = TextTable(header: ["ID", "DATE", "ITEM", "ECCN", "TPP TOTAL", "DEST", "TIER", "HQ TIER",
                                   "AUTHORIZATION", "REVIEW POLICY", "DEBITS", "WARN"] + (partyHits ? ["PARTY HITS"] : []),
                          rightAligned: [4, 11])
    }

    public func write(_ d: Determination) {
        let hits = d.partyHits.map { hits in
            hits.isEmpty ? "-" : hits.map { "\($0.partyRole) \($0.list) \($0.decision) \(TPP($0.score))" }.joined(separator: ", ")
        }
        table.add([
            d.id, d.date.description, d.item, d.eccn, d.tppTotal?.description ?? "?", d.destination.description,
            d.destinationTier.map(String.init) ?? "-", d.consigneeHQTier.map(String.init) ?? "-",
            d.authorization.rawValue, d.reviewPolicy?.rawValue ?? "-",
            d.debits.isEmpty ? "-" : d.debits.map { "\($0.cap.name) \($0.tpp)" }.joined(separator: ", "),
            String(d.warnings.count),
        ] + (partyHits ? [hits ?? "-"] : []))
    }

    public func finish() {
        sink.write(table.render())
        sink.flush()
    }
}

/// Formats batches of screened rows as `jsonl`, `json` or `csv` bytes, or as determinations in text
/// form for a table. Keeps scratch space and JSON caches: one per thread.
final class BatchFormatter {
    let format: OutputFormat
    private let buffers: BufferPool
    private var text = DeterminationText()
    private var constants = JSONConstants()

    init(format: OutputFormat, buffers: BufferPool) {
        self.format = format
        self.buffers = buffers
    }

    /// The output of one batch; `opensOutput` when it is the first batch (JSON arrays open with it).
    func output(_ batch: ScreenedBatch, opensOutput: Bool) -> FormattedBatch {
        if format == .table {
            return .determinations(batch.transactions.indices.map { batch.determination($0) })
        }
        var json = JSONText(buffer: buffers.take())
        for i in batch.transactions.indices {
            switch format {
            case .jsonl:
                json.determination(batch.transactions[i], batch.decisions[i], tables: batch.tables, text: &text,
                                   constants: &constants, annotations: batch.annotations[i])
                json.byte(UInt8(ascii: "\n"))
            case .json:
                json.raw(opensOutput && i == 0 ? "[\n" : ",\n")
                json.determination(batch.transactions[i], batch.decisions[i], tables: batch.tables, text: &text,
                                   constants: &constants, annotations: batch.annotations[i])
            default:
                json.raw(CSVDeterminationWriter.line(batch.determination(i)))
            }
        }
        return .bytes(json.out)
    }
}

/// A batch's output: bytes to write (the buffer goes back to its pool once written), or
/// determinations for a table.
enum FormattedBatch {
    case bytes(OutputBuffer)
    case determinations([Determination])
}

/// Output buffers that cycle between the formatting threads and the writer, so that a batch's
/// megabytes are allocated once per run, not once per batch.
final class BufferPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [OutputBuffer] = []

    func take() -> OutputBuffer {
        lock.lock()
        defer { lock.unlock() }
        if let buffer = idle.popLast() {
            buffer.removeAll()
            return buffer
        }
        return OutputBuffer(capacity: 1 << 20)
    }

    func give(_ buffer: OutputBuffer) {
        lock.lock()
        idle.append(buffer)
        lock.unlock()
    }
}

/// Formatters for concurrent batches: each batch borrows one.
final class FormatterPool<Formatter>: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [Formatter] = []
    private let make: () -> Formatter

    init(_ make: @escaping () -> Formatter) { self.make = make }

    func with<T>(_ body: (Formatter) throws -> T) rethrows -> T {
        lock.lock()
        let formatter = idle.popLast() ?? make()
        lock.unlock()
        defer {
            lock.lock()
            idle.append(formatter)
            lock.unlock()
        }
        return try body(formatter)
    }
}
