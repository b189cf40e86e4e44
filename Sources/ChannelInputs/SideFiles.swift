import CloudMonitoring
import ComputeMetrics
import DiffusionRules
import TabularIO

/// Reads the customer-identification CSV kept beside a usage file: one record per account.
///
/// Columns: `account, customer_name, country, beneficial_owner, verification_status` (`verified`,
/// `pending`, `unverified`, `failed`), optional `verified_on` (YYYY-MM-DD). The whole file is
/// validated before anything is used; the first bad cell throws ``CSVInputError``.
public enum CustomerReader {
    public static let requiredColumns = ["account", "customer_name", "country", "beneficial_owner", "verification_status"]
    public static let optionalColumns = ["verified_on"]

    public static func read(path: String, registry: CountryRegistry) throws(CSVInputError) -> [CustomerRecord] {
        try read(reader: CSVRecordReader(path: path), registry: registry)
    }

    public static func read(reader: CSVRecordReader, registry: CountryRegistry) throws(CSVInputError) -> [CustomerRecord] {
        let table = try CSVTable(reader: reader, required: requiredColumns, optional: optionalColumns)
        var out: [CustomerRecord] = []
        var firstLine: [String: Int] = [:]
        let account = table.column("account")!, name = table.column("customer_name")!
        let country = table.column("country")!, owner = table.column("beneficial_owner")!
        let status = table.column("verification_status")!
        while let record = try table.next() {
            let accountText = try nonEmpty(table, record, account)
            if let first = firstLine.updateValue(record.line, forKey: accountText) {
                throw table.error(record, column: account, message: "has a second customer record (first on line \(first))")
            }
            let code = try countryCode(table, record, country, registry: registry)
            let statusText = record.string(at: status).trimmingASCIIWhitespace().lowercased()
            guard let verification = VerificationStatus(rawValue: statusText) else {
                throw table.error(record, column: status, message: "must be one of \(VerificationStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var verifiedOn: Day?
            if let column = table.column("verified_on"), !record.isEmpty(at: column) {
                guard let day = Day(record.string(at: column).trimmingASCIIWhitespace()) else {
                    throw table.error(record, column: column, message: "is not a date in YYYY-MM-DD form")
                }
                verifiedOn = day
            }
            out.append(CustomerRecord(account: accountText, name: try nonEmpty(table, record, name), country: code,
                                      beneficialOwner: try nonEmpty(table, record, owner), status: verification,
                                      verifiedOn: verifiedOn, line: record.line))
        }
        return out
    }
}

/// Reads the clusters CSV: `cluster, chip, chip_count, network_gbps`; the theoretical peak is
/// chip_count × TPP × 10^12 / `peakBits` operations/s.
public enum ClusterReader {
    public static let requiredColumns = ["cluster", "chip", "chip_count", "network_gbps"]

    public static func read(path: String, catalog: ChipCatalog, peakBits: Int) throws(CSVInputError) -> [ClusterSpec] {
        try read(reader: CSVRecordReader(path: path), catalog: catalog, peakBits: peakBits)
    }

    public static func read(reader: CSVRecordReader, catalog: ChipCatalog, peakBits: Int) throws(CSVInputError) -> [ClusterSpec] {
        let table = try CSVTable(reader: reader, required: requiredColumns)
        let name = table.column("cluster")!, chip = table.column("chip")!
        let count = table.column("chip_count")!, network = table.column("network_gbps")!
        var out: [ClusterSpec] = []
        var firstLine: [String: Int] = [:]
        while let record = try table.next() {
            let clusterName = try nonEmpty(table, record, name)
            if let first = firstLine.updateValue(record.line, forKey: clusterName) {
                throw table.error(record, column: name, message: "is listed twice (first on line \(first))")
            }
            let chipName = try nonEmpty(table, record, chip)
            guard let index = catalog.index(of: chipName) else {
                let hint = catalog.suggestions(for: chipName).map { "\"\($0)\"" }.joined(separator: ", ")
                throw table.error(record, column: chip, message: "is not in the chip catalog\(hint.isEmpty ? "" : " (did you mean \(hint)?)")")
            }
            guard let tpp = catalog.chips[index].tpp else { throw table.error(record, column: chip, message: "has no TPP in the catalog") }
            guard let chips = Int(record.string(at: count).trimmingASCIIWhitespace()), chips >= 1 else {
                throw table.error(record, column: count, message: "must be a positive whole number of chips")
            }
            guard let gbps = Double(record.string(at: network).trimmingASCIIWhitespace()), gbps >= 0, gbps.isFinite else {
                throw table.error(record, column: network, message: "must be a non-negative number of Gbit/s")
            }
            out.append(ClusterSpec(name: clusterName, chip: catalog.chips[index].name, chipCount: chips, networkGbps: gbps,
                                   peakOperationsPerSecond: Double(chips) * tpp.value * 1e12 / Double(peakBits), line: record.line))
        }
        return out
    }
}

func nonEmpty(_ table: CSVTable, _ record: CSVRecord, _ column: Int) throws(CSVInputError) -> String {
    let text = record.string(at: column).trimmingASCIIWhitespace()
    if text.isEmpty { throw table.error(record, column: column, message: "is empty; a value is required") }
    return text
}

func countryCode(_ table: CSVTable, _ record: CSVRecord, _ column: Int, registry: CountryRegistry) throws(CSVInputError) -> CountryCode {
    let text = record.string(at: column).trimmingASCIIWhitespace()
    if let code = CountryCode(text), text == code.description, registry.contains(code) { return code }
    let hint = registry.suggestion(for: text).map { " (did you mean \($0)?)" } ?? ""
    throw table.error(record, column: column, message: "is not an ISO 3166-1 alpha-2 code\(hint)")
}
