/// Supplement No. 1 to 15 CFR part 740 (Country Groups A:1 … E:2) with its dated changes, so that
/// membership can be asked *on a date*.
///
/// The table is a snapshot (eCFR, between 16 Jan 2025 and 3 Feb 2026); dated changes come from
/// Federal Register documents (`country_group_changes.csv`). A change records both the state before
/// and after its date, so membership on any date is known without knowing the snapshot date:
/// before the first governing change of a (country, group) pair the opposite of that change holds.
///
/// For D:5 the *legal* date governs (the note to D:5 makes the State Department's ITAR § 126.1 list
/// controlling); for other groups the *table* date. Which kind governs is data
/// (`governingKind`), e.g. Cyprus leaves D:5 on 2023-10-01 (legal), not 2024-05-30 (table).
///
/// ```swift
/// groups.isMember(CountryCode("NI")!, of: "D:5", on: Day("2024-03-14")!)   // false
/// groups.isMember(CountryCode("NI")!, of: "D:5", on: Day("2024-03-15")!)   // true
/// ```
public struct CountryGroupTable: Sendable {
    /// One dated change to the table.
    public struct Change: Sendable, Hashable {
        public enum Direction: String, Sendable { case add, remove }
        public var date: Day
        public var country: CountryCode
        public var group: String
        public var direction: Direction
        /// `legal`, `table`, or `table+legal`.
        public var kind: String
        public var source: String

        public init(date: Day, country: CountryCode, group: String, direction: Direction, kind: String, source: String) {
            self.date = date
            self.country = country
            self.group = group
            self.direction = direction
            self.kind = kind
            self.source = source
        }

        func governs(under governingKind: String) -> Bool {
            kind.split(separator: "+").contains { $0 == governingKind }
        }
    }

    /// Group names in table order (`A:1`, …, `E:2`).
    public let groups: [String]
    /// Snapshot membership by group.
    public let snapshot: [String: Set<CountryCode>]
    /// All dated changes, including renames and non-governing ones (for display).
    public let changes: [Change]
    /// Which change kind governs membership, by group; groups not listed use `defaultKind`.
    public let governingKind: [String: String]
    public let defaultKind: String
    /// Citation of the table.
    public let source: String

    private let governing: [PairKey: [Change]]

    private struct PairKey: Hashable {
        var country: CountryCode
        var group: String
    }

    public init(groups: [String], snapshot: [String: Set<CountryCode>], changes: [Change],
                governingKind: [String: String], defaultKind: String = "table", source: String) {
        self.groups = groups
        self.snapshot = snapshot
        self.changes = changes.sorted { ($0.date, $0.country, $0.group) < ($1.date, $1.country, $1.group) }
        self.governingKind = governingKind
        self.defaultKind = defaultKind
        self.source = source
        var governing: [PairKey: [Change]] = [:]
        for change in self.changes where change.governs(under: governingKind[change.group] ?? defaultKind) {
            governing[PairKey(country: change.country, group: change.group), default: []].append(change)
        }
        self.governing = governing
    }

    /// A table with no groups (for classification-only rule books).
    public static let empty = CountryGroupTable(groups: [], snapshot: [:], changes: [], governingKind: [:], source: "")

    /// Whether `country` is in `group` on `day`.
    public func isMember(_ country: CountryCode, of group: String, on day: Day) -> Bool {
        if let pairChanges = governing[PairKey(country: country, group: group)] {
            var state = pairChanges[0].direction == .remove // before the first change: the opposite
            for change in pairChanges where change.date <= day {
                state = change.direction == .add
            }
            return state
        }
        return snapshot[group]?.contains(country) ?? false
    }

    /// Days on which some governing membership changes (sorted, unique).
    public var membershipChangeDays: [Day] {
        Array(Set(governing.values.flatMap { $0.map(\.date) })).sorted()
    }
}
