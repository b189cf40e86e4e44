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
    /// Set for a row that needs a licence: the row becomes a hold (status `open`) in the same
    /// transaction, with the input it was screened from.
    public var hold: HoldInput?

    public init(rowID: String, determinationJSON: String, debits: [Debit], installedBaseAddition: InstalledBaseEntry?,
                date: Day? = nil, hold: HoldInput? = nil) {
        self.rowID = rowID
        self.determinationJSON = determinationJSON
        self.debits = debits
        self.installedBaseAddition = installedBaseAddition
        self.date = date
        self.hold = hold
    }
}

/// What a hold keeps of the row it holds: the units shipped (a units licence is debited by them)
/// and the row as given, as a two-line transactions CSV (header and row), so that a recheck can
/// screen it again under other rules.
public struct HoldInput: Sendable, Hashable {
    public var quantity: Int64
    public var inputCSV: String

    public init(quantity: Int64, inputCSV: String) {
        self.quantity = quantity
        self.inputCSV = inputCSV
    }
}

/// The bearer token on whose authority an event is recorded (its name and role; never the secret).
public struct ActingToken: Sendable, Hashable {
    public var name: String
    public var role: String

    public init(name: String, role: String) {
        self.name = name
        self.role = role
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

    /// A client's idempotency key for this commit (HTTP `Idempotency-Key`): recorded as a `request`
    /// event; the same key with other content is refused (``LedgerError/Code/conflict``).
    public var requestKey: String?
    /// The token that asked for the commit (recorded in every determination event), if any.
    public var actor: ActingToken?

    public init(fileSHA256: String, fileName: String, regime: String, recordedAt: String, rulePackSHA256: String = "",
                requestKey: String? = nil, actor: ActingToken? = nil) {
        self.fileSHA256 = fileSHA256
        self.fileName = fileName
        self.regime = regime
        self.recordedAt = recordedAt
        self.rulePackSHA256 = rulePackSHA256
        self.requestKey = requestKey
        self.actor = actor
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
    /// What kind of problem, for adapters that answer with a status (HTTP 400/404/409).
    public enum Code: String, Sendable {
        /// The request itself is malformed (nothing recorded).
        case invalid
        /// A hold, licence, token or run that does not exist.
        case notFound
        /// The request contradicts what is recorded: a decided hold, a reused idempotency key or
        /// licence number, or a release the store refused (licence used up or expired).
        case conflict
    }

    public var message: String
    public var code: Code?
    public init(_ message: String, code: Code? = nil) {
        self.message = message
        self.code = code
    }
    public var description: String { message }
}
