import ComputeMetrics

/// What screening one row produced in text form: the determination and, when the row adds to a
/// holder's installed base (counted ECCN, not denied), that addition (recorded by the ledger on commit).
public struct ScreeningResult: Sendable {
    public var determination: Determination
    public var installedBaseAddition: (holder: String, country: CountryCode, tpp: TPP)?
}

/// Evaluates transactions under one compiled regime, in file order, carrying cap balances from
/// row to row (each row sees the debits of earlier rows; screening.md §5).
///
/// ``decide(_:)`` is the hot path: interned ids in, a compact ``Decision`` out, nothing allocated
/// (the rules a row matches are found once per distinct combination of epoch, item, places, VEU
/// status and end use, and memoized). Text is rendered later, from ``tables``, by whoever prints.
/// ``evaluate(_:)`` does both and returns the string-based ``Determination``.
///
/// Pure and deterministic: it starts from a ``CapSnapshot`` (the ledger's balances, or empty) and
/// never touches the ledger itself. Not thread-safe: use one per run.
///
/// ```swift
/// let screener = Screener(regime: try book.compile(regime: "ai-diffusion-2025"),
///                         items: items, parties: parties, snapshot: .empty)
/// for transaction in transactions {
///     let decision = screener.decide(transaction)
///     print(decision.authorization, decision.debit.map { screener.capKey($0).name } ?? "-")
/// }
/// ```
public final class Screener {
    public let regime: CompiledRegime
    /// Items, parties and texts the decisions refer to (hand a copy to whatever renders them).
    public private(set) var tables: ScreeningTables
    public var items: ItemTable { tables.items }
    public var parties: PartyTable { tables.parties }
    private let registry: CountryRegistry

    fileprivate var lppUsed: [Int64: TPP] = [:]
    /// TPP counted against each destination's allocation, by registry index.
    fileprivate var allocationUsed: [TPP]
    /// Installed base by party index (parties are dense); nil for parties with none. Kept only when
    /// the regime has caps measured on installed bases.
    fileprivate var bases: [InstalledBase?] = []
    private let tracksBases: Bool

    /// Plans by (epoch, item, destination, headquarters, exporter, VEU, end use), and the
    /// classification entry by (epoch, item).
    private var planIndex = PlanIndex()
    private var plans: [RowPlan] = []
    private var classIndex: [Int64: Int32] = [:]
    /// TPP of one unit of each item, in thousandths (-1: unknown), to multiply without copying specs.
    private var unitMilli: [Int64] = []

    /// Starts a run from ledger balances. Party names in the snapshot join `parties`.
    public init(regime: CompiledRegime, items: ItemTable, parties: PartyTable, snapshot: CapSnapshot) {
        self.regime = regime
        self.tables = ScreeningTables(regime: regime, items: items, parties: parties)
        self.registry = regime.book.registry
        self.tracksBases = regime.hasInstalledBaseCaps
        self.allocationUsed = Array(repeating: .zero, count: regime.book.registry.countries.count)
        for (key, tpp) in snapshot.lpp {
            lppUsed[Screener.lppKey(tables.parties.intern(key.parent), key.year)] = tpp
        }
        for (country, tpp) in snapshot.countryAllocation {
            if let index = registry.index(of: country) { allocationUsed[index] = tpp }
        }
        for (holder, byCountry) in snapshot.installedBase.sorted(by: { $0.key < $1.key }) {
            let party = tables.parties.intern(holder)
            for (country, tpp) in byCountry.sorted(by: { $0.key < $1.key }) {
                if let index = registry.index(of: country) { addToBase(tpp, at: index, for: party) }
            }
        }
        refreshUnits()
    }

    fileprivate static func lppKey(_ party: Int32, _ year: Int) -> Int64 { Int64(party) << 16 | Int64(year) }

    fileprivate func base(of party: Int32) -> InstalledBase? {
        Int(party) < bases.count ? bases[Int(party)] : nil
    }

