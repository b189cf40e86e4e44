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
    /// The part of each decision that reads no balance (``decide(_:)`` uses it; a pipeline runs
    /// its own preparers on other threads and calls ``decide(_:prepared:)``).
    private let preparer: RowPreparer

    fileprivate var lppUsed = AmountTable()
    /// TPP counted against each destination's allocation, by registry index.
    fileprivate var allocationUsed: [TPP]
    /// Installed bases by holder, kept only when the regime has caps measured on them.
    fileprivate var bases = InstalledBases()
    private let tracksBases: Bool

    /// Classification entry (with its texts) by epoch and item (`epoch * stride + item`; -1: not yet).
    private var stride = 0
    private var classOf: [Int32] = []

    /// Starts a run from ledger balances. Party names in the snapshot join `parties`.
    public init(regime: CompiledRegime, items: ItemTable, parties: PartyTable, snapshot: CapSnapshot) {
        self.regime = regime
        self.tables = ScreeningTables(regime: regime, items: items, parties: parties)
        self.registry = regime.book.registry
        self.flat = regime.decisionTables
        self.preparer = RowPreparer(regime: regime, items: items)
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
    }

    fileprivate static func lppKey(_ party: Int32, _ year: Int) -> Int64 { Int64(party) << 16 | Int64(year) }

    /// The classification entry of an item on an epoch, registering its texts the first time.
    @inline(__always) private func classification(epoch: Int, item: Int) -> Int32 {
        if item >= stride {
            let count = max(tables.items.specs.count, item + 1)
            var grown = [Int32](repeating: -1, count: regime.epochs.count * count)
            for e in 0..<regime.epochs.count {
                for i in 0..<stride { grown[e * count + i] = classOf[e * stride + i] }
            }
            (classOf, stride) = (grown, count)
        }
        let slot = epoch &* stride &+ item
        let known = classOf[slot]
        if known >= 0 { return known }
        let entry = tables.addClass(epoch: regime.epochs[epoch], item: item)
        classOf[slot] = entry
        return entry
    }

    /// The named cap of a compact debit (`lpp/Alem.cloud/2025`).
    public func capKey(_ debit: CapDebit) -> CapKey { tables.capKey(debit) }

    /// Screens one transaction and moves the run's balances: the compact decision.
    public func decide(_ transaction: Transaction) -> Decision {
        decide(transaction, prepared: preparer.prepare(transaction))
    }

    /// Finishes the decision of a row prepared (by any thread) with a ``RowPreparer`` of the same
    /// regime and items, in file order: rows that match no cap rule are already decided; the others
    /// walk their cap rules against the run's balances. Then the balances move.
    public func decide(_ transaction: Transaction, prepared p: PreparedRow) -> Decision {
        let epoch = Int(p.epoch)
        let classification = classification(epoch: epoch, item: Int(transaction.item))
        var balances = LiveBalances(screener: self)
        var outcome = RuleWalk.Outcome()
        if p.stateless {
            outcome = RuleWalk.Outcome(authorization: p.authorization, reviewPolicy: p.reviewPolicy, debit: nil, decided: p.decided)
        } else {
            let row = CapRow(date: transaction.date, party: transaction.ultimateParent, destination: Int(p.destination),
                             destinationCode: transaction.destination, consigneeHQ: transaction.consigneeHQ, total: p.total)
            var trace = SilentTrace()
            if let matched = p.matched {
                outcome = RuleWalk.walk(tables: flat, regime: regime, epoch: epoch, matched: matched, row: row, balances: &balances, trace: &trace)
            } else {
                let match: RowMatch = flat.bitMode[epoch]
                    ? .bits(p.facts) : .conditions(tables.rowFacts(transaction, classification: classification), regime.epochs[epoch])
                outcome = RuleWalk.walk(tables: flat, regime: regime, epoch: epoch, matched: RuleMatching.match(tables: flat, epoch: epoch, match),
                                        row: row, balances: &balances, trace: &trace)
            }
        }

        // Move balances.
        if let debit = outcome.debit {
            switch debit.kind {
            case .lpp: lppUsed.add(debit.key, debit.tpp.milli)
            case .countryAllocation: allocationUsed[Int(p.destination)] = allocationUsed[Int(p.destination)] + debit.tpp
            case .uveu, .nveu: break // installed bases grow below for every non-denied counted row
            }
        }
        var addition: TPP?
        if p.counted, !(outcome.reviewPolicy?.isDenial ?? false), let total = p.total {
            addition = total
            if tracksBases { bases.add(total, at: Int(p.destination), for: transaction.ultimateParent) }
        }
        return Decision(authorization: outcome.authorization, outcomePolicy: outcome.reviewPolicy, debit: outcome.debit,
                        installedBaseAddition: addition, tppTotal: p.total, epoch: p.epoch, classification: classification,
                        facts: p.facts, destinationTier: p.destinationTier, hqTier: p.hqTier, matched: p.matched,
                        observed: balances.observed)
    }

    /// Gives back what ``decide(_:)`` moved for a row whose outcome a later stage tightened
    /// (``Decision/tighten(to:reviewPolicy:)``): the debit `after` no longer draws and the
    /// installed-base addition it no longer makes, so later rows see the balances the final outcomes
    /// left. `before` and `after`: the row's decision before and after the stage.
    public func withdraw(_ before: Decision, _ after: Decision, for transaction: Transaction) {
        let destination = registry.index(of: transaction.destination) ?? 0
        if let debit = before.debit, after.debit == nil {
            switch debit.kind {
            case .lpp: lppUsed.add(debit.key, -debit.tpp.milli)
            case .countryAllocation: allocationUsed[destination] = allocationUsed[destination] - debit.tpp
            case .uveu, .nveu: break // installed bases: below
            }
        }
        if tracksBases, let added = before.installedBaseAddition, after.installedBaseAddition == nil {
            bases.add(.zero - added, at: destination, for: transaction.ultimateParent)
        }
    }

    /// Screens one transaction, moves the run's balances and renders the determination's text.
    public func evaluate(_ transaction: Transaction) -> ScreeningResult {
        result(transaction, decide(transaction))
    }

    /// A decision of this run in text form (`annotations`: a later stage's, see ``RowStage``).
    public func result(_ transaction: Transaction, _ decision: Decision, annotations: RowAnnotations? = nil) -> ScreeningResult {
        ScreeningResult(
            determination: tables.determination(transaction, decision, annotations: annotations),
            installedBaseAddition: decision.installedBaseAddition.map { (tables.parties[transaction.ultimateParent], transaction.destination, $0) })
    }
}

