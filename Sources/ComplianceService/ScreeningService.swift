import AllocationLedger
import ComputeMetrics
import DiffusionRules
import Foundation
import PartyScreening
import Screening
import TabularIO

/// Validated rows to screen, with where they came from (a file, or a request's CSV bytes).
public struct ScreeningInput: Sendable {
    /// The rows, read in batches by ``ScreeningRun``: a file is checked whole by a first pass and
    /// streamed from disk by the second (memory bounded at any size); a request's rows are in memory.
    public var rows: any TransactionBatches
    /// The name receipts and runs record (a file path, or `POST /v1/screenings by NAME`).
    public var name: String
    let source: Source

    enum Source: Sendable {
        case path(String)
        case bytes([UInt8])
    }

    /// Checks a transactions CSV file whole (every bad cell: ``CSVInputError``), ready to be
    /// screened in a second pass (``ValidatedFile``).
    public init(path: String, book: RuleBook) throws {
        rows = try ValidatedFile.validate(path: path, book: book)
        name = path
        source = .path(path)
    }

    /// Reads and validates a request's rows. A bad cell is a 400 naming the row (its position in
    /// the request), the field and the value, with the command line's text for the same cell.
    public init(request: ScreeningRequest, book: RuleBook, name: String) throws {
        do {
            rows = try TransactionReader.read(reader: CSVRecordReader(bytes: request.csv, displayName: "request"), book: book,
                                              rowCapacity: request.rowCount)
        } catch {
            throw ServiceError.badRow(error, row: request.row(atLine: error.line))
        }
        self.name = name
        source = .bytes(request.csv)
    }

    /// SHA-256 of the input's bytes: a commit's identity (the same content again is a replay).
    public func sha256() throws -> String {
        switch source {
        case let .path(path): return try Digest.sha256Hex(fileAt: path)
        case let .bytes(bytes): return Digest.sha256Hex(bytes)
        }
    }

    /// Header and record of the rows starting on `lines`, each as a two-line CSV (a hold's input).
    func csvRows(atLines lines: Set<Int>) throws -> [Int: String] {
        guard !lines.isEmpty else { return [:] }
        let reader: CSVRecordReader
        switch source {
        case let .path(path): reader = try CSVRecordReader(path: path)
        case let .bytes(bytes): reader = CSVRecordReader(bytes: bytes, displayName: name)
        }
        guard let header = try reader.next()?.strings.map({ $0.trimmingASCIIWhitespace() }) else { return [:] }
        let head = header.map(csvField).joined(separator: ",")
        var out: [Int: String] = [:]
        while let record = try reader.next() {
            guard lines.contains(record.line) else { continue }
            out[record.line] = head + "\n" + record.strings.map(csvField).joined(separator: ",") + "\n"
            if out.count == lines.count { break }
        }
        return out
    }
}

/// The outcome of a commit.
public struct CommitResult: Sendable {
    public var runID: Int64
    /// True when the content was committed before: the stored results are returned, nothing debited.
    public var replayed: Bool
    /// The regime the rows were recorded under (on a replay, possibly not the one asked for).
    public var regime: String
    /// Ledger positions of the rows' events (recorded commits).
    public var sequences: ClosedRange<Int64>?
    /// Each row's determination as `screen --format jsonl` prints it, in input order.
    public var json: [String]
    /// The determinations themselves (recorded commits; decode `json` for a replay).
    public var determinations: [Determination]?
    /// Holds opened by this run (one per row that needs a licence): their ids.
    public var holds: [Int64]
}

extension ComplianceService {
    /// The part 744 stage of one run under `regime` (``PartyScreeningSetup``), on the regime's
    /// end-user rules compiled once per service.
    public func partyStage(_ regime: CompiledRegime) throws -> PartyStage {
        parties.stage(rules: try endUserRules(regime.id))
    }

    /// A dry run: every row's determination written in `format` to `sink`, in input order, against
    /// the ledger's balances (none when there is no ledger yet), through ``ScreeningRun`` (compact
    /// decisions, formatted on every core). Nothing is recorded. Returns the run's summary.
    @discardableResult
    public func screen(_ input: ScreeningInput, regime: CompiledRegime, format: OutputFormat, sink: ByteSink) throws -> ScreeningSummary {
        try ScreeningRun.screen(input.rows, regime: regime, snapshot: try snapshot(), format: format, sink: sink,
                                stage: try partyStage(regime))
    }

