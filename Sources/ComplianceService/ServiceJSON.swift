import AllocationLedger
import ComputeMetrics
import DiffusionRules
import Screening
import TabularIO

/// The JSON the API answers with (and the command line prints with `--format json`): holds,
/// licences, tokens, runs and screening results. Determinations are embedded exactly as
/// `screen --format jsonl` prints them.
///
/// ```swift
/// ServiceJSON.licence(licence)
/// // {"number":"D123","unit":"tpp","limit":20000000,"used":15832000,"remaining":4168000,...}
/// ```
public enum ServiceJSON {
    static func q(_ s: String) -> String { JSONEscaping.quoted(s) }
    static func q(_ s: String?) -> String { s.map { JSONEscaping.quoted($0) } ?? "null" }

    static func token(_ token: ActingToken?) -> String {
        token.map { "{\"name\":\(q($0.name)),\"role\":\(q($0.role))}" } ?? "null"
    }

    /// A two-line CSV (header, row) as one JSON object of strings.
    public static func input(_ csv: String) -> String {
        let reader = CSVRecordReader(bytes: Array(csv.utf8), displayName: "input")
        guard let header = try? reader.next()?.strings, let record = try? reader.next() else { return "{}" }
        let members = header.enumerated().filter { $0.offset < record.fieldCount }.map { "\(q($0.element)):\(q(record.string(at: $0.offset)))" }
        return "{" + members.joined(separator: ",") + "}"
    }

    public static func hold(_ h: Hold) -> String {
        var text = "{\"id\":\(h.id),\"run\":\(h.run),\"row\":\(q(h.row)),\"status\":\(q(h.status.rawValue))"
        text += ",\"determination\":\(h.determinationJSON),\"input\":\(input(h.inputCSV)),\"quantity\":\(h.quantity)"
        text += ",\"created_at\":\(q(h.createdAt)),\"licence\":\(q(h.decisions.last { $0.licence != nil }?.licence))"
        text += ",\"decisions\":[" + h.decisions.map { d in
            let debit = d.debitMilli.map { TPP(milli: $0).description } ?? "null"
            return "{\"event\":\(d.sequence),\"action\":\(q(d.action.rawValue)),\"status\":\(q(d.to.rawValue)),\"licence\":\(q(d.licence)),\"debited\":\(debit),\"note\":\(q(d.note)),\"by\":\(token(d.by)),\"at\":\(q(d.at))}"
        }.joined(separator: ",") + "]"
        text += ",\"recheck\":" + (h.recheck.map { "{\"event\":\($0.sequence),\"regime\":\(q($0.regime)),\"as_of\":\(q($0.asOf))}" } ?? "null")
        return text + "}"
    }

    public static func licence(_ l: Licence) -> String {
        let s = l.spec
        var text = "{\"number\":\(q(s.number)),\"unit\":\(q(s.unit.rawValue)),\"limit\":\(s.limit),\"used\":\(l.used),\"remaining\":\(l.remaining)"
        text += ",\"issued\":\(q(s.issued.description)),\"expires\":\(q(s.expires.description)),\"status\":\(q(l.status))"
        text += ",\"destination\":\(q(s.destination?.description)),\"consignee\":\(q(s.consignee))"
        text += ",\"created_at\":\(q(l.createdAt)),\"created_by\":\(token(l.createdBy)),\"event\":\(l.sequence)}"
        return text
    }

    public static func tokenRecord(_ t: TokenRecord) -> String {
        "{\"name\":\(q(t.name)),\"role\":\(q(t.role)),\"status\":\(q(t.status)),\"created_at\":\(q(t.createdAt)),\"created_by\":\(token(t.createdBy)),\"event\":\(t.sequence)}"
    }

    public static func run(_ r: RunRecord) -> String {
        var text = "{\"id\":\(r.id),\"file\":\(q(r.fileName)),\"file_sha256\":\(q(r.fileSHA256)),\"regime\":\(q(r.regime)),\"recorded_at\":\(q(r.recordedAt))"
        text += ",\"rows\":[\n" + r.rows.map { "{\"event\":\($0.sequence),\"row\":\(q($0.rowID)),\"determination\":\($0.determinationJSON)}" }
            .joined(separator: ",\n") + "\n]}"
        return text
    }

    public static func recheck(_ r: RecheckReport) -> String {
        var text = "{\"event\":\(r.sequence),\"regime\":\(q(r.regime)),\"as_of\":\(q(r.asOf.description)),\"checked\":\(r.checked),\"changed\":["
        text += r.changes.map {
            "{\"hold\":\($0.hold),\"row\":\(q($0.row)),\"fields\":[\($0.fields.map { q($0) }.joined(separator: ","))],\"before\":\($0.before),\"after\":\($0.after)}"
        }.joined(separator: ",")
        return text + "]}"
    }

    public static func verification(_ r: VerificationReport) -> String {
        "{\"ok\":\(r.ok),\"events\":\(r.events),\"problems\":[\(r.problems.map { q($0) }.joined(separator: ","))]}"
    }

    /// A screening answer: `{"run": ..., "replayed": ..., "regime": ..., "holds": [...],
    /// "determinations": [` one determination per line `]}`, as the three parts to send in order:
    /// this prefix, `array` without its last byte (a newline), and `"}\n"`. `array` is the
    /// determinations as a JSON array, one per line, as `screen --format json` prints it.
    public static func screeningPrefix(run: Int64?, replayed: Bool, regime: String, holds: [Int64]) -> [UInt8] {
        Array("{\"run\":\(run.map(String.init) ?? "null"),\"replayed\":\(replayed),\"regime\":\(q(regime)),\"holds\":[\(holds.map(String.init).joined(separator: ","))],\"determinations\":".utf8)
    }

    /// Determinations already formatted (one JSON object each) as the array of ``screening(run:replayed:regime:holds:array:)``.
    public static func array(_ lines: [String]) -> [UInt8] {
        guard !lines.isEmpty else { return Array("[]\n".utf8) }
        var out: [UInt8] = Array("[\n".utf8)
        out.reserveCapacity(lines.reduce(8) { $0 + $1.utf8.count + 2 })
        for (i, line) in lines.enumerated() {
            if i > 0 { out += [0x2C, 0x0A] }
            out += line.utf8
        }
        out += Array("\n]\n".utf8)
        return out
    }
}
