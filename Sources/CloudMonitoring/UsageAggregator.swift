import DiffusionRules

/// One IaaS usage record reduced to ids and figures (see ``UsageAggregator/add(_:)``).
///
/// Units: GPU-hours; operations (hours × 3600 × peak FLOP/s at the record's precision × utilization);
/// `maxOperations` at full utilization of the chip's 8-bit peak (an upper bound).
public struct UsageEntry: Sendable {
    public var owner: Int32
    public var ownerHQ: CountryCode
    public var account: Int32
    /// -1 when the record names no reseller.
    public var reseller: Int32
    /// -1 when the record names no cluster.
    public var cluster: Int32
    /// -1 when the record names no training run.
    public var run: Int32
    public var gpuHours: Double
    public var operations: Double
    public var maxOperations: Double
    public var biological: Bool
    /// Chips used at once (records given as start/end × chip count), else 0.
    public var chipCount: Int32
    /// 8-bit peak operations/s of one chip, for estimating a cluster's size from usage.
    public var chipPeak8: Double
    /// File line, for messages.
    public var line: Int

    public init(owner: Int32, ownerHQ: CountryCode, account: Int32, reseller: Int32, cluster: Int32, run: Int32,
                gpuHours: Double, operations: Double, maxOperations: Double, biological: Bool, chipCount: Int32,
                chipPeak8: Double, line: Int) {
        self.owner = owner
        self.ownerHQ = ownerHQ
        self.account = account
        self.reseller = reseller
        self.cluster = cluster
        self.run = run
        self.gpuHours = gpuHours
        self.operations = operations
        self.maxOperations = maxOperations
        self.biological = biological
        self.chipCount = chipCount
        self.chipPeak8 = chipPeak8
        self.line = line
    }
}

/// Aggregates usage records per beneficial owner and per training run, across accounts and
/// resellers, in one streaming pass: memory grows with the number of owners, runs and distinct
/// (run, account) pairs, not with the number of records.
///
/// A run is (beneficial owner, `run` label). Records without a label form one run per owner (the
/// owner's unlabelled usage), which treats usage split across accounts as possibly one run.
public struct UsageAggregator: Sendable {
    public var owners = ByteInterner(capacity: 4096)
    public var accounts = ByteInterner(capacity: 4096)
    public var resellers = ByteInterner(capacity: 64)
    public var clusters = ByteInterner(capacity: 64)
    public var runNames = ByteInterner(capacity: 4096)

    // Per owner (indexed by owner id).
    public private(set) var ownerHQ: [CountryCode] = []
    /// A second headquarters seen for the owner (conflicting records), with its line.
    public private(set) var ownerHQConflict: [(CountryCode, Int)?] = []
    public private(set) var ownerRecords: [Int] = []
    public private(set) var ownerGPUHours: [Double] = []
    public private(set) var ownerOperations: [Double] = []
    public private(set) var ownerMaxOperations: [Double] = []
    public private(set) var ownerFirstLine: [Int] = []

    // Per run (indexed by run index).
    public private(set) var runOwner: [Int32] = []
    /// The run's label id in `runNames`, or -1 for the owner's unlabelled usage.
    public private(set) var runLabel: [Int32] = []
    public private(set) var runOperations: [Double] = []
    public private(set) var runMaxOperations: [Double] = []
    public private(set) var runBiologicalOperations: [Double] = []
    public private(set) var runGPUHours: [Double] = []
    public private(set) var runRecords: [Int] = []
    private var runIndex = PairMap(capacity: 4096)

    // Distinct pairs: (run, account), (run, reseller), (run, cluster).
    public private(set) var runAccounts = PairMap(capacity: 4096)
    public private(set) var runResellers = PairMap(capacity: 1024)
    public private(set) var runClusters = PairMap(capacity: 1024)
    private var lastRunKey: UInt64 = .max
    private var lastRun: Int32 = -1
    private var lastAccountPair: UInt64 = .max
    private var lastResellerPair: UInt64 = .max
    private var lastClusterPair: UInt64 = .max

