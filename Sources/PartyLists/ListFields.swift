import DiffusionRules
import Foundation
import PartyScreening

/// How the fields of list files are read, shared by the CSV, JSON and TSV readers.
enum ListFields {
    /// `a; b; and c` -> `[a, b, c]` (CSL joins multi-valued cells with `; `; Entity List entries
    /// sometimes write `; and` before the last).
    static func split(_ text: String) -> [String] {
        text.components(separatedBy: ";").compactMap { part -> String? in
            var item = part.trimmingCharacters(in: .whitespacesAndNewlines)
            if item.lowercased().hasPrefix("and ") { item = String(item.dropFirst(4)).trimmingCharacters(in: .whitespaces) }
            return item.isEmpty ? nil : item
        }
    }

    /// The ISO alpha-2 code that ends an address (`..., Shijiazhuang, Hebei Province, CN`), if the
    /// registry knows it.
    static func country(ofAddress address: String, registry: CountryRegistry) -> String? {
        guard let last = address.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
              let code = CountryCode(last), code.description == last, registry.contains(code) else { return nil }
        return last
    }

    /// Countries of an entry: from its addresses, then nationalities and citizenships (codes only).
    static func countries(addresses: [String], others: [String], registry: CountryRegistry) -> [String] {
        var out: [String] = []
        for address in addresses {
            if let code = country(ofAddress: address, registry: registry), !out.contains(code) { out.append(code) }
        }
        for other in others {
            if let code = CountryCode(other), code.description == other, registry.contains(code), !out.contains(other) { out.append(other) }
        }
        return out
    }

    /// Identifiers of a CSL `ids` cell (`Passport, 836238033, KP; Gender, Male; ...`): the number of
    /// each entry whose type starts with an identifier type of the catalog.
    static func identifiers(_ text: String, catalog: ListCatalog) -> [String] {
        split(text).compactMap { item -> String? in
            let parts = item.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count >= 2, !parts[1].isEmpty,
                  catalog.identifierTypes.contains(where: { parts[0].lowercased().hasPrefix($0.lowercased()) }) else { return nil }
            return parts[1]
        }
    }

    /// `YYYY-MM-DD`, or nil when empty; throws the message for a bad date.
    static func isoDay(_ text: String) -> Result<Day?, FieldProblem> {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return .success(nil) }
        guard let day = Day(t) else { return .failure(FieldProblem(message: "is not a date in YYYY-MM-DD form")) }
        return .success(day)
    }

    /// `MM/DD/YYYY` (the BIS Denied Persons List file), or nil when empty.
    static func usDay(_ text: String) -> Result<Day?, FieldProblem> {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return .success(nil) }
        let parts = t.split(separator: "/")
        guard parts.count == 3, parts[0].count == 2, parts[1].count == 2, parts[2].count == 4,
              let day = Day("\(parts[2])-\(parts[0])-\(parts[1])") else {
            return .failure(FieldProblem(message: "is not a date in MM/DD/YYYY form"))
        }
        return .success(day)
    }

    /// `deals.csv` -> `deals` (entry ids are `<stem>#<row>` when the list has none).
    static func stem(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        let dot = name.lastIndex(of: ".") ?? name.endIndex
        return String(name[..<dot])
    }
}

/// What is wrong with a field (turned into a ``CSVInputError`` by the reader that knows the line).
struct FieldProblem: Error {
    var message: String
}
