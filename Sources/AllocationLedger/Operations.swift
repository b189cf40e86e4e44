import ComputeMetrics
import DiffusionRules

/// A request to debit one or more caps at once (all or none), identified by an idempotency key.
///
/// Submitting the same key again returns the first result and debits nothing, whatever the
/// amounts in the retry (TigerBeetle's "idempotent ids").
public struct DebitRequest: Sendable, Hashable {
    /// Unique per request (at most 200 bytes). Keys of screened rows are `<file sha256>/<row id>`.
    public var key: String
    /// Caps and amounts (TPP, thousandths in storage). A cap may appear once.
    public var debits: [Debit]
    /// Day whose rule pack gives the cap limits (the shipment date).
    public var date: Day

    public init(key: String, debits: [Debit], date: Day) {
        self.key = key
        self.debits = debits
        self.date = date
    }
}

/// The result of a debit or reservation request.
public struct DebitResult: Sendable, Hashable {
    public var key: String
    /// True when every cap was debited; false when none was (``reason`` says which cap refused).
    public var granted: Bool
    /// Why a request was refused; nil when granted.
    public var reason: String?
    /// Position of the request's event in the chain.
    public var sequence: Int64
    /// True when this is the stored result of an earlier submission of the same key.
    public var replayed: Bool

    public init(key: String, granted: Bool, reason: String?, sequence: Int64, replayed: Bool) {
        self.key = key
        self.granted = granted
        self.reason = reason
        self.sequence = sequence
        self.replayed = replayed
    }
}

/// A licence application holding allocation until it is granted, denied or expires.
public struct ReservationRequest: Sendable, Hashable {
    /// The application's id: the reservation's idempotency key.
    public var id: String
    public var debits: [Debit]
    public var date: Day
    /// When the reservation lapses (`YYYY-MM-DDTHH:MM:SSZ`): the first write at or after this time
    /// releases it.
    public var expiresAt: String

    public init(id: String, debits: [Debit], date: Day, expiresAt: String) {
        self.id = id
        self.debits = debits
        self.date = date
        self.expiresAt = expiresAt
    }
}

/// Where a reservation stands.
public enum ReservationState: String, Sendable, Hashable {
    /// Holding allocation (reserved, not confirmed).
    case reserved
    /// Confirmed by a grant: the amounts moved from reserved to used.
    case granted
    /// Released by a denial.
    case denied
    /// Released because it reached its expiry time.
    case expired
    /// Never held anything: a cap had too little left when it was requested.
    case refused
}

/// A reservation as stored.
public struct Reservation: Sendable, Hashable {
    public var id: String
    public var state: ReservationState
    public var debits: [Debit]
    public var expiresAt: String
    /// Event that created it and, once closed, the event that granted, denied or expired it.
    public var openedAt: Int64
    public var closedAt: Int64?
    public var reason: String?
}

/// The balance of one cap at the end of a past day, recomputed from the events.
public struct CapHistory: Sendable {
    public var cap: String
    public var asOf: Day
    public var used: TPP
    public var reserved: TPP
    public var limit: TPP?
    /// Events that moved the cap up to that day: sequence, time, kind, used and reserved deltas.
    public var movements: [(sequence: Int64, recordedAt: String, kind: String, used: TPP, reserved: TPP)]
}
