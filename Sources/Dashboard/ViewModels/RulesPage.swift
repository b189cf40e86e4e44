import DiffusionRules

/// The rules page (`GET /rules?as_of=&a=&b=`): tiers on a date, the layers, and a diff of two
/// regimes (each side a regime id or `REGIME@DATE`, as `rules diff` takes them).
///
/// ```swift
/// let view = try book.compile(regime: "ai-diffusion-2025").view(on: day)
/// RulesPage(asOf: day, regimes: book.regimes.keys.sorted(), tiers: TierTable(view: view, registry: book.registry),
///           layers: book.layersByDate, diffA: "enforced", diffB: "ai-diffusion-2025", diff: RegimeDiff(a, b))
/// ```
public struct RulesPage: Sendable {
    public var asOf: Day
    /// Regime ids offered in the diff fields.
    public var regimes: [String]
    /// Nil when the regime has no tiers on `asOf`.
    public var tiers: TierTable?
    /// Every rule layer, by effective date (`RuleBook.layersByDate`).
    public var layers: [RuleLayer]
    /// The diff sides as typed.
    public var diffA: String
    public var diffB: String
    /// Nil when no diff was asked for.
    public var diff: RegimeDiff?
    /// Why a side could not be compiled (unknown regime, bad date), shown above the diff form.
    public var diffError: String?

    public init(asOf: Day, regimes: [String], tiers: TierTable?, layers: [RuleLayer], diffA: String = "", diffB: String = "",
                diff: RegimeDiff? = nil, diffError: String? = nil) {
        self.asOf = asOf
        self.regimes = regimes
        self.tiers = tiers
        self.layers = layers
        self.diffA = diffA
        self.diffB = diffB
        self.diff = diff
        self.diffError = diffError
    }
}

/// Every country with its tier on a date (`rules tiers`).
public struct TierTable: Sendable {
    public struct Row: Sendable, Hashable {
        public var code: CountryCode
        public var name: String
        public var tier: Int
        /// Country Groups shown with the tier (`D:5`, `E:1`, ...).
        public var groups: [String]

        public init(code: CountryCode, name: String, tier: Int, groups: [String]) {
            self.code = code
            self.name = name
            self.tier = tier
            self.groups = groups
        }
    }

    public var regime: String
    public var rows: [Row]

    public init(regime: String, rows: [Row]) {
        self.regime = regime
        self.rows = rows
    }

    /// The Country Groups `rules tiers` prints next to each country.
    public static let shownGroups = ["A:5", "A:6", "D:1", "D:4", "D:5", "E:1", "E:2"]

    /// The tiers of a regime view, in registry order; nil when it has none.
    public init?(view: RegimeView, registry: CountryRegistry) {
        guard let tiers = view.tiers else { return nil }
        self.regime = view.regime
        self.rows = registry.countries.compactMap { country in
            tiers[country.code].map { tier in
                Row(code: country.code, name: country.name, tier: tier,
                    groups: TierTable.shownGroups.filter { view.groups[$0]?.contains(country.code) ?? false })
            }
        }
    }
}