    /// Each row under two regimes side by side (both from the ledger's balances), written in
    /// `format` to `sink` in input order; returns the summary (rows changed, by field).
    @discardableResult
    public func compare(_ input: ScreeningInput, _ a: CompiledRegime, _ b: CompiledRegime, format: OutputFormat,
                        sink: ByteSink) throws -> ScreeningSummary {
        try ScreeningRun.compare(input.rows, a, b, snapshot: try snapshot(), format: format, sink: sink,
                                 stages: (try partyStage(a), try partyStage(b)))
    }

    /// Records every row (all or none) with its debits and a signed receipt; every row that needs a
    /// licence becomes an open hold. The same content committed again returns the stored results
    /// and debits nothing; `requestKey` (HTTP `Idempotency-Key`) with other content is a conflict.
    public func commit(_ input: ScreeningInput, regime: CompiledRegime, requestKey: String?, by principal: Principal?) throws -> CommitResult {
        let ledger = try ledger()
        let run = RunInfo(fileSHA256: try input.sha256(), fileName: input.name, regime: regime.id, recordedAt: clock(),
                          rulePackSHA256: rulePackDigest(regime.id), requestKey: requestKey,
                          actor: principal?.acting)
        var determinations: [Determination] = []
        var json: [String] = []
        let outcome = try ledger.commit(run: run, limits: { regime.capLimit(for: $0, on: $1) }) { snapshot in
            determinations.removeAll()
            json.removeAll()
            var records: [LedgerRecord] = []
            var held: [(record: Int, line: Int, quantity: Int64)] = []
            let screener = Screener(regime: regime, items: input.rows.items, parties: input.rows.parties, snapshot: snapshot)
            try ScreeningRun.forEachBatch(input.rows, screener: screener, stage: try partyStage(regime)) { batch in
                for i in batch.transactions.indices {
                    let transaction = batch.transactions[i]
                    let d = batch.determination(i)
                    let text = ScreeningRun.jsonLine(d)
                    determinations.append(d)
                    json.append(text)
                    if d.licenseRequired { held.append((records.count, Int(transaction.line), transaction.quantity)) }
                    records.append(LedgerRecord(
                        rowID: d.id, determinationJSON: text, debits: d.debits,
                        installedBaseAddition: batch.decisions[i].installedBaseAddition.map {
                            InstalledBaseEntry(holder: batch.tables.parties[transaction.ultimateParent], country: transaction.destination, tpp: $0)
                        }, date: d.date))
                }
            }
            let inputs = try input.csvRows(atLines: Set(held.map(\.line)))
            for h in held {
                records[h.record].hold = HoldInput(quantity: h.quantity, inputCSV: inputs[h.line] ?? "")
            }
            return records
        }
        switch outcome {
        case let .recorded(runID, first, last):
            var holds: [Int64] = []
            for (offset, d) in determinations.enumerated() where d.licenseRequired { holds.append(first + Int64(offset)) }
            return CommitResult(runID: runID, replayed: false, regime: regime.id, sequences: first...last, json: json,
                                determinations: determinations, holds: holds)
        case let .replayed(runID, storedRegime, stored):
            let rows = try ledger.run(id: runID)?.rows ?? []
            let holds = rows.filter { $0.determinationJSON.contains("\"license_required\":true") }.map(\.sequence)
            return CommitResult(runID: runID, replayed: true, regime: storedRegime, sequences: nil, json: stored.map(\.json),
                                determinations: nil, holds: holds)
        }
    }
}

/// The version of a rule pack written into signed receipts: SHA-256 over the regime definition and
/// each of its layers, encoded as JSON with sorted keys (so it changes exactly when the data does).
public enum RulePackDigest {
    public static func sha256(regime id: String, book: RuleBook) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var bytes: [UInt8] = []
        if let definition = book.regimes[id] {
            bytes += (try? encoder.encode(definition)).map(Array.init) ?? []
            for ref in definition.layers {
                bytes += Array("\n\(ref.layer)\n".utf8)
                if let layer = book.layers[ref.layer] { bytes += (try? encoder.encode(layer)).map(Array.init) ?? [] }
            }
        }
        return Digest.sha256Hex(bytes)
    }
}
