import DiffusionRules
import PartyMatching

/// One entry of a restricted-party list as loaded (Consolidated Screening List, BIS Denied
/// Persons List, or a user's own list), with its dates: it is in force from `start_date` through
/// `end_date` (either may be open).
public struct ListEntry: Sendable, Hashable {
    /// Stable id: the list's own (`_id`, entity number) or `<file stem>#<row>`.
    public var id: String
    /// List code (`entity_list`, `meu`, `uvl`, `dpl`, `sdn`, `ssi`, ...).
    public var list: String
    /// The list's name as the file gives it (`Entity List (EL) - Bureau of Industry and Security`).
    public var listName: String
    public var name: String
    public var aliases: [String]
    /// ISO alpha-2 codes from the addresses (and nationalities).
    public var countries: [String]
    public var addresses: [String]
    public var identifiers: [String]
    /// Sanctions programmes (`SDGT`, `NPWMD`, ...).
    public var programs: [String]
    public var federalRegisterNotice: String?
    public var licenseRequirement: String?
    public var licensePolicy: String?
    public var startDate: Day?
    public var endDate: Day?
    /// The file the entry was read from, and its data row there (1 = first row after the header).
    public var file: String
    public var row: Int

    public init(id: String, list: String, listName: String, name: String, aliases: [String] = [], countries: [String] = [],
                addresses: [String] = [], identifiers: [String] = [], programs: [String] = [], federalRegisterNotice: String? = nil,
                licenseRequirement: String? = nil, licensePolicy: String? = nil, startDate: Day? = nil, endDate: Day? = nil,
                file: String, row: Int) {
        self.id = id
        self.list = list
        self.listName = listName
        self.name = name
        self.aliases = aliases
        self.countries = countries
        self.addresses = addresses
        self.identifiers = identifiers
        self.programs = programs
        self.federalRegisterNotice = federalRegisterNotice
        self.licenseRequirement = licenseRequirement
        self.licensePolicy = licensePolicy
        self.startDate = startDate
        self.endDate = endDate
        self.file = file
        self.row = row
    }

    /// Whether the entry is in force on `day` (start and end dates inclusive).
    public func isInForce(on day: Day) -> Bool {
        if let startDate, day < startDate { return false }
        if let endDate, day > endDate { return false }
        return true
    }

    /// What the matcher compares: the name and aliases, countries, addresses and identifiers.
    public var matchable: MatchableEntry {
        MatchableEntry(names: [name] + aliases, countries: countries, addresses: addresses, identifiers: identifiers)
    }
}

/// The loaded lists: every entry from every file (several snapshots may be loaded) and one search
/// index over them.
///
/// ```swift
/// let library = PartyLibrary(entries: entries, files: summaries, configuration: configuration)
/// let searcher = PartySearcher(index: library.index)
/// ```
public final class PartyLibrary: Sendable {
    public let entries: [ListEntry]
    public let files: [ListFileSummary]
    public let index: PartyIndex

    public init(entries: [ListEntry], files: [ListFileSummary], configuration: MatchingConfiguration) {
        self.entries = entries
        self.files = files
        self.index = PartyIndex(entries: entries.map(\.matchable), configuration: configuration)
    }
}

/// What `parties lists` shows for a loaded file.
public struct ListFileSummary: Sendable, Hashable {
    public var path: String
    /// `csl-csv`, `csl-json`, `bis-dpl-tsv` or `user-csv`.
    public var format: String
    public var sha256: String
    /// Entries by list code, in code order.
    public var entriesByList: [(list: String, count: Int)]
    public var newestStartDate: Day?

    public init(path: String, format: String, sha256: String, entriesByList: [(list: String, count: Int)], newestStartDate: Day?) {
        self.path = path
        self.format = format
        self.sha256 = sha256
        self.entriesByList = entriesByList
        self.newestStartDate = newestStartDate
    }

    public static func == (lhs: ListFileSummary, rhs: ListFileSummary) -> Bool {
        lhs.path == rhs.path && lhs.sha256 == rhs.sha256
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(sha256)
    }

    public var entryCount: Int { entriesByList.reduce(0) { $0 + $1.count } }
}
