import ComputeMetrics
import DiffusionRules
import TabularIO

/// Output formats of `screen` and `classify` (formats.md): `table` for people, `jsonl` for
/// pipelines, `json` (one array), `csv` (lists flattened with `; `).
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, jsonl, csv
}

/// Receives determinations in input order and writes them in one format.
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
        json.bytes.removeAll(keepingCapacity: true)
        json.determination(determination)
        json.bytes.append(UInt8(ascii: "\n"))
        sink.write(bytes: json.bytes)
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
        json.bytes.removeAll(keepingCapacity: true)
        json.raw(first ? "[\n" : ",\n")
        first = false
        json.determination(determination)
        sink.write(bytes: json.bytes)
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
        sink.write(Self.fields(d).map(csvField).joined(separator: ",") + "\n")
        sink.endRecord()
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