    private func addToBase(_ tpp: TPP, at country: Int, for party: Int32) {
        let index = Int(party)
        if index >= bases.count { bases.append(contentsOf: repeatElement(nil, count: index - bases.count + 1)) }
        if bases[index] == nil { bases[index] = InstalledBase() }
        bases[index]!.add(tpp, at: country)
    }

    private func refreshUnits() {
        unitMilli = tables.items.tppPerUnit.map { $0?.milli ?? -1 }
    }

    /// The named cap of a compact debit (`lpp/Alem.cloud/2025`).
    public func capKey(_ debit: CapDebit) -> CapKey { tables.capKey(debit) }

    /// Screens one transaction and moves the run's balances: the compact decision.
    public func decide(_ transaction: Transaction) -> Decision {
        let epochIndex = regime.epochIndex(for: transaction.date)
        let destination = registry.index(of: transaction.destination) ?? 0
        let item = Int(transaction.item)
        if item >= unitMilli.count { refreshUnits() }
        let hq = registry.index(of: transaction.consigneeHQ) ?? 0
        let exporter = registry.index(of: transaction.exporterCountry) ?? 0
        let key0 = UInt64(epochIndex) << 32 | UInt64(UInt32(truncatingIfNeeded: item))
        let key1 = UInt64(destination) << 48 | UInt64(hq) << 32 | UInt64(exporter) << 16
            | UInt64(transaction.veu.rawValue) << 8 | UInt64(transaction.endUse.rawValue)
        let planID = planIndex.find(key0, key1)
            ?? makePlan(epochIndex: epochIndex, item: item, destination: destination, hq: hq, exporter: exporter,
                        transaction: transaction, key0: key0, key1: key1)
        let plan = plans[Int(planID)]
        let unit = unitMilli[item]
        let total: TPP? = unit < 0 ? nil : TPP(milli: unit).multiplied(by: transaction.quantity)

        var balances = LiveBalances(screener: self)
        var outcome = RuleWalk.Outcome()
        if plan.stepCount > 0 || plan.wide >= 0 {
            let row = CapRow(date: transaction.date, party: transaction.ultimateParent, destination: destination,
                             destinationCode: transaction.destination, consigneeHQ: transaction.consigneeHQ, total: total)
            var trace = SilentTrace()
            outcome = RuleWalk.walk(epoch: regime.epochs[epochIndex], plan: plan,
                                    wideSteps: plan.wide >= 0 ? tables.widePlans[Int(plan.wide)].steps : nil,
                                    row: row, balances: &balances, trace: &trace)
        }

        // Move balances.
        if let debit = outcome.debit {
            switch debit.kind {
            case .lpp: lppUsed[debit.key, default: .zero] = lppUsed[debit.key, default: .zero] + debit.tpp
            case .countryAllocation: allocationUsed[destination] = allocationUsed[destination] + debit.tpp
            case .uveu, .nveu: break // installed bases grow below for every non-denied counted row
            }
        }
        var addition: TPP?
        if plan.countsForBase, !(outcome.reviewPolicy?.isDenial ?? false), let total {
            addition = total
            if tracksBases { addToBase(total, at: destination, for: transaction.ultimateParent) }
        }
        return Decision(authorization: outcome.authorization, outcomePolicy: outcome.reviewPolicy, debit: outcome.debit,
                        installedBaseAddition: addition, tppTotal: total, epoch: Int32(epochIndex), plan: plan,
                        observed: balances.observed)
    }

    /// Screens one transaction, moves the run's balances and renders the determination's text.
    public func evaluate(_ transaction: Transaction) -> ScreeningResult {
        let decision = decide(transaction)
        return ScreeningResult(
            determination: tables.determination(transaction, decision),
            installedBaseAddition: decision.installedBaseAddition.map { (tables.parties[transaction.ultimateParent], transaction.destination, $0) })
    }

