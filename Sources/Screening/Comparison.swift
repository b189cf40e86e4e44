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

    /// The same comparison on compact decisions (each with its run's tables).
    func differs(_ a: Decision, _ ta: ScreeningTables, _ b: Decision, _ tb: ScreeningTables) -> Bool {
        switch self {
        case .eccn: return ta.eccn(a) != tb.eccn(b)
        case .destinationTier: return ta.destinationTier(a) != tb.destinationTier(b)
        case .consigneeHQTier: return ta.consigneeHQTier(a) != tb.consigneeHQTier(b)
        case .licenseRequired: return a.licenseRequired != b.licenseRequired
        case .authorization: return a.authorization != b.authorization
        case .reviewPolicy: return a.reviewPolicy != b.reviewPolicy
        case .debits:
            switch (a.debit, b.debit) {
            case (nil, nil): return false
            case let (x?, y?): return x != y && (x.tpp != y.tpp || ta.capKey(x) != tb.capKey(y))
            default: return true
            }
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
        /// Rows by authorization (``Authorization/allCases`` order).
        var authorizations = [Int](repeating: 0, count: Authorization.allCases.count)
        /// TPP debited from caps, by destination country.
        public var debitedByCountry: [CountryCode: TPP] = [:]

        /// Rows by authorization name (authorizations with no row are absent).
        public var byAuthorization: [String: Int] {
            var out: [String: Int] = [:]
            for (i, authorization) in Authorization.allCases.enumerated() where authorizations[i] > 0 {
                out[authorization.rawValue] = authorizations[i]
            }
            return out
        }

        mutating func add(_ d: Decision, destination: CountryCode) {
            rows += 1
            if d.licenseRequired { licenceRequired += 1 }
            if d.isDenial { denied += 1 }
            authorizations[Authorization.allCases.firstIndex(of: d.authorization)!] += 1
            if let debit = d.debit { debitedByCountry[destination, default: .zero] = debitedByCountry[destination, default: .zero] + debit.tpp }
        }
    }

    public var regimes: [PerRegime]
    public var changedRows = 0
    public var changedByField: [String: Int] = [:]

    public init(regimes: [String]) {
        self.regimes = regimes.map { PerRegime(regime: $0) }
    }

    /// Adds a batch decided under the (only) regime.
    public mutating func add(_ batch: ScreenedBatch) {
        for (t, d) in zip(batch.transactions, batch.decisions) { regimes[0].add(d, destination: t.destination) }
    }

    /// Adds the same rows decided under the first and the second regime.
    public mutating func add(_ a: ScreenedBatch, _ b: ScreenedBatch) {
        for i in a.transactions.indices {
            let destination = a.transactions[i].destination
            regimes[0].add(a.decisions[i], destination: destination)
            regimes[1].add(b.decisions[i], destination: destination)
            let changed = ComparedField.allCases.filter { $0.differs(a.decisions[i], a.tables, b.decisions[i], b.tables) }
            if !changed.isEmpty { changedRows += 1 }
            for field in changed { changedByField[field.rawValue, default: 0] += 1 }
        }
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
        let json = JSONText()
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
        return json.text
    }
}

/// Formats batches of `--compare A,B` rows: both determinations and which fields differ. One per
/// thread (scratch and caches for both regimes).
final class ComparisonFormatter {
    enum Output {
        case bytes(OutputBuffer)
        case rows([[String]])
    }

    let format: OutputFormat
    let regimes: (String, String)
    private let buffers: BufferPool
    private var text = DeterminationText()
    private var constants = (JSONConstants(), JSONConstants())

    init(format: OutputFormat, regimes: (String, String), buffers: BufferPool) {
        self.format = format
        self.regimes = regimes
        self.buffers = buffers
    }