/// The part of a row's decision that reads no balance, made by a ``RowPreparer`` on any thread:
/// epoch, places, facts, the rules matched, TPP, tiers; and, when no cap rule comes before the rule
/// that decides (most rows that need no licence, Tier 1 rows, denials), the outcome itself.
public struct PreparedRow: Sendable {
    let epoch: Int32
    let destination: Int32
    let facts: UInt64
    let matched: PackedMatches?
    let total: TPP?
    let destinationTier: Int8, hqTier: Int8
    /// The row's ECCN is counted in installed bases.
    let counted: Bool
    /// Decided without balances: `authorization`, `reviewPolicy` and `decided` are the outcome.
    let stateless: Bool
    let authorization: Authorization
    let reviewPolicy: ReviewPolicy?
    let decided: Bool
}

/// Prepares rows for a ``Screener`` of the same regime and items: everything a decision needs that
/// does not depend on earlier rows. Not thread-safe: one per thread (it memoizes items' facts and
/// the rules matched by recent fact vectors).
///
/// ```swift
/// let preparer = RowPreparer(regime: regime, items: file.items)      // on a worker thread
/// let prepared = transactions.map(preparer.prepare)
/// let decisions = zip(transactions, prepared).map { screener.decide($0, prepared: $1) }   // in file order
/// ```
public final class RowPreparer {
    private let regime: CompiledRegime
    private let flat: DecisionTables
    private let registry: CountryRegistry
    private var items: ItemTable
    /// Per epoch and item (`epoch * stride + item`): whether seen, its facts and its ECCN bit.
    private var stride = 0
    private var known: [Bool] = []
    private var itemFacts: [UInt64] = []
    private var eccnBits: [UInt64] = []
    private var unitMilli: [Int64] = []
    /// The rules matched by recent fact vectors (few distinct vectors recur across millions of rows).
    private var matches = MatchCache()

    public init(regime: CompiledRegime, items: ItemTable) {
        self.regime = regime
        self.flat = regime.decisionTables
        self.registry = regime.book.registry
        self.items = items
        grow(to: items.specs.count)
    }

