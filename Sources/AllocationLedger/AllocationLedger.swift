import ComputeMetrics
import DiffusionRules
import Foundation

/// The allocation ledger: compute caps (TPP) as store invariants, an append-only hash-chained
/// event log, idempotent requests, reservations and signed decision receipts.
///
/// Two backends implement it with the same semantics (``LedgerCore`` holds them; each backend
/// only runs statements): ``SQLiteLedger`` (a file, GRDB; the embedded default) and
/// ``PostgresLedger`` (postgres-nio). Open either with ``Ledgers/open(_:create:signingKey:)``.
///
/// Where each guarantee is enforced:
/// - **Caps never over-issued**: the `caps` table's CHECK constraint `used + reserved <= limit`
///   (``LedgerSchema``), in the same transaction as the event insert; the engine's decisions are
///   made under the ledger's write lock (``LedgerBackend/write(_:)``).
/// - **All or none**: one transaction per commit, debit batch or reservation change.
/// - **Idempotency**: the unique `events.idempotency_key`; a retry returns the stored result.
/// - **Audit trail**: `events.hash` chains every stored field of every event; ``verify()``.
/// - **Receipts**: Ed25519 over rule-pack version, input, result and ledger position (``Receipts``).
public protocol AllocationLedger: AnyObject, Sendable {
    /// A path or a URL without its password.
    var location: String { get }

    /// Commits one screened file: if the file (by SHA-256) was committed before, returns the stored
    /// determinations and records nothing; otherwise runs `evaluate` inside the write transaction
    /// against the balances at that moment and records every record it returns, with a signed
    /// receipt per row, atomically. `limits` gives each debited cap's limit from the rule pack.
    func commit(run: RunInfo, limits: CapLimitLookup?, evaluate: (CapSnapshot) throws -> [LedgerRecord]) throws -> CommitOutcome

    /// Debits caps directly, one all-or-none request at a time, in one transaction for the batch.
    /// A request whose key was seen before returns its first result.
    func debit(_ requests: [DebitRequest], at time: String, limits: CapLimitLookup) throws -> [DebitResult]

    /// Reserves allocation for a licence application (idempotent per id).
    func reserve(_ request: ReservationRequest, at time: String, limits: CapLimitLookup) throws -> DebitResult
    /// Confirms a reservation: its amounts move from reserved to used.
    func grant(reservation id: String, at time: String) throws -> (Reservation, replayed: Bool)
    /// Releases a reservation (licence denied).
    func deny(reservation id: String, at time: String) throws -> (Reservation, replayed: Bool)
    /// Releases every reservation whose expiry is at or before `time`; returns how many.
    func expire(at time: String) throws -> Int
    func reservation(id: String) throws -> Reservation?

    /// Adds a holder's installed base (a fleet file), once per file SHA-256; returns rows added.
    func seedFleet(fileSHA256: String, fileName: String, recordedAt: String, entries: [(line: Int, entry: InstalledBaseEntry)]) throws -> Int

    func snapshot() throws -> CapSnapshot
    /// The balances and the chain position they were read at, reusing `cached` if nothing was recorded since.
    func snapshot(reusing cached: (sequence: Int64, snapshot: CapSnapshot)?) throws -> (sequence: Int64, snapshot: CapSnapshot)
    func balances() throws -> [CapBalance]
    func installedBases() throws -> [InstalledBaseEntry]
    func eventCount() throws -> Int
    /// A cap's balance at the end of `asOf` (ledger time, UTC), from the events.
    func history(cap: String, asOf: Day) throws -> CapHistory
    /// Signed receipts of a run (or of every run), one JSON object per element.
    func receipts(run: Int64?) throws -> [String]
    /// The ledger's Ed25519 public key (hex), against which receipts verify.
    func publicKey() throws -> String?
    /// Recomputes the hash chain, projections, cap invariants and receipts.
    func verify() throws -> VerificationReport

    // Review queue (``LedgerCore`` in `LedgerCore+Review.swift`): holds, licences, rechecks, tokens.

