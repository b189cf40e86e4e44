import Dispatch
import DiffusionRules
import TabularIO

/// Writes determinations as `jsonl`, `json` or `csv` while screening goes on, formatting batches on
/// other threads and writing them in input order.
///
/// Screening is sequential (each row sees the balances left by earlier rows); formatting a
/// determination is not. Batches of 4,096 determinations are formatted concurrently (both cores
/// are busy: one screens, one formats, and both format once screening is done) and a serial queue
/// writes each batch after the one before it. At most 8 batches are in flight, so memory stays
/// bounded. Output is byte-identical to formatting row by row.
public final class ParallelOutput: DeterminationWriter, @unchecked Sendable {
    // Touched only on the caller's thread: `batch`, `batchIndex`. Touched only on `writeQueue`: `sink`.
    private let format: OutputFormat
    private let sink: ByteSink
    private let formatQueue = DispatchQueue(label: "ai-diffusion.format", attributes: .concurrent)
    private let writeQueue = DispatchQueue(label: "ai-diffusion.write")
    private let slots = DispatchSemaphore(value: 8)
    private var batch: [Determination] = []
    private var batchIndex = 0
    private let batchSize = 4096

    /// `format` must be `jsonl`, `json` or `csv` (tables are for people and small files).
    public init(format: OutputFormat, sink: ByteSink, partyHits: Bool = false) {
        precondition(format != .table, "ParallelOutput writes jsonl, json or csv")
        self.format = format
        self.sink = sink
        batch.reserveCapacity(batchSize)
        if format == .csv { sink.write(CSVDeterminationWriter.header(partyHits: partyHits).joined(separator: ",") + "\n") }
    }

    public func write(_ determination: Determination) {
        batch.append(determination)
        if batch.count == batchSize { send() }
    }

    private final class Formatted: @unchecked Sendable {
        var bytes: [UInt8] = []
    }

    private func send() {
        let rows = batch, first = batchIndex == 0, format = self.format
        batch = []
        batch.reserveCapacity(batchSize)
        batchIndex += 1
        slots.wait()
        let result = Formatted()
        let done = DispatchGroup()
        formatQueue.async(group: done) {
            result.bytes = ParallelOutput.render(rows, format: format, first: first)
        }
        writeQueue.async { [self] in
            done.wait()
            sink.write(bytes: result.bytes)
            slots.signal()
        }
    }

    /// The bytes of one batch in `format`; `first` is whether it opens the output (JSON commas).
    static func render(_ rows: [Determination], format: OutputFormat, first: Bool) -> [UInt8] {
        var json = JSONText(capacity: rows.count * 700)
        for (i, row) in rows.enumerated() {
            switch format {
            case .jsonl:
                json.determination(row)
                json.raw("\n")
            case .json:
                json.raw(first && i == 0 ? "[\n" : ",\n")
                json.determination(row)
            default:
                json.raw(CSVDeterminationWriter.fields(row).map(csvField).joined(separator: ",") + "\n")
            }
        }
        return json.bytes
    }

    public func finish() {
        let empty = batchIndex == 0 && batch.isEmpty
        if !batch.isEmpty { send() }
        writeQueue.sync {
            if format == .json { sink.write(empty ? "[]\n" : "\n]\n") }
            sink.flush()
        }
    }
}
