import ComputeMetrics

/// Which cap a debit draws on. Names follow screening.md: `lpp/<ultimate_parent>/<year>`,
/// `country_allocation/<CC>`, `uveu/<holder>/<CC>`, `nveu/<holder>/<CC>`.
public enum CapKey: Hashable, Sendable {
    case lpp(parent: String, year: Int)
    case countryAllocation(CountryCode)
    case uveu(holder: String, country: CountryCode)
    case nveu(holder: String, country: CountryCode)

    public var name: String {
        switch self {
        case let .lpp(parent, year): return "lpp/\(parent)/\(year)"
        case let .countryAllocation(country): return "country_allocation/\(country)"
        case let .uveu(holder, country): return "uveu/\(holder)/\(country)"
        case let .nveu(holder, country): return "nveu/\(holder)/\(country)"
        }
    }

    /// `lpp`, `country_allocation`, `uveu` or `nveu`.
    public var kind: String {
        switch self {
        case .lpp: return "lpp"
        case .countryAllocation: return "country_allocation"
        case .uveu: return "uveu"
        case .nveu: return "nveu"
        }
    }

    /// The party the cap is counted for, if any.
    public var party: String? {
        switch self {
        case let .lpp(parent, _): return parent
        case let .uveu(holder, _), let .nveu(holder, _): return holder
        case .countryAllocation: return nil
        }
    }

    public var country: CountryCode? {
        switch self {
        case .lpp: return nil
        case let .countryAllocation(country), let .uveu(_, country), let .nveu(_, country): return country
        }
    }

    public var year: Int? {
        if case let .lpp(_, year) = self { return year }
        return nil
    }
}

/// An amount drawn from a cap by one determination.
public struct Debit: Hashable, Sendable {
    public var cap: CapKey
    public var tpp: TPP

    public init(cap: CapKey, tpp: TPP) {
        self.cap = cap
        self.tpp = tpp
    }
}

/// The result of screening one transaction under one regime (screening.md §6).
///
/// Field order and names in every output format follow this declaration order:
/// `id, date, regime, layers, item, eccn, tpp_per_unit, tpp_total, h100_equivalents, destination,
/// destination_tier, consignee_hq_tier, license_required, authorization, review_policy, debits,
/// reasons, warnings`, then `party_hits` only when restricted-party lists were loaded.
public struct Determination: Sendable {
    public var id: String
    public var date: Day
    public var regime: String
    /// Ids of the rule layers applied on `date`.
    public var layers: [String]
    public var item: String
    public var eccn: String
    /// TPP of one unit; nil when the item's TPP is unknown.
    public var tppPerUnit: TPP?
    public var tppTotal: TPP?
    public var h100Equivalents: Double?
    public var destination: CountryCode
    /// 1, 2 or 3; nil when the regime has no tiers on `date`.
    public var destinationTier: Int?
    public var consigneeHQTier: Int?
    public var licenseRequired: Bool
    public var authorization: Authorization
    public var reviewPolicy: ReviewPolicy?
    public var debits: [Debit]
    public var reasons: [Reason]
    public var warnings: [String]
    /// Restricted-party findings: nil when no list was loaded (parties not screened; the field is
    /// not printed), empty when screened without a finding.
    public var partyHits: [PartyHit]?

    public init(id: String, date: Day, regime: String, layers: [String], item: String, eccn: String,
                tppPerUnit: TPP?, tppTotal: TPP?, h100Equivalents: Double?, destination: CountryCode,
                destinationTier: Int?, consigneeHQTier: Int?, licenseRequired: Bool, authorization: Authorization,
                reviewPolicy: ReviewPolicy?, debits: [Debit], reasons: [Reason], warnings: [String],
                partyHits: [PartyHit]? = nil) {
        self.id = id
        self.date = date
        self.regime = regime
        self.layers = layers
        self.item = item
        self.eccn = eccn
        self.tppPerUnit = tppPerUnit
        self.tppTotal = tppTotal
        self.h100Equivalents = h100Equivalents
        self.destination = destination
        self.destinationTier = destinationTier
        self.consigneeHQTier = consigneeHQTier
        self.licenseRequired = licenseRequired
        self.authorization = authorization
        self.reviewPolicy = reviewPolicy
        self.debits = debits
        self.reasons = reasons
        self.warnings = warnings
        self.partyHits = partyHits
    }

    /// Whether the outcome refuses the export (presumption or policy of denial).
    /// (Party screening may make an outcome stricter after the chip rules: see `PartyScreening`.)
    public var isDenial: Bool { reviewPolicy?.isDenial ?? false }
}
