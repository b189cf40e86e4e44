import ByteInterning
import DiffusionRules

/// The figures of one IaaS usage record (see ``UsageAggregator/add(owner:account:run:reseller:cluster:_:)``).
///
/// Units: GPU-hours; operations (hours × 3600 × peak FLOP/s at the record's precision × utilization);
/// `maxOperations` at full utilization of the chip's theoretical (8-bit) peak, an upper bound.
public struct UsageFigures: Sendable {
    public var ownerHQ: CountryCode
    public var gpuHours: Double
    public var operations: Double
    public var maxOperations: Double
    public var biological: Bool
    /// Chips used at once (records given as start/end × chip count), else 0.
    public var chipCount: Int32
    /// Theoretical peak operations/s of one chip, for estimating a cluster's size from usage.
    public var chipPeak: Double
    /// File line, for messages.
    public var line: Int

    public init(ownerHQ: CountryCode, gpuHours: Double, operations: Double, maxOperations: Double, biological: Bool,
                chipCount: Int32, chipPeak: Double, line: Int) {
        self.ownerHQ = ownerHQ
        self.gpuHours = gpuHours
        self.operations = operations
        self.maxOperations = maxOperations
        self.biological = biological
        self.chipCount = chipCount
        self.chipPeak = chipPeak
        self.line = line
    }
}

/// Aggregates usage records per training run — (beneficial owner, `run` label) — and so per owner,
/// across accounts and resellers, in one streaming pass. Memory grows with the number of runs, not
/// of records. Records without a label form one run per owner (the owner's unlabelled usage),
/// which treats usage split across accounts as possibly one run.
///
/// Built for 10 million shuffled records: a record touches one slot of an open-addressing table,
/// keyed by a 128-bit hash of the owner's name and the run label (a collision between two of a
/// million names has a probability below 10^-26), holding the run's totals and its first four
/// accounts (by 64-bit hash), resellers and clusters. Names are interned only when a run, or an
/// account of a run, is first seen; larger sets spill into side tables.
public struct UsageAggregator: Sendable {
    public var owners = ByteInterner(capacity: 1024)
    public var accounts = ByteInterner(capacity: 1024)
    public var resellers = ByteInterner(capacity: 64)
    public var clusters = ByteInterner(capacity: 64)
    public var runNames = ByteInterner(capacity: 64)

    /// Totals of one training run, with the accounts, resellers and clusters it used.
    public struct RunTotals: Sendable {
        public var owner: Int32
        /// The run's label id in `runNames`, or -1 for the owner's unlabelled usage.
        public var label: Int32
        public var operations: Double
        public var maxOperations: Double
        public var biologicalOperations: Double
        public var gpuHours: Double
        public var records: Int
        public var accounts: [Int32]
        public var resellers: [Int32]
        public var clusters: [Int32]
        /// Headquarters on the run's first record, and a different one given later (with its line).
        public var headquarters: CountryCode
        public var headquartersConflict: (CountryCode, Int)?
    }

    struct RunSlot: Sendable {
        var k1: UInt64 = 0
        var k2: UInt64 = 0
        var operations = 0.0
        var maxOperations = 0.0
        var biologicalOperations = 0.0
        var gpuHours = 0.0
        var records: Int32 = 0
        /// -1 marks an empty slot.
        var owner: Int32 = -1
        var label: Int32 = -1
        /// Dense run number (order first seen).
        var ordinal: Int32 = 0
        var accounts: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var resellers = SmallIDSet()
        var clusters = SmallIDSet()
        var headquarters = CountryCode.unitedStates
        var conflictHeadquarters = CountryCode.unitedStates
        var conflictLine: Int32 = 0
    }

    private var slots: [RunSlot]
    private var mask: Int
    public private(set) var runCount = 0
    /// (run ordinal, account id) for every distinct account of a run, in order first seen.
    private var runAccountIDs: [(Int32, Int32)] = []
    /// Accounts of runs with more than four: (ordinal, account hash).
    private var spilledAccounts = Set<SpillKey>()
    private var spilledResellers = PairMap(capacity: 16)
    private var spilledClusters = PairMap(capacity: 16)