    private func makePlan(epochIndex: Int, item: Int, destination: Int, hq: Int, exporter: Int, transaction: Transaction,
                          key0: UInt64, key1: UInt64) -> Int32 {
        let epoch = regime.epochs[epochIndex]
        let classKey = Int64(epochIndex) << 32 | Int64(item)
        let classification: Int32
        if let known = classIndex[classKey] {
            classification = known
        } else {
            classification = tables.addClass(epoch: epoch, item: item)
            classIndex[classKey] = classification
        }
        let spec = tables.items[item]
        let facts = RowFacts(
            destination: destination, consigneeHQ: hq, exporter: exporter, eccnBit: tables.classes[Int(classification)].eccnBit,
            datacenter: spec.datacenter ?? true, item: tables.items.catalogItem[item], veu: transaction.veu,
            endUse: transaction.endUse, tppPerUnit: spec.tpp?.value, dramBandwidth: spec.dramBandwidthGBps)
        let plan = RowPlan.make(epoch: epoch, facts: facts, classification: classification, destinationTier: epoch.tier(of: destination),
                                hqTier: epoch.tier(of: hq), wideStore: &tables.widePlans)
        plans.append(plan)
        let id = Int32(plans.count - 1)
        planIndex.insert(key0, key1, id)
        return id
    }
}

/// The run's live balances, read by the rule walk; records what the row read into a decision.
private struct LiveBalances: BalanceSource {
    unowned(unsafe) let screener: Screener
    var observed = ObservedBalances()

    init(screener: Screener) { self.screener = screener }

    mutating func lppUsed(party: Int32, year: Int) -> TPP {
        observed.lppUsed = screener.lppUsed[Screener.lppKey(party, year)] ?? .zero
        return observed.lppUsed
    }

    mutating func allocationUsed(destination: Int) -> TPP {
        observed.allocationUsed = screener.allocationUsed[destination]
        return observed.allocationUsed
    }

    mutating func nveuBase(party: Int32, destination: Int) -> TPP {
        observed.nveuBase = screener.base(of: party)?.amount(in: destination) ?? .zero
        return observed.nveuBase
    }

    mutating func uveuBase(party: Int32, destination: Int, epoch: Epoch) -> UVEUBase {
        var result = UVEUBase()
        if let base = screener.base(of: party) {
            result.total = base.total
            for (country, tpp) in base.countries where !(epoch.tier1?.contains(index: country) ?? false) {
                result.outsideTier1 = result.outsideTier1 + tpp
            }
            result.inDestination = base.amount(in: destination)
            result.inUS = epoch.usIndex.map { base.amount(in: $0) } ?? .zero
        }
        observed.uveuTotal = result.total
        observed.uveuOutsideTier1 = result.outsideTier1
        observed.uveuInDestination = result.inDestination
        observed.uveuInUS = result.inUS
        return result
    }
}

/// Open-addressing table from a two-word key to a plan id (load at most one half).
struct PlanIndex {
    private struct Slot {
        var key0: UInt64 = 0, key1: UInt64 = 0
        var value: Int32 = -1
    }

    private var slots = [Slot](repeating: Slot(), count: 1024)
    private var count = 0

    @inline(__always) private static func hash(_ key0: UInt64, _ key1: UInt64) -> Int {
        var h = key0 &* 0x9E37_79B9_7F4A_7C15 ^ key1 &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 31
        return Int(truncatingIfNeeded: h)
    }

    @inline(__always) func find(_ key0: UInt64, _ key1: UInt64) -> Int32? {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var i = PlanIndex.hash(key0, key1) & mask
            while true {
                let slot = slots[i]
                if slot.value < 0 { return nil }
                if slot.key0 == key0, slot.key1 == key1 { return slot.value }
                i = (i + 1) & mask
            }
        }
    }

    mutating func insert(_ key0: UInt64, _ key1: UInt64, _ value: Int32) {
        if (count + 1) * 2 > slots.count {
            let old = slots
            slots = [Slot](repeating: Slot(), count: old.count * 2)
            count = 0
            for slot in old where slot.value >= 0 { insert(slot.key0, slot.key1, slot.value) }
        }
        let mask = slots.count - 1
        var i = PlanIndex.hash(key0, key1) & mask
        while slots[i].value >= 0 { i = (i + 1) & mask }
        slots[i] = Slot(key0: key0, key1: key1, value: value)
        count += 1
    }
}
