import ComputeMetrics
import DiffusionRules
import TabularIO

/// Fields compared between two regimes' determinations of the same row.
public enum ComparedField: String, CaseIterable, Sendable {
    case eccn, destinationTier = "destination_tier", consigneeHQTier = "consignee_hq_tier"
    case licenseRequired = "license_required", authorization, reviewPolicy = "review_policy", debits

    public func differs(_ a: Determination, _ b: Determination) -> Bool {
        switch self {
        case .eccn: return a.eccn != b.eccn
        case .destinationTier: return a.destinationTier != b.destinationTier
        case .consigneeHQTier: return a.consigneeHQTier != b.consigneeHQTier
        case .licenseRequired: return a.licenseRequired != b.licenseRequired
        case .authorization: return a.authorization != b.authorization
        case .reviewPolicy: return a.reviewPolicy != b.reviewPolicy
        case .debits: return a.debits != b.debits
        }
    }
}

/// Running totals for the end-of-run summary: per regime, how many rows need a licence, are denied,
/// by authorization, and TPP debited per destination; across regimes, how many rows change.
public struct ScreeningSummary: Sendable {
    public struct PerRegime: Sendable {
        public var regime: String
        public var rows = 0
        public var licenceRequired = 0
        public var denied = 0
        public var byAuthorization: [String: Int] = [:]
        /// TPP debited from caps, by destination country.
        public var debitedByCountry: [CountryCode: TPP] = [:]

        mutating func add(_ d: Determination) {
            rows += 1
            if d.licenseRequired { licenceRequired += 1 }
            if d.isDenial { denied += 1 }
            byAuthorization[d.authorization.rawValue, default: 0] += 1
            for debit in d.debits { debitedByCountry[d.destination, default: .zero] = debitedByCountry[d.destination, default: .zero] + debit.tpp }
        }
    }

    public var regimes: [PerRegime]
    public var changedRows = 0
    public var changedByField: [String: Int] = [:]

    public init(regimes: [String]) {
        self.regimes = regimes.map { PerRegime(regime: $0) }
    }

    public mutating func add(_ determinations: [Determination]) {
        for (i, d) in determinations.enumerated() { regimes[i].add(d) }
        guard determinations.count == 2 else { return }
        let changed = ComparedField.allCases.filter { $0.differs(determinations[0], determinations[1]) }
        if !changed.isEmpty { changedRows += 1 }
        for field in changed { changedByField[field.rawValue, default: 0] += 1 }
    }

    /// The summary as text for people (stderr after jsonl/csv, stdout after a table).
    public func render() -> String {
        var text = ""
        if regimes.count == 2 {
            text += "\(changedRows) of \(regimes[0].rows) rows change between \(regimes[0].regime) and \(regimes[1].regime)"
            let fields = changedByField.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            text += fields.isEmpty ? "\n" : " (\(fields.joined(separator: ", ")))\n"
        }
        var table = TextTable(header: ["REGIME", "ROWS", "LICENCE REQUIRED", "DENIED", "BY AUTHORIZATION"], rightAligned: [1, 2, 3])
        for r in regimes {
            table.add([r.regime, String(r.rows), String(r.licenceRequired), String(r.denied),
                       r.byAuthorization.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")])
        }
        text += table.render()
        let countries = Set(regimes.flatMap { $0.debitedByCountry.keys }).sorted()
        if !countries.isEmpty {
            var debits = TextTable(header: ["TPP DEBITED"] + regimes.map(\.regime), rightAligned: Set(1...regimes.count))
            for country in countries {
                debits.add([country.description] + regimes.map { $0.debitedByCountry[country]?.description ?? "0" })
            }
            text += debits.render()
        }
        return text
    }

    /// The summary as one JSON object.
    public func json() -> String {
        var json = JSONText()
        json.raw("{\"changed_rows\":\(changedRows),\"changed_by_field\":{")
        for (i, (field, count)) in changedByField.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { json.raw(",") }
            json.string(field); json.raw(":\(count)")
        }
        json.raw("},\"regimes\":[")
        for (i, r) in regimes.enumerated() {
            if i > 0 { json.raw(",") }
            json.raw("{\"regime\":"); json.string(r.regime)
            json.raw(",\"rows\":\(r.rows),\"licence_required\":\(r.licenceRequired),\"denied\":\(r.denied),\"by_authorization\":{")
            for (j, (name, count)) in r.byAuthorization.sorted(by: { $0.key < $1.key }).enumerated() {
                if j > 0 { json.raw(",") }
                json.string(name); json.raw(":\(count)")
            }
            json.raw("},\"tpp_debited_by_country\":{")
            for (j, (country, tpp)) in r.debitedByCountry.sorted(by: { $0.key < $1.key }).enumerated() {
                if j > 0 { json.raw(",") }
                json.string(country.description); json.raw(":"); json.tpp(tpp)
            }
            json.raw("}}")
        }
        json.raw("]}")
        return String(decoding: json.bytes, as: UTF8.self)
    }
}

/// Writes `--compare A,B` rows: both determinations and which fields differ.
public final class ComparisonWriter {
    let format: OutputFormat
    let sink: ByteSink
    var json = JSONText()
    let regimes: (String, String)
    var first = true
    var table: TextTable

