import DiffusionRules
import StrictYAML
import TabularIO

/// Loads the country registry (ISO 3166-1 plus `overrides.yaml`) and the Country Group table.
public enum CountryDataLoader {
    struct Overrides: Codable {
        struct Addition: Codable {
            var code: CountryCode
            var name: String
            var source: String
        }
        var additionalCountries: [Addition]
        var mistakes: [String: CountryCode]
        var treatedAs: [String: RuleBook.TreatedAs]

        enum CodingKeys: String, CodingKey {
            case additionalCountries = "additional_countries"
            case mistakes
            case treatedAs = "treated_as"
        }
    }

    struct GroupsMetadata: Codable {
        var source: String
        var governingKind: [String: String]
        var defaultKind: String

        enum CodingKeys: String, CodingKey {
            case source
            case governingKind = "governing_kind"
            case defaultKind = "default_kind"
        }
    }

    /// Registry and "treated as" map from the bundled files.
    public static func registry(strict: Bool = false) throws -> (CountryRegistry, [CountryCode: RuleBook.TreatedAs]) {
        let table = try CSVTable(reader: CSVRecordReader(path: BundledFiles.path("countries/country-codes.csv"),
                                                         displayName: "countries/country-codes.csv"),
                                 required: ["ISO3166-1-Alpha-2", "ISO3166-1-Alpha-3", "CLDR display name"],
                                 allowOtherColumns: true)
        let alpha2 = table.column("ISO3166-1-Alpha-2")!, alpha3 = table.column("ISO3166-1-Alpha-3")!
        let name = table.column("CLDR display name")!
        var countries: [CountryRegistry.Country] = []
        while let record = try table.next() {
            guard let code = CountryCode(record.string(at: alpha2)) else { continue }
            countries.append(.init(code: code, name: record.string(at: name), alpha3: record.string(at: alpha3)))
        }
        let overrides = try StrictYAML.decode(Overrides.self, fromFile: BundledFiles.path("countries/overrides.yaml"),
                                              displayName: "countries/overrides.yaml", bundled: !strict)
        for addition in overrides.additionalCountries where !countries.contains(where: { $0.code == addition.code }) {
            countries.append(.init(code: addition.code, name: addition.name, alpha3: nil))
        }
        let registry = CountryRegistry(countries: countries, mistakes: overrides.mistakes)
        var treated: [CountryCode: RuleBook.TreatedAs] = [:]
        for (code, value) in overrides.treatedAs {
            guard let country = CountryCode(code) else { throw RuleDataError("countries/overrides.yaml: bad code \(code)") }
            treated[country] = value
        }
        return (registry, treated)
    }

    /// Supplement No. 1 to part 740 with its dated changes.
    public static func groups(strict: Bool = false) throws -> CountryGroupTable {
        let metadata = try StrictYAML.decode(GroupsMetadata.self, fromFile: BundledFiles.path("ear/groups.yaml"),
                                             displayName: "ear/groups.yaml", bundled: !strict)
        let groupNames = ["A:1", "A:2", "A:3", "A:4", "A:5", "A:6", "B", "D:1", "D:2", "D:3", "D:4", "D:5", "E:1", "E:2"]
        let table = try CSVTable(reader: CSVRecordReader(path: BundledFiles.path("ear/country_groups.csv"),
                                                         displayName: "ear/country_groups.csv"),
                                 required: ["ear_name", "iso2"] + groupNames)
        var snapshot: [String: Set<CountryCode>] = [:]
        let iso = table.column("iso2")!
        while let record = try table.next() {
            guard let code = CountryCode(record.string(at: iso)) else {
                throw table.error(record, column: iso, message: "is not a two-letter code")
            }
            for group in groupNames where record.string(at: table.column(group)!) == "X" {
                snapshot[group, default: []].insert(code)
            }
        }
        let changes = try CSVTable(reader: CSVRecordReader(path: BundledFiles.path("ear/country_group_changes.csv"),
                                                           displayName: "ear/country_group_changes.csv"),
                                   required: ["date", "iso2", "group", "change", "kind", "source"])
        var list: [CountryGroupTable.Change] = []
        while let record = try changes.next() {
            let change = record.string(at: changes.column("change")!)
            guard let direction = CountryGroupTable.Change.Direction(rawValue: change) else { continue } // renames
            guard let day = Day(record.string(at: changes.column("date")!)) else {
                throw changes.error(record, column: changes.column("date")!, message: "is not a YYYY-MM-DD date")
            }
            guard let code = CountryCode(record.string(at: changes.column("iso2")!)) else {
                throw changes.error(record, column: changes.column("iso2")!, message: "is not a two-letter code")
            }
            list.append(.init(date: day, country: code, group: record.string(at: changes.column("group")!),
                              direction: direction, kind: record.string(at: changes.column("kind")!),
                              source: record.string(at: changes.column("source")!)))
        }
        return CountryGroupTable(groups: groupNames, snapshot: snapshot, changes: list,
                                 governingKind: metadata.governingKind, defaultKind: metadata.defaultKind,
                                 source: metadata.source)
    }
}
