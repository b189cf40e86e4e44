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
    private let flat: DecisionTables

    /// TPP received under LPP by (party << 16 | year), in thousandths.
    fileprivate var lppUsed = AmountTable()
    /// TPP counted against each destination's allocation, by registry index.
    fileprivate var allocationUsed: [TPP]
    /// Installed bases by holder, kept only when the regime has caps measured on them.
    fileprivate var bases = InstalledBases()
    private let tracksBases: Bool

    /// Per epoch and item (`epoch * stride + item`): the classification entry (-1: not seen yet),
    /// the item's facts, its ECCN bit, and the TPP of one unit in thousandths (-1: unknown).
    private var stride = 0
    private var classOf: [Int32] = []
    private var itemFacts: [UInt64] = []
    private var eccnBits: [UInt64] = []
    private var unitMilli: [Int64] = []
    /// The rules matched by recent fact vectors (few distinct vectors recur across millions of rows).
    private var matches = MatchCache()

    /// Starts a run from ledger balances. Party names in the snapshot join `parties`.
    public init(regime: CompiledRegime, items: ItemTable, parties: PartyTable, snapshot: CapSnapshot) {
        self.regime = regime
        self.tables = ScreeningTables(regime: regime, items: items, parties: parties)
        self.registry = regime.book.registry
        self.flat = regime.decisionTables
        self.tracksBases = regime.hasInstalledBaseCaps
        self.allocationUsed = Array(repeating: .zero, count: regime.book.registry.countries.count)
        for (key, tpp) in snapshot.lpp {
            lppUsed.add(Screener.lppKey(tables.parties.intern(key.parent), key.year), tpp.milli)
        }
        for (country, tpp) in snapshot.countryAllocation {
            if let index = registry.index(of: country) { allocationUsed[index] = tpp }
        }
        for (holder, byCountry) in snapshot.installedBase.sorted(by: { $0.key < $1.key }) {
            let party = tables.parties.intern(holder)
            for (country, tpp) in byCountry.sorted(by: { $0.key < $1.key }) {
                if let index = registry.index(of: country) { bases.add(tpp, at: index, for: party) }
            }
        }
        growItems()
    }

    fileprivate static func lppKey(_ party: Int32, _ year: Int) -> Int64 { Int64(party) << 16 | Int64(year) }

    /// Re-lays the per-item tables when the item table has grown.
    private func growItems() {
        let count = max(tables.items.specs.count, 1)
        let epochs = regime.epochs.count
        var classOf = [Int32](repeating: -1, count: epochs * count)
        var itemFacts = [UInt64](repeating: 0, count: epochs * count)
        var eccnBits = itemFacts
        for e in 0..<epochs {
            for item in 0..<stride {
                classOf[e * count + item] = self.classOf[e * stride + item]
                itemFacts[e * count + item] = self.itemFacts[e * stride + item]
                eccnBits[e * count + item] = self.eccnBits[e * stride + item]
            }
        }
        (self.classOf, self.itemFacts, self.eccnBits, stride) = (classOf, itemFacts, eccnBits, count)
        unitMilli = tables.items.tppPerUnit.map { $0?.milli ?? -1 }
    }

    /// Classifies an item on an epoch and computes its facts (once per run).
    private func learn(epoch: Int, item: Int, slot: Int) -> Int32 {
        let classification = tables.addClass(epoch: regime.epochs[epoch], item: item)
        classOf[slot] = classification
        eccnBits[slot] = tables.classes[Int(classification)].eccnBit
        if flat.bitMode[epoch] {
            let facts = tables.rowFacts(Transaction(id: "", line: 0, date: Day(ordinal: 0), item: Int32(item), itemLabel: 0, quantity: 1,
                                                    destination: .unitedStates, consignee: 0, consigneeHQ: .unitedStates, ultimateParent: 0),
                                        classification: classification)
            itemFacts[slot] = flat.itemFacts(epoch: epoch, facts)
        }
        return classification
    }

    /// The named cap of a compact debit (`lpp/Alem.cloud/2025`).
    public func capKey(_ debit: CapDebit) -> CapKey { tables.capKey(debit) }


    /// Screens one transaction and moves the run's balances: the compact decision.
    public func decide(_ transaction: Transaction) -> Decision {
        let epoch = flat.epoch(of: transaction.date)
        let item = Int(transaction.item)
        if item >= stride { growItems() }
        let slot = epoch &* stride &+ item
        var classification = classOf[slot]
        if classification < 0 { classification = learn(epoch: epoch, item: item, slot: slot) }
        let destination = registry.index(of: transaction.destination) ?? 0
        let hq = registry.index(of: transaction.consigneeHQ) ?? 0
        let unit = unitMilli[item]
        let total: TPP? = unit < 0 ? nil : TPP(milli: unit).multiplied(by: transaction.quantity)

        let row = CapRow(date: transaction.date, party: transaction.ultimateParent, destination: destination,
                         destinationCode: transaction.destination, consigneeHQ: transaction.consigneeHQ, total: total)
        var balances = LiveBalances(screener: self)
        var trace = SilentTrace()
        var facts: UInt64 = 0
        var packed: PackedMatches?
        var listed: ListedMatches?
        if flat.bitMode[epoch] {
            let exporter = transaction.exporterCountry == .unitedStates ? flat.usIndex : (registry.index(of: transaction.exporterCountry) ?? 0)
            facts = itemFacts[slot] | flat.placeFacts(epoch: epoch, destination: destination, hq: hq, exporter: exporter,
                                                      veu: transaction.veu, endUse: transaction.endUse)
            packed = matches.lookup(epoch: epoch, facts: facts)
            if packed == nil {
                let found = RuleMatching.match(tables: flat, epoch: epoch, .bits(facts))
                packed = PackedMatches(flags: found.flags, steps: found.steps)
                if let packed { matches.store(epoch: epoch, facts: facts, packed) } else { listed = found }
            }
        } else {
            listed = RuleMatching.match(tables: flat, epoch: epoch, .conditions(tables.rowFacts(transaction, classification: classification),
                                                                                regime.epochs[epoch]))
        }
        let outcome = packed.map {
            RuleWalk.walk(tables: flat, regime: regime, epoch: epoch, matched: $0, row: row, balances: &balances, trace: &trace)
        } ?? RuleWalk.walk(tables: flat, regime: regime, epoch: epoch, matched: listed!, row: row, balances: &balances, trace: &trace)

        // Move balances.
        if let debit = outcome.debit {
            switch debit.kind {
            case .lpp: lppUsed.add(debit.key, debit.tpp.milli)
            case .countryAllocation: allocationUsed[destination] = allocationUsed[destination] + debit.tpp
            case .uveu, .nveu: break // installed bases grow below for every non-denied counted row
            }
        }
        var addition: TPP?
        if flat.installedBaseMask[epoch] & eccnBits[slot] != 0, !(outcome.reviewPolicy?.isDenial ?? false), let total {
            addition = total
            if tracksBases { bases.add(total, at: destination, for: transaction.ultimateParent) }
        }
        return Decision(authorization: outcome.authorization, outcomePolicy: outcome.reviewPolicy, debit: outcome.debit,
                        installedBaseAddition: addition, tppTotal: total, epoch: Int32(epoch), classification: classification,
                        facts: facts, destinationTier: flat.tier(epoch, destination), hqTier: flat.tier(epoch, hq), matched: packed,
                        observed: balances.observed)
    }

    /// Screens one transaction, moves the run's balances and renders the determination's text.
    public func evaluate(_ transaction: Transaction) -> ScreeningResult {
        let decision = decide(transaction)
        return ScreeningResult(
            determination: tables.determination(transaction, decision),
            installedBaseAddition: decision.installedBaseAddition.map { (tables.parties[transaction.ultimateParent], transaction.destination, $0) })
    }
}

