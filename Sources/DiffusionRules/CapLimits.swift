import ComputeMetrics

/// What the allocation ledger enforces for one cap, resolved from the rule pack in force on a day.
///
/// The ledger records this with the cap when it first debits it and refuses (in the store, inside
/// the committing transaction) any movement that would break it:
///
/// | cap | limit | source |
/// |---|---|---|
/// | `lpp/<parent>/<year>` | 26,900,000 TPP per ultimate parent per calendar year | 15 CFR 740.29(a) |
/// | `country_allocation/<CC>` | 790,000,000 TPP for 2025-2027, x2 for a Supplement No. 5(b) destination | 15 CFR 742.6(b)(10)(iii)(B)-(C) |
/// | `nveu/<holder>/<CC>` | the quarter's permitted installed base (low-confidence schedule in the pack) | 15 CFR 748.15(a)(2)(iii)(B) |
/// | `uveu/<holder>/<CC>` | no absolute limit: shares of the holder's installed base (25% / 7% / 50%) | Supp. No. 10 to part 748 ¶6 |
public struct CapLimit: Sendable, Hashable {
    /// Absolute limit in TPP (thousandths in storage); nil when the cap is a share limit (UVEU).
    public var limit: TPP?
    /// NVEU: the limit applies to the holder's whole installed base in the country, not only to
    /// the NVEU debits.
    public var appliesToInstalledBase: Bool
    /// UVEU share limits in thousandths (250 = 25%), with the Tier 1 countries on the day.
    public var uveu: UVEUShares?
    /// The citation of the cap definition.
    public var citation: String

    public init(limit: TPP?, appliesToInstalledBase: Bool = false, uveu: UVEUShares? = nil, citation: String) {
        self.limit = limit
        self.appliesToInstalledBase = appliesToInstalledBase
        self.uveu = uveu
        self.citation = citation
    }
}

/// UVEU geographic limits of Supplement No. 10 to part 748 ¶6, in thousandths of the holder's
/// installed base (integers, so the store compares exactly).
public struct UVEUShares: Sendable, Hashable {
    /// Largest share outside Tier 1 (250 = 25%).
    public var maxOutsideTier1Permille: Int64?
    /// Largest share in any single non-Tier-1 country (70 = 7%).
    public var maxSingleCountryPermille: Int64?
    /// Tier 1 (Supplement No. 5(a) plus the US) on the day.
    public var tier1: Set<CountryCode>

    public init(maxOutsideTier1Permille: Int64?, maxSingleCountryPermille: Int64?, tier1: Set<CountryCode>) {
        self.maxOutsideTier1Permille = maxOutsideTier1Permille
        self.maxSingleCountryPermille = maxSingleCountryPermille
        self.tier1 = tier1
    }

    /// The first limit that `bases` (TPP thousandths by country) breaks, as text; nil when all hold.
    public func violation(of bases: [CountryCode: Int64], at destination: CountryCode) -> String? {
        let total = bases.values.reduce(0, +)
        guard total > 0 else { return nil }
        if let limit = maxOutsideTier1Permille {
            let outside = bases.filter { !tier1.contains($0.key) }.values.reduce(0, +)
            if outside * 1000 > limit * total { return "installed base outside Tier 1 would exceed \(limit / 10)%" }
        }
        if let limit = maxSingleCountryPermille, !tier1.contains(destination) {
            let inCountry = bases[destination] ?? 0
            if inCountry * 1000 > limit * total { return "installed base in \(destination) would exceed \(Double(limit) / 10)%" }
        }
        return nil
    }
}

extension CompiledRegime {
    /// The limit the ledger enforces for `cap` under this regime on `day` (the row's date), or nil
    /// when the regime defines no such cap on that day.
    public func capLimit(for cap: CapKey, on day: Day) -> CapLimit? {
        let epoch = epochs[epochIndex(for: day)]
        func definition(_ mechanism: CapMechanism) -> CapDefinition? {
            epoch.caps.values.first { $0.mechanism == mechanism }
        }
        switch cap {
        case .lpp:
            guard let cap = definition(.perParentCalendarYear), let limit = cap.limit else { return nil }
            return CapLimit(limit: TPP(limit.value), citation: cap.citation)
        case let .countryAllocation(country):
            guard let cap = definition(.perDestinationWindow), var limit = cap.limit.map({ TPP($0.value) }) else { return nil }
            if let window = cap.window, !window.contains(day) { return nil }   // no allocation is defined outside 2025-2027
            let index = book.registry.index(of: country)
            for multiplier in cap.multipliers ?? [] {
                if let index, epoch.sets[multiplier.set]?.contains(index: index) == true {
                    limit = limit.scaled(by: multiplier.factor)
                }
            }
            return CapLimit(limit: limit, citation: cap.citation)
        case .nveu:
            guard let definition = definition(.nveuSchedule), let compiled = try? CompiledCap(definition, sets: epoch.sets) else { return nil }
            return CapLimit(limit: compiled.scheduledBase(on: day), appliesToInstalledBase: true, citation: definition.citation)
        case .uveu:
            guard let cap = definition(.uveuDistribution) else { return nil }
            let tier1 = Set((epoch.tier1?.indices ?? []).map { book.registry.countries[$0].code })
            func permille(_ number: SourcedNumber?) -> Int64? { number.map { Int64(($0.value * 1000).rounded()) } }
            return CapLimit(limit: nil, uveu: UVEUShares(maxOutsideTier1Permille: permille(cap.maxShareOutsideTier1),
                                                         maxSingleCountryPermille: permille(cap.maxShareSingleCountry),
                                                         tier1: tier1),
                            citation: cap.citation)
        }
    }
}

extension CapKey {
    /// Parses a cap name as written by ``name``: `lpp/<parent>/<year>`, `country_allocation/<CC>`,
    /// `uveu/<holder>/<CC>`, `nveu/<holder>/<CC>` (a party name may itself contain `/`).
    public init?(name: String) {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return nil }
        let middle = parts.count > 2 ? parts[1..<(parts.count - 1)].joined(separator: "/") : ""
        switch parts[0] {
        case "lpp":
            guard parts.count >= 3, !middle.isEmpty, let year = Int(parts.last!), (1900...9999).contains(year) else { return nil }
            self = .lpp(parent: middle, year: year)
        case "country_allocation":
            guard parts.count == 2, let country = CountryCode(parts[1]), country.description == parts[1] else { return nil }
            self = .countryAllocation(country)
        case "uveu", "nveu":
            guard parts.count >= 3, !middle.isEmpty, let country = CountryCode(parts.last!), country.description == parts.last! else { return nil }
            self = parts[0] == "uveu" ? .uveu(holder: middle, country: country) : .nveu(holder: middle, country: country)
        default:
            return nil
        }
    }
}
