import ComputeMetrics
import DiffusionRules

/// One cap's balance (`ledger show`): TPP confirmed, TPP reserved by pending licence applications,
/// and the limit recorded from the rule pack (nil for caps with no absolute limit, as UVEU shares).
///
/// ```swift
/// CapBar(cap: "country_allocation/IN", label: "IN India", used: TPP(whole: 256_351_744),
///        reserved: .zero, limit: TPP(whole: 790_000_000))
/// ```
public struct CapBar: Sendable, Hashable {
    /// Cap name as the ledger stores it (`country_allocation/IN`, `lpp/<parent>/<year>`, ...), or
    /// `<holder>/<CC>` for an installed base.
    public var cap: String
    /// What the chart prints before the bar.
    public var label: String
    public var used: TPP
    public var reserved: TPP
    public var limit: TPP?

    public init(cap: String, label: String, used: TPP, reserved: TPP = .zero, limit: TPP?) {
        self.cap = cap
        self.label = label
        self.used = used
        self.reserved = reserved
        self.limit = limit
    }

    /// What is left: limit - used - reserved; nil without a limit.
    public var remaining: TPP? { limit.map { $0 - used - reserved } }
}

/// A licence limit and the quantities drawn from it: TPP, or units shipped.
public enum LicenceAmount: Sendable, Hashable {
    case tpp(TPP)
    case units(Int64)

    /// `TPP` or `units`.
    public var unit: String {
        switch self {
        case .tpp: return "TPP"
        case .units: return "units"
        }
    }

    /// The amount as a number (TPP or units), for chart geometry only.
    var magnitude: Double {
        switch self {
        case let .tpp(value): return value.value
        case let .units(count): return Double(count)
        }
    }

    /// As the CLI prints it: TPP as a plain decimal (`5284.8`), units as an integer.
    public var text: String {
        switch self {
        case let .tpp(value): return value.description
        case let .units(count): return String(count)
        }
    }
}

/// A licence with its depletion (`GET /v1/licences/{number}`): limit, used by releases, reserved,
/// remaining. All amounts are in the limit's unit.
public struct LicenceBalance: Sendable, Hashable {
    public var number: String
    public var issued: Day
    public var expires: Day
    public var limit: LicenceAmount
    public var used: LicenceAmount
    public var reserved: LicenceAmount
    public var remaining: LicenceAmount
    /// Whether the licence has expired on the page's date.
    public var expired: Bool

    public init(number: String, issued: Day, expires: Day, limit: LicenceAmount, used: LicenceAmount,
                reserved: LicenceAmount, remaining: LicenceAmount, expired: Bool) {
        self.number = number
        self.issued = issued
        self.expires = expires
        self.limit = limit
        self.used = used
        self.reserved = reserved
        self.remaining = remaining
        self.expired = expired
    }
}

/// Cap balances (`GET /caps`), drawn as SVG bar charts with the numbers in a table below each.
///
/// ```swift
/// CapsPage(asOf: "2026-06-01T09:00:00Z", countryAllocations: allocations, lpp: lpp,
///          veuInstalledBases: bases, licences: licences)
/// ```
public struct CapsPage: Sendable {
    /// When the balances were read (ledger time).
    public var asOf: String
    /// `country_allocation/<CC>` caps (Tier 2 country allocations).
    public var countryAllocations: [CapBar]
    /// `lpp/<parent>/<year>` caps (Low Processing Performance, per ultimate parent and year).
    public var lpp: [CapBar]
    /// Installed bases of VEU holders per country, against the `nveu/...` limit where one applies.
    public var veuInstalledBases: [CapBar]
    public var licences: [LicenceBalance]

    public init(asOf: String, countryAllocations: [CapBar], lpp: [CapBar], veuInstalledBases: [CapBar], licences: [LicenceBalance]) {
        self.asOf = asOf
        self.countryAllocations = countryAllocations
        self.lpp = lpp
        self.veuInstalledBases = veuInstalledBases
        self.licences = licences
    }
}