    /// Holds, optionally only those in `statuses`, oldest first.
    func holds(statuses: [HoldStatus]?) throws -> [Hold]
    func hold(id: Int64) throws -> Hold?
    func holdCounts() throws -> [HoldStatus: Int]
    /// Releases (debiting a licence), rejects or escalates a pending hold.
    func decide(_ decision: HoldDecision, at time: String) throws -> Hold
    func createLicence(_ spec: LicenceSpec, actor: ActingToken?, at time: String) throws -> (Licence, replayed: Bool)
    func licence(number: String) throws -> Licence?
    func licences() throws -> [Licence]
    /// Records the expiry of licences whose last day has ended by `time`; returns how many.
    func expireLicences(at time: String) throws -> Int
    func recordRecheck(regime: String, asOf: Day, rulePackSHA256: String, checked: [Int64], changes: [RecheckChange],
                       actor: ActingToken?, at time: String) throws -> (sequence: Int64, changed: [Int64])
    /// Records an API token by the SHA-256 of its secret (the secret itself is never stored).
    func createToken(name: String, role: String, sha256: String, actor: ActingToken?, at time: String) throws -> TokenRecord
    func revokeToken(name: String, actor: ActingToken?, at time: String) throws -> TokenRecord
    func token(sha256: String) throws -> TokenRecord?
    func tokens() throws -> [TokenRecord]
    /// A committed screening run with its rows' determinations.
    func run(id: Int64) throws -> RunRecord?
}

/// Opening a ledger from the `--ledger` value: a file path (SQLite) or a `postgres://` URL.
public enum Ledgers {
    /// Opens (with `create`, creates) the ledger at `location`. `signingKey` overrides where the
    /// receipt signing key is kept (default: next to an SQLite file; for PostgreSQL
    /// `$XDG_DATA_HOME/ai-diffusion/keys/<ledger id>.ed25519`).
    public static func open(_ location: String, create: Bool, signingKey: String? = nil) throws -> any AllocationLedger {
        if PostgresURL.isPostgres(location) {
            return try PostgresLedger(url: location, create: create, signingKey: signingKey)
        }
        return try SQLiteLedger(path: location, create: create, signingKey: signingKey)
    }

    /// Whether `location` is a PostgreSQL URL (a ledger over the network) rather than an SQLite file.
    public static func isPostgres(_ location: String) -> Bool { PostgresURL.isPostgres(location) }

    /// Whether a ledger exists at `location` (a file; a PostgreSQL URL always counts).
    public static func exists(_ location: String) -> Bool {
        PostgresURL.isPostgres(location) || FileManager.default.fileExists(atPath: location)
    }
}

/// Timestamps the ledger stores: `YYYY-MM-DDTHH:MM:SSZ` (UTC), comparable as text.
public enum LedgerClock {
    /// Now, or `$AI_DIFFUSION_NOW` when set (reproducible runs and tests).
    public static var now: String {
        if let fixed = ProcessInfo.processInfo.environment["AI_DIFFUSION_NOW"], let parsed = normalize(fixed) { return parsed }
        return format(Date())
    }

    public static func format(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// `YYYY-MM-DD` (start of the day) or `YYYY-MM-DDTHH:MM[:SS]Z` → canonical form; nil if malformed.
    public static func normalize(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let day = Day(trimmed) { return "\(day)T00:00:00Z" }
        let parts = trimmed.split(separator: "T")
        guard parts.count == 2, let day = Day(String(parts[0])), parts[1].hasSuffix("Z") else { return nil }
        let clock = parts[1].dropLast().split(separator: ":").map { Int($0) }
        guard clock.count == 2 || clock.count == 3, clock.allSatisfy({ $0 != nil }) else { return nil }
        let h = clock[0]!, m = clock[1]!, s = clock.count == 3 ? clock[2]! : 0
        guard (0..<24).contains(h), (0..<60).contains(m), (0..<60).contains(s) else { return nil }
        return "\(day)T" + String(format: "%02d:%02d:%02dZ", h, m, s)
    }

    /// The last second of a day: events recorded up to then count for `--as-of DAY`.
    static func endOf(_ day: Day) -> String { "\(day)T23:59:59Z" }
}