    private func grow(to count: Int) {
        let count = max(count, 1)
        let epochs = regime.epochs.count
        var known = [Bool](repeating: false, count: epochs * count)
        var itemFacts = [UInt64](repeating: 0, count: epochs * count)
        var eccnBits = itemFacts
        for e in 0..<epochs {
            for item in 0..<stride {
                known[e * count + item] = self.known[e * stride + item]
                itemFacts[e * count + item] = self.itemFacts[e * stride + item]
                eccnBits[e * count + item] = self.eccnBits[e * stride + item]
            }
        }
        (self.known, self.itemFacts, self.eccnBits, stride) = (known, itemFacts, eccnBits, count)
        unitMilli = items.tppPerUnit.map { $0?.milli ?? -1 }
    }

    /// Classifies an item on an epoch and computes its facts (once per item, epoch and preparer).
    private func learn(epoch: Int, item: Int, slot: Int) {
        let spec = items[item]
        let result = regime.epochs[epoch].classifier.classify(spec)
        let bit: UInt64 = 1 << UInt64(regime.eccnIndex[result.eccn] ?? 0)
        eccnBits[slot] = bit
        if flat.bitMode[epoch] {
            itemFacts[slot] = flat.itemFacts(epoch: epoch, RowFacts(
                destination: 0, consigneeHQ: 0, exporter: 0, eccnBit: bit, datacenter: spec.datacenter ?? true,
                item: items.catalogItem[item], veu: .none, endUse: .unspecified, tppPerUnit: spec.tpp?.value,
                dramBandwidth: spec.dramBandwidthGBps))
        }
        known[slot] = true
    }

    /// The row's decision as far as it goes without balances.
    public func prepare(_ transaction: Transaction) -> PreparedRow {
        let epoch = flat.epoch(of: transaction.date)
        let item = Int(transaction.item)
        if item >= stride { grow(to: items.specs.count) }
        let slot = epoch &* stride &+ item
        if !known[slot] { learn(epoch: epoch, item: item, slot: slot) }
        let destination = registry.index(of: transaction.destination) ?? 0
        let hq = registry.index(of: transaction.consigneeHQ) ?? 0
        let unit = unitMilli[item]
        let total: TPP? = unit < 0 ? nil : TPP(milli: unit).multiplied(by: transaction.quantity)
        var facts: UInt64 = 0
        var packed: PackedMatches?
        if flat.bitMode[epoch] {
            let exporter = transaction.exporterCountry == .unitedStates ? flat.usIndex : (registry.index(of: transaction.exporterCountry) ?? 0)
            facts = itemFacts[slot] | flat.placeFacts(epoch: epoch, destination: destination, hq: hq, exporter: exporter,
                                                      veu: transaction.veu, endUse: transaction.endUse)
            packed = matches.lookup(epoch: epoch, facts: facts)
            if packed == nil {
                let found = RuleMatching.match(tables: flat, epoch: epoch, .bits(facts))
                packed = PackedMatches(flags: found.flags, steps: found.steps)
                if let packed { matches.store(epoch: epoch, facts: facts, packed) }
            }
        }
        // Decided without balances: no rule matched, or the first rule matched has no cap.
        var stateless = false, authorization = Authorization.NLR, policy: ReviewPolicy?, decided = false
        if let packed {
            if packed.stepCount == 0 {
                stateless = true
            } else {
                let step = flat.rules[Int(flat.ruleStart[epoch]) &+ packed.step(0)]
                if step.cap < 0 {
                    stateless = true
                    decided = true
                    authorization = step.then.authorization
                    policy = step.hasSchedule
                        ? regime.epochs[epoch].rules[packed.step(0)].scheduledPolicy(step.then.reviewPolicy, on: transaction.date)
                        : step.then.reviewPolicy
                }
            }
        }
        return PreparedRow(epoch: Int32(epoch), destination: Int32(destination), facts: facts, matched: packed, total: total,
                           destinationTier: flat.tier(epoch, destination), hqTier: flat.tier(epoch, hq),
                           counted: flat.installedBaseMask[epoch] & eccnBits[slot] != 0, stateless: stateless,
                           authorization: authorization, reviewPolicy: policy, decided: decided)
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