    public init(format: OutputFormat, sink: ByteSink, regimes: (String, String)) {
        self.format = format
        self.sink = sink
        self.regimes = regimes
        self.table = TextTable(header: ["ID", "DATE", "ITEM", "DEST", regimes.0.uppercased(), regimes.1.uppercased(), "CHANGED"])
        if format == .csv {
            let per = ["eccn", "destination_tier", "license_required", "authorization", "review_policy", "debits"]
            sink.write((["id", "date", "item", "destination", "differs"] + per.map { "\(regimes.0).\($0)" } + per.map { "\(regimes.1).\($0)" }).joined(separator: ",") + "\n")
        }
    }

    public func write(_ a: Determination, _ b: Determination) {
        let changed = ComparedField.allCases.filter { $0.differs(a, b) }.map(\.rawValue)
        switch format {
        case .jsonl, .json:
            json.bytes.removeAll(keepingCapacity: true)
            if format == .json { json.raw(first ? "[\n" : ",\n") }
            first = false
            json.raw("{\"id\":"); json.string(a.id)
            json.raw(",\"date\":"); json.day(a.date)
            json.raw(",\"item\":"); json.string(a.item)
            json.raw(",\"destination\":"); json.string(a.destination.description)
            json.raw(",\"differs\":"); json.bool(!changed.isEmpty)
            json.raw(",\"changed\":"); json.strings(changed)
            json.raw(",\"determinations\":{"); json.string(regimes.0); json.raw(":"); json.determination(a)
            json.raw(","); json.string(regimes.1); json.raw(":"); json.determination(b)
            json.raw("}}")
            if format == .jsonl { json.raw("\n") }
            sink.write(bytes: json.bytes)
        case .csv:
            func cells(_ d: Determination) -> [String] {
                [d.eccn, d.destinationTier.map(String.init) ?? "", d.licenseRequired ? "true" : "false", d.authorization.rawValue,
                 d.reviewPolicy?.rawValue ?? "", d.debits.map { "\($0.cap.name)=\($0.tpp)" }.joined(separator: "; ")]
            }
            let row = [a.id, a.date.description, a.item, a.destination.description, changed.isEmpty ? "false" : "true"] + cells(a) + cells(b)
            sink.write(row.map(csvField).joined(separator: ",") + "\n")
        case .table:
            func cell(_ d: Determination) -> String {
                var text = d.authorization.rawValue
                if let policy = d.reviewPolicy { text += " " + policy.rawValue }
                for debit in d.debits { text += " [\(debit.cap.name) \(debit.tpp)]" }
                return text
            }
            table.add([a.id, a.date.description, a.item, a.destination.description, cell(a), cell(b),
                       changed.isEmpty ? "-" : changed.joined(separator: ",")])
        }
        sink.endRecord()
    }

    public func finish() {
        switch format {
        case .json: sink.write(first ? "[]\n" : "\n]\n")
        case .table: sink.write(table.render())
        default: break
        }
        sink.flush()
    }
}
