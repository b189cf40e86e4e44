import ComputeMetrics
import DiffusionRules

/// Where a hold stands. A committed row that needs a licence starts `open`; an officer releases
/// it against a licence, rejects it, or escalates it (an escalated hold is still undecided).
public enum HoldStatus: String, Sendable, Hashable, CaseIterable {
    case open, escalated, released, rejected

    /// Open and escalated holds are still waiting for a decision.
    public var isPending: Bool { self == .open || self == .escalated }
}

/// What an officer does with a hold.
public enum HoldAction: String, Sendable, Hashable, CaseIterable {
    case release, reject, escalate

    var target: HoldStatus {
        switch self {
        case .release: return .released
        case .reject: return .rejected
        case .escalate: return .escalated
        }
    }
}

/// What a licence limits: the shipments' TPP, or their units.
public enum LicenceUnit: String, Sendable, Hashable {
    case tpp, units
}

/// A licence to record: a number, validity and a limit, optionally restricted to a destination
/// and an ultimate consignee. Dates are inclusive; a licence expires at the end of `expires` (UTC).
///
/// ```swift
/// LicenceSpec(number: "D1234567", issued: Day("2025-01-15")!, expires: Day("2027-01-14")!,
///             unit: .tpp, limit: TPP(whole: 20_000_000))
/// ```
public struct LicenceSpec: Sendable, Hashable {
    public var number: String
    public var issued: Day
    public var expires: Day
    public var unit: LicenceUnit
    /// TPP (``LicenceUnit/tpp``) or units (``LicenceUnit/units``, whole numbers) the licence allows.
    public var limit: TPP
    public var destination: CountryCode?
    public var consignee: String?

    public init(number: String, issued: Day, expires: Day, unit: LicenceUnit, limit: TPP,
                destination: CountryCode? = nil, consignee: String? = nil) {
        self.number = number
        self.issued = issued
        self.expires = expires
        self.unit = unit
        self.limit = limit
        self.destination = destination
        self.consignee = consignee
    }

    /// The ledger cap that holds the licence's limit and use.
    public var capName: String { "licence/\(number)" }

    /// `licence_tpp` or `licence_units`: the cap kind.
    var capKind: String { "licence_\(unit.rawValue)" }

    /// The first second after the licence's last valid day.
    public var expiresAt: String { "\(expires.next)T00:00:00Z" }
}

/// A licence as recorded, with its use from the ledger's `licence/<number>` cap.
public struct Licence: Sendable, Hashable {
    public var spec: LicenceSpec
    /// `active` or `expired` (an expiry is recorded at the first write after the licence's end).
    public var status: String
    /// Debited by releases: TPP, or units (as whole numbers in a ``TPP``).
    public var used: TPP
    /// The limit as stored: equal to `used` once the licence has expired.
    public var storedLimit: TPP
    public var createdAt: String
    public var createdBy: ActingToken?
    /// The event that recorded it.
    public var sequence: Int64

    /// What is left: zero once expired.
    public var remaining: TPP { status == "active" ? spec.limit - used : .zero }
}

/// One decision taken on a hold.
public struct HoldDecisionRecord: Sendable, Hashable {
    public var sequence: Int64
    public var action: HoldAction
    public var to: HoldStatus
    public var licence: String?
    /// Debited from the licence (TPP thousandths, or units x 1000).
    public var debitMilli: Int64?
    public var note: String?
    public var by: ActingToken?
    public var at: String
}

/// A held row: its determination (current: the committed one, or the latest a recheck recorded),
/// its input and the decisions taken on it.
public struct Hold: Sendable, Hashable {
    /// The hold's id: the ledger sequence of the determination event that opened it.
    public var id: Int64
    public var run: Int64
    public var row: String
    public var status: HoldStatus
    public var quantity: Int64
    /// The row as given (header and row of a transactions CSV).
    public var inputCSV: String
    /// The determination as `screen --format jsonl` printed it (one JSON object).
    public var determinationJSON: String
    /// The event that recorded `determinationJSON` (the opening determination, or a recheck).
    public var determinationSequence: Int64
    public var createdAt: String
    public var decisions: [HoldDecisionRecord]
    /// The last recheck that changed the determination: event, regime and date of the rules.
    public var recheck: (sequence: Int64, regime: String, asOf: String)?

    public static func == (a: Hold, b: Hold) -> Bool {
        a.id == b.id && a.status == b.status && a.determinationJSON == b.determinationJSON && a.decisions == b.decisions
            && a.determinationSequence == b.determinationSequence
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// A decision on a hold, as asked.
public struct HoldDecision: Sendable {
    public enum LicenceChoice: Sendable {
        /// A licence already recorded.
        case existing(String)
        /// A licence recorded in the same transaction (or, if one with this number and the same
        /// terms exists, that one).
        case new(LicenceSpec)
    }

    public var hold: Int64
    public var action: HoldAction
    public var licence: LicenceChoice?
    public var note: String?
    public var actor: ActingToken?

    public init(hold: Int64, action: HoldAction, licence: LicenceChoice? = nil, note: String? = nil, actor: ActingToken? = nil) {
        self.hold = hold
        self.action = action
        self.licence = licence
        self.note = note
        self.actor = actor
    }
}

/// A hold's new determination found by a recheck.
public struct RecheckChange: Sendable {
    public var hold: Int64
    public var determinationJSON: String

    public init(hold: Int64, determinationJSON: String) {
        self.hold = hold
        self.determinationJSON = determinationJSON
    }
}

/// An API token as recorded: only the SHA-256 of the secret is kept.
public struct TokenRecord: Sendable, Hashable {
    public var name: String
    public var role: String
    public var sha256: String
    public var status: String
    public var createdAt: String
    public var createdBy: ActingToken?
    public var sequence: Int64

    public var isActive: Bool { status == "active" }
}

/// A committed run: the input it was committed from and its rows' determination events.
public struct RunRecord: Sendable {
    public var id: Int64
    public var fileSHA256: String
    public var fileName: String
    public var regime: String
    public var recordedAt: String
    /// Row id and determination JSON of each event, in order, with its sequence.
    public var rows: [(sequence: Int64, rowID: String, determinationJSON: String)]
}
