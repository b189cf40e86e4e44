import DiffusionRules

/// One training run of a beneficial owner, aggregated across accounts and resellers.
public struct RunReport: Sendable {
    /// The run label, or `(unlabelled)` for the owner's usage without one.
    public var label: String
    public var operations: Double
    /// At full utilization of the chips' 8-bit peak (upper bound).
    public var maxOperations: Double
    public var gpuHours: Double
    public var records: Int
    public var accounts: Int
    public var resellers: Int
    /// Share of the run's operations on biological sequence data.
    public var biologicalShare: Double
    /// Whether the biological threshold applies to the run.
    public var biological: Bool
    /// The threshold that applies (operations) and how it is compared.
    public var threshold: OperationsThreshold
    public var overThreshold: Bool
    /// Under the threshold at the stated utilization, over it at full 8-bit peak (said as a warning).
    public var possiblyOver: Bool
}

/// A beneficial owner: cumulative usage, runs, flags and reasons.
public struct OwnerReport: Sendable {
    public var owner: String
    public var headquarters: CountryCode
    /// A different headquarters given on another record, with its line.
    public var headquartersConflict: (CountryCode, Int)?
    public var accounts: [String]
    public var resellers: [String]
    public var clusters: [String]
    public var records: Int
    public var gpuHours: Double
    /// Cumulative operations over all runs.
    public var operations: Double
    public var maxOperations: Double
    /// Runs, largest first.
    public var runs: [RunReport]
    /// Flag codes: `training-run`, `cumulative`, `red-flag-28`, and, for an
    /// owner already flagged, `cip-missing` and `cip-unverified`. Clusters meeting the cluster
    /// criteria are listed in ``CloudReport/clusters`` (and noted in the owner's warnings).
    public var flags: [String]
    public var reasons: [Reason]
    public var warnings: [String]
    public var customers: [CustomerRecord]

    public var flagged: Bool { !flags.isEmpty }
}

/// A cluster tested against the cluster criteria.
public struct ClusterReport: Sendable {
    public var name: String
    public var peakOperationsPerSecond: Double
    /// `clusters file` or `usage (largest chips x peak on one record; a lower bound)`.
    public var peakBasis: String
    public var networkGbps: Double?
    /// nil when networking is unknown.
    public var meetsCriteria: Bool?
    public var meetsPeak: Bool
    public var owners: Int
    public var records: Int
}

/// The result of `cloud report`: owners with their cumulative operations, flags and reasons.
public struct CloudReport: Sendable {
    public var criteria: CloudCriteria
    public var asOf: Day
    /// Owners, flagged first, then by cumulative operations (largest first).
    public var owners: [OwnerReport]
    public var clusters: [ClusterReport]
    public var records: Int
    public var accountCount: Int
    public var resellerCount: Int
    public var warnings: [String]
}