    struct SpillKey: Hashable, Sendable {
        var ordinal: Int32
        var hash: UInt64
    }

    /// Per cluster id: the largest chips × peak seen on one record, and the number of records.
    public private(set) var clusterObservedPeak: [Double] = []
    public private(set) var clusterRecords: [Int] = []
    public private(set) var records = 0

    public init(expectedRuns: Int = 4096) {
        var size = 16
        while size < expectedRuns * 2 { size <<= 1 }
        slots = [RunSlot](repeating: RunSlot(), count: size)
        mask = size - 1
    }

    /// Adds one record. `owner`, `account` and `run` are the record's (trimmed) bytes, `run` empty
    /// when unlabelled; `reseller` and `cluster` are ids from this aggregator's interners, or -1.
    public mutating func add(owner: UnsafeBufferPointer<UInt8>, account: UnsafeBufferPointer<UInt8>,
                             run: UnsafeBufferPointer<UInt8>, reseller: Int32, cluster: Int32, _ f: UsageFigures) {
        var batch = UsageBatch(capacity: 1)
        batch.append(owner: owner, account: account, run: run, reseller: reseller, cluster: cluster, f)
        add(batch)
    }

    /// Adds a batch of records. Each record's run slot is one cache miss on large inputs; applying
    /// records in batches lets the processor overlap those misses instead of taking them one by one
    /// between parses.
    public mutating func add(_ batch: UsageBatch) {
        records += batch.entries.count
        batch.entries.withUnsafeBufferPointer { entries in
            batch.names.withUnsafeBufferPointer { names in
                for e in entries { apply(e, names) }
            }
        }
    }

