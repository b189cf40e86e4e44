import ComputeMetrics
import DiffusionRules

/// One screened row to record: its determination (as the JSON the tool printed), the debits it
/// draws and what it adds to a holder's installed base.
public struct LedgerRecord: Sendable {
    public var rowID: String
    /// The determination as one JSON object (the `jsonl` output line, without newline).
    public var determinationJSON: String
    public var debits: [Debit]
    public var installedBaseAddition: InstalledBaseEntry?
    /// The row's date: cap limits are resolved from the rule pack on this day.
    public var date: Day?

    public init(rowID: String, determinationJSON: String, debits: [Debit], installedBaseAddition: InstalledBaseEntry?,
                date: Day? = nil) {
        self.rowID = rowID
        self.determinationJSON = determinationJSON
        self.debits = debits
        self.installedBaseAddition = installedBaseAddition
        self.date = date
    }
}

/// Part of a holder's installed base in one country (TPP of counted ECCNs).
public struct InstalledBaseEntry: Sendable, Hashable {
    public var holder: String
    public var country: CountryCode
    public var tpp: TPP
    /// Date the figure refers to (fleet files), if given.
    public var asOf: Day?

    public init(holder: String, country: CountryCode, tpp: TPP, asOf: Day? = nil) {
        self.holder = holder
        self.country = country
        self.tpp = tpp
        self.asOf = asOf
    }
}

/// What a committed (or replayed) run is about.
public struct RunInfo: Sendable {
    /// SHA-256 of the input file, hex.
    public var fileSHA256: String
    public var fileName: String
    public var regime: String
    /// When it was recorded (`YYYY-MM-DDTHH:MM:SSZ`, from the caller's clock: ``LedgerClock``).
    public var recordedAt: String
    /// Version of the rule pack the determinations were reached under (SHA-256 of the regime and
    /// its layers), written into each signed receipt.
    public var rulePackSHA256: String

    public init(fileSHA256: String, fileName: String, regime: String, recordedAt: String, rulePackSHA256: String = "") {
        self.fileSHA256 = fileSHA256
        self.fileName = fileName
        self.regime = regime
        self.recordedAt = recordedAt
        self.rulePackSHA256 = rulePackSHA256
    }
}

/// Looks up the limit of a cap under the caller's rule pack on a day (``CompiledRegime/capLimit(for:on:)``).
public typealias CapLimitLookup = @Sendable (CapKey, Day) -> CapLimit?

/// The outcome of a commit.
public enum CommitOutcome: Sendable {
    /// Rows were recorded; `firstSequence...lastSequence` are their positions in the chain.
    case recorded(runID: Int64, firstSequence: Int64, lastSequence: Int64)
    /// The file was committed before: the stored determinations (JSON, by row id, in file order) are
    /// returned and nothing is debited.
    case replayed(runID: Int64, regime: String, determinations: [(rowID: String, json: String)])

    public var runID: Int64 {
        switch self {
        case let .recorded(runID, _, _), let .replayed(runID, _, _): return runID
        }
    }
}

/// The state of one cap: TPP confirmed (debited), TPP reserved by pending licence applications,
/// and the limit recorded from the rule pack (nil: no absolute limit, as for UVEU shares).
public struct CapBalance: Sendable, Hashable {
    public var cap: String
    public var kind: String
    public var party: String?
    public var country: CountryCode?
    public var year: Int?
    /// Confirmed: committed determinations, granted debits and granted reservations.
    public var used: TPP
    /// Held by open reservations (licence applications not yet granted, denied or expired).
    public var reserved: TPP
    public var limit: TPP?
    public var debitCount: Int

    /// What is left for new debits or reservations: limit - used - reserved.
    public var available: TPP? { limit.map { $0 - used - reserved } }
}

/// What `ledger verify` found.
public struct VerificationReport: Sendable {
    public var events: Int
    public var problems: [String]
    public var ok: Bool { problems.isEmpty }
}

/// A ledger problem: a one-line message (database not ours, unreadable, tampered, cap refused, ...).
public struct LedgerError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
