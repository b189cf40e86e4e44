import ComputeMetrics
import DiffusionRules
import TabularIO

/// Reads a fleet file (`holder,country,tpp[,as_of]`): a VEU holder's installed base by country
/// (TPP of chips meeting 3A090.a), for `ledger seed-fleet`. Every row is validated before anything
/// is recorded.
public enum FleetFile {
    public static func read(path: String, registry: CountryRegistry) throws -> [(line: Int, entry: InstalledBaseEntry)] {
        let table = try CSVTable(reader: CSVRecordReader(path: path), required: ["holder", "country", "tpp"], optional: ["as_of"])
        let holder = table.column("holder")!, country = table.column("country")!, tpp = table.column("tpp")!
        let asOf = table.column("as_of")
        var entries: [(Int, InstalledBaseEntry)] = []
        while let record = try table.next() {
            let name = record.string(at: holder).trimmingASCIIWhitespace()
            if name.isEmpty { throw table.error(record, column: holder, message: "is empty; a holder is required") }
            let codeText = record.string(at: country).trimmingASCIIWhitespace()
            guard let code = CountryCode(codeText), code.description == codeText, registry.contains(code) else {
                let hint = registry.suggestion(for: codeText).map { " (did you mean \($0)?)" } ?? ""
                throw table.error(record, column: country, message: "is not an ISO 3166-1 alpha-2 code\(hint)")
            }
            guard let amount = TPP(parsing: Substring(record.string(at: tpp).trimmingASCIIWhitespace())) else {
                throw table.error(record, column: tpp, message: "is not a number")
            }
            if amount.milli < 0 { throw table.error(record, column: tpp, message: "must not be negative") }
            var day: Day?
            if let asOf, !record.isEmpty(at: asOf) {
                guard let parsed = Day(record.string(at: asOf).trimmingASCIIWhitespace()) else {
                    throw table.error(record, column: asOf, message: "is not a date in YYYY-MM-DD form")
                }
                day = parsed
            }
            entries.append((record.line, InstalledBaseEntry(holder: name, country: code, tpp: amount, asOf: day)))
        }
        if entries.isEmpty { throw CSVInputError(file: path, line: 2, message: "has a header but no rows") }
        return entries
    }
}
