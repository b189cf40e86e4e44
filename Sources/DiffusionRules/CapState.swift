import ComputeMetrics

/// Balances a run starts from, as stored in the allocation ledger, keyed by names.
///
/// - `lpp`: TPP received under LPP per (ultimate parent, calendar year).
/// - `countryAllocation`: licensed TPP counted against each destination's allocation.
/// - `lpp` and `countryAllocation` count confirmed plus reserved TPP (both are unavailable).
/// - `installedBase`: each holder's installed base of counted ECCNs, by country (seeded fleet plus
///   growth from committed rows), used for UVEU/NVEU limits.
public struct CapSnapshot: Sendable, Equatable {
    public struct ParentYear: Hashable, Sendable {
        public var parent: String
        public var year: Int
        public init(parent: String, year: Int) {
            self.parent = parent
            self.year = year
        }
    }

    public var lpp: [ParentYear: TPP]
    public var countryAllocation: [CountryCode: TPP]
    public var installedBase: [String: [CountryCode: TPP]]
    /// Of the amounts in `lpp` and `countryAllocation`, what is only reserved (held by pending
    /// licence applications, not confirmed), by cap name. Reserved TPP is unavailable to new rows.
    public var reserved: [String: TPP]

    public init(lpp: [ParentYear: TPP] = [:], countryAllocation: [CountryCode: TPP] = [:],
                installedBase: [String: [CountryCode: TPP]] = [:], reserved: [String: TPP] = [:]) {
        self.lpp = lpp
        self.countryAllocation = countryAllocation
        self.installedBase = installedBase
        self.reserved = reserved
    }

    public static let empty = CapSnapshot()
}

/// A holder's installed base: total and by country registry index. Holders have few countries, so
/// the per-country amounts are a short list searched in order (cheaper than a dictionary per holder).
struct InstalledBase {
    var total = TPP.zero
    private(set) var countries: [(country: Int, tpp: TPP)] = []

    mutating func add(_ tpp: TPP, at country: Int) {
        total = total + tpp
        if let i = countries.firstIndex(where: { $0.country == country }) {
            countries[i].tpp = countries[i].tpp + tpp
        } else {
            countries.append((country, tpp))
        }
    }

    /// The base in one country.
    func amount(in country: Int) -> TPP {
        countries.first { $0.country == country }?.tpp ?? .zero
    }
}

/// A cap definition with its numbers converted for evaluation (a class: rows refer to it, never copy it).
final class CompiledCap: Sendable {
    let definition: CapDefinition
    let limit: TPP?
    let multipliers: [(set: CountrySet, factor: Double)]
    /// NVEU schedule as (year * 4 + quarter - 1, permitted installed base), sorted.
    let schedule: [(quarter: Int, tpp: TPP)]

    init(_ definition: CapDefinition, sets: [String: CountrySet]) throws(RuleBookError) {
        self.definition = definition
        self.limit = definition.limit.map { TPP($0.value) }
        var multipliers: [(CountrySet, Double)] = []
        for multiplier in definition.multipliers ?? [] {
            guard let set = sets[multiplier.set] else {
                throw RuleBookError(message: "cap multiplier names unknown country set \"\(multiplier.set)\"")
            }
            multipliers.append((set, multiplier.factor))
        }
        self.multipliers = multipliers
        var schedule: [(Int, TPP)] = []
        for entry in definition.schedule ?? [] {
            guard let quarter = CompiledCap.quarterIndex(entry.quarter) else {
                throw RuleBookError(message: "NVEU schedule quarter \"\(entry.quarter)\" is not like 2025Q1")
            }
            schedule.append((quarter, TPP(entry.installedBaseTPP)))
        }
        self.schedule = schedule.sorted { $0.0 < $1.0 }
        switch definition.mechanism {
        case .perParentCalendarYear where limit == nil, .perDestinationWindow where limit == nil:
            throw RuleBookError(message: "cap \(definition.mechanism.rawValue) needs a limit")
        case .perDestinationWindow where definition.window == nil:
            throw RuleBookError(message: "cap per_destination_window needs a window")
        case .nveuSchedule where self.schedule.isEmpty:
            throw RuleBookError(message: "cap nveu_schedule needs a schedule")
        default: break
        }
    }

    /// `2025Q1` → 2025 * 4 + 0.
    static func quarterIndex(_ text: String) -> Int? {
        let parts = text.split(separator: "Q")
        guard parts.count == 2, let year = Int(parts[0]), let quarter = Int(parts[1]), (1...4).contains(quarter) else { return nil }
        return year * 4 + quarter - 1
    }

    /// The NVEU permitted installed base in the quarter of `day`: the latest entry not after it
    /// (the first entry before the schedule starts).
    func scheduledBase(on day: Day) -> TPP {
        let index = day.year * 4 + day.quarter - 1
        var value = schedule[0].tpp
        for entry in schedule where entry.quarter <= index { value = entry.tpp }
        return value
    }
}

/// Percent text with one decimal: 0.0465 → "4.7%".
func percentText(_ share: Double) -> String {
    let tenths = (share * 1000).rounded()
    let whole = Int(tenths) / 10
    let decimal = abs(Int(tenths) % 10)
    return "\(whole).\(decimal)%"
}
