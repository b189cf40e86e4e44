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

/// An open-addressing table from an integer key to an integer amount (load at most three quarters), for
/// the run's balances: each slot holds key and amount side by side, so a look-up is one cache line
/// and nothing is allocated per entry.
struct AmountTable {
    /// `key + 1` (0: empty) and the amount.
    private var slots = [(key: Int64, amount: Int64)](repeating: (0, 0), count: 256)
    private(set) var count = 0

    @inline(__always) private static func home(_ key: Int64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
    }

    /// The amount of `key` (0 when absent).
    @inline(__always) func amount(_ key: Int64) -> Int64 {
        slots.withUnsafeBufferPointer { slots in
            let stored = key &+ 1, mask = slots.count - 1
            var i = AmountTable.home(stored, mask)
            while true {
                let slot = slots[i]
                if slot.key == stored { return slot.amount }
                if slot.key == 0 { return 0 }
                i = (i + 1) & mask
            }
        }
    }

    /// Adds `delta` to the amount of `key`; returns whether the key is new.
    @discardableResult
    @inline(__always) mutating func add(_ key: Int64, _ delta: Int64) -> Bool {
        let stored = key &+ 1
        let found = slots.withUnsafeMutableBufferPointer { slots -> Bool in
            let mask = slots.count - 1
            var i = AmountTable.home(stored, mask)
            while true {
                if slots[i].key == stored {
                    slots[i].amount &+= delta
                    return true
                }
                if slots[i].key == 0 {
                    slots[i] = (stored, delta)
                    return false
                }
                i = (i + 1) & mask
            }
        }
        if found { return false }
        count += 1
        if count * 4 > slots.count * 3 { grow() }
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = [(key: Int64, amount: Int64)](repeating: (0, 0), count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot.key != 0 {
            var i = AmountTable.home(slot.key, mask)
            while slots[i].key != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}

/// The installed bases of every holder of a run: TPP of counted ECCNs by holder (party index) and
/// country (registry index). Adding to a base (every counted row) is one look-up in an
/// ``AmountTable``; each holder's countries are also chained, for the UVEU shares that read a whole
/// base. No references, nothing allocated per row.
struct InstalledBases {
    private var amounts = AmountTable()
    private var totals: [TPP] = []
    private var head: [Int32] = []
    private var members: [(country: Int32, next: Int32)] = []

    @inline(__always) private static func key(_ party: Int32, _ country: Int) -> Int64 { Int64(party) << 16 | Int64(country) }

    mutating func add(_ tpp: TPP, at country: Int, for party: Int32) {
        let p = Int(party)
        if p >= totals.count {
            totals.append(contentsOf: repeatElement(.zero, count: p - totals.count + 1))
            head.append(contentsOf: repeatElement(-1, count: p - head.count + 1))
        }
        totals[p] = totals[p] + tpp
        if amounts.add(InstalledBases.key(party, country), tpp.milli) {
            members.append((Int32(country), head[p]))
            head[p] = Int32(members.count - 1)
        }
    }

    /// A holder's base in one country.
    @inline(__always) func amount(of party: Int32, in country: Int) -> TPP {
        TPP(milli: amounts.amount(InstalledBases.key(party, country)))
    }

    /// A holder's base as UVEU limits read it: whole, outside `tier1` (everything when there are no
    /// tiers), in `destination` and in the US (registry index `us`).
    func summary(of party: Int32, destination: Int, tier1: CountrySet?, us: Int) -> UVEUBase {
        var base = UVEUBase()
        guard Int(party) < head.count else { return base }
        base.total = totals[Int(party)]
        var member = head[Int(party)]
        while member >= 0 {
            let country = Int(members[Int(member)].country)
            let amount = amount(of: party, in: country)
            if !(tier1?.contains(index: country) ?? false) { base.outsideTier1 = base.outsideTier1 + amount }
            if country == destination { base.inDestination = amount }
            if country == us { base.inUS = amount }
            member = members[Int(member)].next
        }
        return base
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