    func output(_ a: ScreenedBatch, _ b: ScreenedBatch, opensOutput: Bool) -> Output {
        var json = JSONText(buffer: buffers.take())
        var rows: [[String]] = []
        for i in a.transactions.indices {
            let t = a.transactions[i]
            let changed = ComparedField.allCases.filter { $0.differs(a.decisions[i], a.tables, b.decisions[i], b.tables) }.map(\.rawValue)
            switch format {
            case .jsonl, .json:
                if format == .json { json.raw(opensOutput && i == 0 ? "[\n" : ",\n") }
                json.raw("{\"id\":"); json.string(t.id)
                json.raw(",\"date\":"); json.day(t.date)
                json.raw(",\"item\":"); json.string(a.tables.item(t))
                json.raw(",\"destination\":"); json.string(t.destination.description)
                json.raw(",\"differs\":"); json.bool(!changed.isEmpty)
                json.raw(",\"changed\":"); json.strings(changed)
                json.raw(",\"determinations\":{"); json.string(regimes.0); json.raw(":")
                json.determination(t, a.decisions[i], tables: a.tables, text: &text, constants: &constants.0,
                                   annotations: a.annotations[i])
                json.raw(","); json.string(regimes.1); json.raw(":")
                json.determination(t, b.decisions[i], tables: b.tables, text: &text, constants: &constants.1,
                                   annotations: b.annotations[i])
                json.raw("}}")
                if format == .jsonl { json.raw("\n") }
            case .csv:
                let da = a.determination(i), db = b.determination(i)
                func cells(_ d: Determination) -> [String] {
                    [d.eccn, d.destinationTier.map(String.init) ?? "", d.licenseRequired ? "true" : "false", d.authorization.rawValue,
                     d.reviewPolicy?.rawValue ?? "", d.debits.map { "\($0.cap.name)=\($0.tpp)" }.joined(separator: "; ")]
                }
                let row = [da.id, da.date.description, da.item, da.destination.description, changed.isEmpty ? "false" : "true"] + cells(da) + cells(db)
                json.raw(row.map(csvField).joined(separator: ",") + "\n")
            case .table:
                let da = a.determination(i), db = b.determination(i)
                func cell(_ d: Determination) -> String {
                    var text = d.authorization.rawValue
                    if let policy = d.reviewPolicy { text += " " + policy.rawValue }
                    for debit in d.debits { text += " [\(debit.cap.name) \(debit.tpp)]" }
                    return text
                }
                rows.append([da.id, da.date.description, da.item, da.destination.description, cell(da), cell(db),
                             changed.isEmpty ? "-" : changed.joined(separator: ",")])
            }
        }
        return format == .table ? .rows(rows) : .bytes(json.out)
    }
}

/// Writes formatted `--compare A,B` batches in order: the CSV header first, the JSON array's brackets,
/// the table at the end.
final class ComparisonWriter {
    let format: OutputFormat
    let sink: ByteSink
    var first = true
    var table: TextTable

    init(format: OutputFormat, sink: ByteSink, regimes: (String, String)) {
        self.format = format
        self.sink = sink
        self.table = TextTable(header: ["ID", "DATE", "ITEM", "DEST", regimes.0.uppercased(), regimes.1.uppercased(), "CHANGED"])
        if format == .csv {
            let per = ["eccn", "destination_tier", "license_required", "authorization", "review_policy", "debits"]
            sink.write((["id", "date", "item", "destination", "differs"] + per.map { "\(regimes.0).\($0)" } + per.map { "\(regimes.1).\($0)" }).joined(separator: ",") + "\n")
        }
    }

    func write(_ output: ComparisonFormatter.Output) {
        first = false
        switch output {
        case let .bytes(buffer): sink.write(buffer.buffer)
        case let .rows(rows): rows.forEach { table.add($0) }
        }
    }

    func finish() {
        switch format {
        case .json: sink.write(first ? "[]\n" : "\n]\n")
        case .table: sink.write(table.render())
        default: break
        }
        sink.flush()
    }
}
