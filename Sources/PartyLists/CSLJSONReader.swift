import DiffusionRules
import PartyScreening
import TabularIO

/// The Consolidated Screening List in its JSON form (trade.gov API and download): an object whose
/// `results` is an array of entries, or the array itself. Fields as in the CSV export; multi-valued
/// fields are arrays (`alt_names`, `programs`, `nationalities`), `addresses` objects with `address`,
/// `city`, `state`, `postal_code`, `country`, `ids` objects with `type`, `number`.
///
/// A bad value is named by file, line, key path and value:
/// `csl.json:42: column "results[3].start_date": "2019-02-30" is not a date in YYYY-MM-DD form`.
enum CSLJSONReader {
    static func read(_ bytes: [UInt8], file: String, catalog: ListCatalog, registry: CountryRegistry) throws(CSVInputError) -> [ListEntry] {
        let document = try PositionedJSON.parse(bytes, file: file)
        let results: [PositionedJSON]
        let base: String
        switch document {
        case let .array(items, _, _):
            results = items
            base = ""
        case .object:
            guard case let .array(items, _, _)? = document["results"] else {
                throw CSVInputError(file: file, line: document.line, column: "results",
                                    message: "is missing: a CSL JSON file is an object with a \"results\" array, or that array")
            }
            results = items
            base = "results"
        default:
            throw CSVInputError(file: file, line: document.line, message: "is not a CSL JSON file (expected an object or an array)")
        }
        let stem = ListFields.stem(file)
        var entries: [ListEntry] = []
        for (i, item) in results.enumerated() {
            let path = "\(base)[\(i)]"
            guard case .object = item else {
                throw CSVInputError(file: file, line: item.line, column: path, message: "is not an object")
            }
            func fail(_ key: String, _ message: String) -> CSVInputError {
                let value = item[key]
                return CSVInputError(file: file, line: value?.line ?? item.line, column: "\(path).\(key)", value: value?.text, message: message)
            }
            func text(_ key: String) throws(CSVInputError) -> String {
                guard let value = item[key] else { return "" }
                if case .null = value { return "" }
                guard let s = value.text else { throw fail(key, "must be a string") }
                return s.trimmingASCIIWhitespace()
            }
            func list(_ key: String) throws(CSVInputError) -> [String] {
                guard let value = item[key] else { return [] }
                switch value {
                case .null: return []
                case let .string(s, _, _): return ListFields.split(s)
                case let .array(values, _, _):
                    var out: [String] = []
                    for v in values {
                        if case let .object(pairs, _, _) = v {
                            // addresses: join the parts; ids: "type, number, country"
                            out.append(pairs.compactMap { $0.value.text }.filter { !$0.isEmpty }.joined(separator: ", "))
                        } else if let s = v.text {
                            out.append(s)
                        } else {
                            throw fail(key, "must hold strings or objects")
                        }
                    }
                    return out
                default: throw fail(key, "must be a string or an array")
                }
            }
            func day(_ key: String) throws(CSVInputError) -> Day? {
                switch ListFields.isoDay(try text(key)) {
                case let .success(d): return d
                case let .failure(problem): throw fail(key, problem.message)
                }
            }
            let name = try text("name")
            if name.isEmpty { throw fail("name", "is missing or empty; every entry needs a name") }
            let source = try text("source")
            let code = catalog.code(forCSLSource: source) ?? "other"
            let addresses = try list("addresses")
            var ids: [String] = []
            if case let .array(values, _, _)? = item["ids"] {
                for v in values {
                    if let number = v["number"]?.text, let type = v["type"]?.text,
                       catalog.identifierTypes.contains(where: { type.lowercased().hasPrefix($0.lowercased()) }) { ids.append(number) }
                }
            } else {
                ids = ListFields.identifiers(try text("ids"), catalog: catalog)
            }
            let ownID = [try text("_id"), try text("id"), try text("entity_number")].first { !$0.isEmpty }
            entries.append(ListEntry(
                id: ownID ?? "\(stem)#\(i + 1)", list: code, listName: source.isEmpty ? catalog.name(of: code) : source, name: name,
                aliases: try list("alt_names"),
                countries: ListFields.countries(addresses: addresses, others: try list("nationalities") + list("citizenships"), registry: registry),
                addresses: addresses, identifiers: ids, programs: try list("programs"),
                federalRegisterNotice: try text("federal_register_notice").nilIfEmpty,
                licenseRequirement: try text("license_requirement").nilIfEmpty, licensePolicy: try text("license_policy").nilIfEmpty,
                startDate: try day("start_date"), endDate: try day("end_date"), file: file, row: i + 1))
        }
        return entries
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