    // Per cluster (indexed by cluster id): the largest chips × 8-bit peak seen on one record.
    public private(set) var clusterObservedPeak: [Double] = []
    public private(set) var clusterRecords: [Int] = []

    public private(set) var records = 0

    public init() {}

    /// Adds one record. Ids come from this aggregator's interners.
    @inline(__always)
    public mutating func add(_ entry: UsageEntry) {
        records += 1
        let owner = Int(entry.owner)
        if owner == ownerHQ.count {
            ownerHQ.append(entry.ownerHQ)
            ownerHQConflict.append(nil)
            ownerRecords.append(0)
            ownerGPUHours.append(0)
            ownerOperations.append(0)
            ownerMaxOperations.append(0)
            ownerFirstLine.append(entry.line)
        } else if ownerHQ[owner] != entry.ownerHQ, ownerHQConflict[owner] == nil {
            ownerHQConflict[owner] = (entry.ownerHQ, entry.line)
        }
        ownerRecords[owner] += 1
        ownerGPUHours[owner] += entry.gpuHours
        ownerOperations[owner] += entry.operations
        ownerMaxOperations[owner] += entry.maxOperations

        let runKey = PairMap.key(entry.owner, entry.run)
        let run: Int32
        if runKey == lastRunKey {
            run = lastRun
        } else {
            let next = Int32(runOwner.count)
            let (found, inserted) = runIndex.value(for: runKey) { next }
            if inserted {
                runOwner.append(entry.owner)
                runLabel.append(entry.run)
                runOperations.append(0)
                runMaxOperations.append(0)
                runBiologicalOperations.append(0)
                runGPUHours.append(0)
                runRecords.append(0)
            }
            run = found
            lastRunKey = runKey
            lastRun = run
        }
        let r = Int(run)
        runOperations[r] += entry.operations
        runMaxOperations[r] += entry.maxOperations
        if entry.biological { runBiologicalOperations[r] += entry.operations }
        runGPUHours[r] += entry.gpuHours
        runRecords[r] += 1

        let accountPair = PairMap.key(run, entry.account)
        if accountPair != lastAccountPair {
            _ = runAccounts.insert(accountPair)
            lastAccountPair = accountPair
        }
        if entry.reseller >= 0 {
            let pair = PairMap.key(run, entry.reseller)
            if pair != lastResellerPair {
                _ = runResellers.insert(pair)
                lastResellerPair = pair
            }
        }
        if entry.cluster >= 0 {
            let pair = PairMap.key(run, entry.cluster)
            if pair != lastClusterPair {
                _ = runClusters.insert(pair)
                lastClusterPair = pair
            }
            let c = Int(entry.cluster)
            while clusterObservedPeak.count <= c {
                clusterObservedPeak.append(0)
                clusterRecords.append(0)
            }
            clusterRecords[c] += 1
            let peak = Double(entry.chipCount) * entry.chipPeak8
            if peak > clusterObservedPeak[c] { clusterObservedPeak[c] = peak }
        }
    }

    /// Number of runs.
    public var runCount: Int { runOwner.count }

    /// The runs of each owner, by owner id.
    public func runsByOwner() -> [[Int]] {
        var out = [[Int]](repeating: [], count: ownerHQ.count)
        for (run, owner) in runOwner.enumerated() { out[Int(owner)].append(run) }
        return out
    }

    /// Ids paired with each run in a pair map (accounts, resellers or clusters of each run).
    public func members(of pairs: PairMap) -> [[Int32]] {
        var out = [[Int32]](repeating: [], count: runOwner.count)
        pairs.forEach { key, _ in
            let run = Int(Int32(bitPattern: UInt32(key >> 32)))
            out[run].append(Int32(bitPattern: UInt32(key & 0xFFFF_FFFF)))
        }
        return out
    }
}