/// The run's live balances, read by the rule walk; records what the row read into a decision.
private struct LiveBalances: BalanceSource {
    unowned(unsafe) let screener: Screener
    var observed = ObservedBalances()

    init(screener: Screener) { self.screener = screener }

    mutating func lppUsed(party: Int32, year: Int) -> TPP {
        observed.lppUsed = TPP(milli: screener.lppUsed.amount(Screener.lppKey(party, year)))
        return observed.lppUsed
    }

    mutating func allocationUsed(destination: Int) -> TPP {
        observed.allocationUsed = screener.allocationUsed[destination]
        return observed.allocationUsed
    }

    mutating func nveuBase(party: Int32, destination: Int) -> TPP {
        observed.nveuBase = screener.bases.amount(of: party, in: destination)
        return observed.nveuBase
    }

    mutating func uveuBase(party: Int32, destination: Int, tier1: CountrySet?) -> UVEUBase {
        let base = screener.bases.summary(of: party, destination: destination, tier1: tier1, us: screener.regime.decisionTables.usIndex)
        observed.uveuTotal = base.total
        observed.uveuOutsideTier1 = base.outsideTier1
        observed.uveuInDestination = base.inDestination
        observed.uveuInUS = base.inUS
        return base
    }
}

/// A direct-mapped cache from (epoch, fact vector) to the rules that match: a row's facts determine
/// its matches, and a file has few distinct fact vectors, so matching a row is usually one look-up.
struct MatchCache {
    private struct Entry {
        var facts: UInt64 = 0
        var epoch: Int32 = -1
        var matched = PackedMatches()
    }

    private var entries = [Entry](repeating: Entry(), count: 512)

    @inline(__always) private static func slot(_ epoch: Int, _ facts: UInt64) -> Int {
        Int(truncatingIfNeeded: ((facts ^ UInt64(epoch) &* 0xD6E8_FEB8_6659_FD93) &* 0x9E37_79B9_7F4A_7C15) >> 55)
    }

    @inline(__always) func lookup(epoch: Int, facts: UInt64) -> PackedMatches? {
        let entry = entries[MatchCache.slot(epoch, facts)]
        return entry.facts == facts && entry.epoch == Int32(epoch) ? entry.matched : nil
    }

    mutating func store(epoch: Int, facts: UInt64, _ matched: PackedMatches) {
        entries[MatchCache.slot(epoch, facts)] = Entry(facts: facts, epoch: Int32(epoch), matched: matched)
    }
}