    @inline(__always)
    private mutating func apply(_ e: UsageBatch.Entry, _ names: UnsafeBufferPointer<UInt8>) {
        @inline(__always) func bytes(_ range: (Int32, Int32)) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: names[Int(range.0)..<Int(range.1)])
        }
        let k1 = e.k1, k2 = e.k2, f = e.figures
        let mask = self.mask
        var index = Int(truncatingIfNeeded: k1 ^ (k1 >> 29)) & mask
        var created = false
        var accountIsNew = false
        var spillAccount = false
        var spillReseller = false
        var spillCluster = false
        var ordinal: Int32 = 0
        slots.withUnsafeMutableBufferPointer { slots in
            while slots[index].owner >= 0 && (slots[index].k1 != k1 || slots[index].k2 != k2) {
                index = (index + 1) & mask
            }
            if slots[index].owner < 0 { created = true; return }
            (accountIsNew, spillAccount, spillReseller, spillCluster) = Self.update(&slots[index], e.accountHash, e.reseller, e.cluster, f)
            ordinal = slots[index].ordinal
        }
        if created {
            ordinal = Int32(runCount)
            var slot = RunSlot()
            slot.k1 = k1
            slot.k2 = k2
            slot.owner = owners.intern(bytes(e.owner))
            slot.label = e.run.0 == e.run.1 ? -1 : runNames.intern(bytes(e.run))
            slot.ordinal = ordinal
            slot.headquarters = f.ownerHQ
            (accountIsNew, spillAccount, spillReseller, spillCluster) = Self.update(&slot, e.accountHash, e.reseller, e.cluster, f)
            slots[index] = slot
            runCount += 1
            if runCount * 2 > slots.count { grow() }
        }
        if spillAccount {
            accountIsNew = spilledAccounts.insert(SpillKey(ordinal: ordinal, hash: e.accountHash)).inserted
        }
        if accountIsNew { runAccountIDs.append((ordinal, accounts.intern(bytes(e.account)))) }
        if spillReseller { _ = spilledResellers.insert(PairMap.key(ordinal, e.reseller)) }
        if spillCluster { _ = spilledClusters.insert(PairMap.key(ordinal, e.cluster)) }

        if e.cluster >= 0 {
            let c = Int(e.cluster)
            while clusterObservedPeak.count <= c {
                clusterObservedPeak.append(0)
                clusterRecords.append(0)
            }
            clusterRecords[c] += 1
            if f.chipCount > 0 {
                let peak = Double(f.chipCount) * f.chipPeak
                if peak > clusterObservedPeak[c] { clusterObservedPeak[c] = peak }
            }
        }
    }

    /// Adds the figures to a slot; returns (account new inline, account spills, reseller spills, cluster spills).
    @inline(__always)
    private static func update(_ slot: inout RunSlot, _ accountHash: UInt64, _ reseller: Int32, _ cluster: Int32,
                               _ f: UsageFigures) -> (Bool, Bool, Bool, Bool) {
        slot.operations += f.operations
        slot.maxOperations += f.maxOperations
        if f.biological { slot.biologicalOperations += f.operations }
        slot.gpuHours += f.gpuHours
        slot.records += 1
        if slot.headquarters != f.ownerHQ, slot.conflictLine == 0 {
            slot.conflictHeadquarters = f.ownerHQ
            slot.conflictLine = Int32(truncatingIfNeeded: f.line)
        }
        var accountIsNew = false, accountSpills = false
        let a = slot.accounts
        if a.0 != accountHash && a.1 != accountHash && a.2 != accountHash && a.3 != accountHash {
            if a.0 == 0 { slot.accounts.0 = accountHash; accountIsNew = true }
            else if a.1 == 0 { slot.accounts.1 = accountHash; accountIsNew = true }
            else if a.2 == 0 { slot.accounts.2 = accountHash; accountIsNew = true }
            else if a.3 == 0 { slot.accounts.3 = accountHash; accountIsNew = true }
            else { accountSpills = true }
        }
        let resellerSpills = reseller >= 0 && !slot.resellers.insert(reseller)
        let clusterSpills = cluster >= 0 && !slot.clusters.insert(cluster)
        return (accountIsNew, accountSpills, resellerSpills, clusterSpills)
    }

    private mutating func grow() {
        let old = slots
        slots = [RunSlot](repeating: RunSlot(), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.owner >= 0 {
            var i = Int(truncatingIfNeeded: slot.k1 ^ (slot.k1 >> 29)) & mask
            while slots[i].owner >= 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }

    /// Every run with its totals and the accounts, resellers and clusters it used, in the order
    /// runs were first seen.
    public func runs() -> [RunTotals] {
        var accountsByRun = [[Int32]](repeating: [], count: runCount)
        for (ordinal, account) in runAccountIDs { accountsByRun[Int(ordinal)].append(account) }
        var extraResellers = [[Int32]](repeating: [], count: runCount)
        spilledResellers.forEach { key, _ in extraResellers[Int(Int32(truncatingIfNeeded: key >> 32))].append(Int32(truncatingIfNeeded: key)) }
        var extraClusters = [[Int32]](repeating: [], count: runCount)
        spilledClusters.forEach { key, _ in extraClusters[Int(Int32(truncatingIfNeeded: key >> 32))].append(Int32(truncatingIfNeeded: key)) }
        var out = [RunTotals?](repeating: nil, count: runCount)
        for slot in slots where slot.owner >= 0 {
            let o = Int(slot.ordinal)
            out[o] = RunTotals(
                owner: slot.owner, label: slot.label, operations: slot.operations, maxOperations: slot.maxOperations,
                biologicalOperations: slot.biologicalOperations, gpuHours: slot.gpuHours, records: Int(slot.records),
                accounts: accountsByRun[o], resellers: slot.resellers.ids + extraResellers[o].sorted(),
                clusters: slot.clusters.ids + extraClusters[o].sorted(), headquarters: slot.headquarters,
                headquartersConflict: slot.conflictLine == 0 ? nil : (slot.conflictHeadquarters, Int(slot.conflictLine)))
        }
        return out.map { $0! }
    }
}
