import AllocationLedger
import ComputeMetrics
import DiffusionRules
import Foundation
import PartyScreening
import RuleData
import Screening
import TabularIO

/// The application layer: everything the command line and the HTTP server do with rules and the
/// ledger, once. Adapters parse their input, call one function here, and render what it returns.
///
/// - Screening: dry runs, comparisons and commits (``screen(_:regime:emit:)``,
///   ``compare(_:_:_:emit:)``, ``commit(_:regime:requestKey:by:)``).
/// - Review: holds, decisions, licences, rechecks (`ReviewService.swift`).
/// - Access: tokens and roles (``createToken(name:role:by:)``, ``authenticate(_:)``).
/// - Reads for reports and the dashboard: caps, runs, receipts, memos, rule data.
///
/// Ledger calls block (SQLite, or PostgreSQL through futures): call them from ordinary threads,
/// not from Swift concurrency's cooperative pool. The server does so on its own thread pool.
///
/// ```swift
/// let service = try ComplianceService(book: try RuleBookLoader.loadBundled(), ledger: "ledger.sqlite", create: true)
/// let input = try ScreeningInput(request: request, book: service.book)
/// let result = try service.commit(input, regime: try service.regime("ai-diffusion-2025"), requestKey: nil, by: officer)
/// result.holds   // one hold per row that needs a licence
/// ```
public final class ComplianceService: @unchecked Sendable {
    public let book: RuleBook
    /// The ledger: an SQLite path or a `postgres://` URL.
    public let ledgerLocation: String
    public let limits: RequestLimits
    /// The ledger's clock (`YYYY-MM-DDTHH:MM:SSZ`), `$AI_DIFFUSION_NOW` when set.
    public let clock: @Sendable () -> String
    let signingKey: String?
    /// Restricted-party lists, ownership and matching algorithm of the part 744 stage (end uses are
    /// screened in any case).
    public let parties: PartyScreeningSetup
    private let tokenCacheSeconds: Double

    private let lock = NSLock()
    private var compiled: [String: CompiledRegime] = [:]
    private var endUserRules: [String: EndUserRules] = [:]
    private var digests: [String: String] = [:]
    private var cachedSnapshot: (sequence: Int64, snapshot: CapSnapshot)?
    private var ledgers: [any AllocationLedger] = []
    private var nextLedger = 0
    private let connections: Int
    private var tokenCache: [String: (principal: Principal?, until: Double)] = [:]

    /// - Parameters:
    ///   - create: create the ledger if it does not exist (the server does; dry runs on the command
    ///     line read balances only if a ledger exists).
    ///   - connections: ledger connections used in turn by concurrent requests.
    ///   - tokenCacheSeconds: how long a token look-up is reused (0: every request reads the ledger);
    ///     a revocation takes effect on other instances within this time.
    ///   - parties: the restricted-party lists rows are screened against (none by default).
    public init(book: RuleBook, ledger: String, signingKey: String? = nil, create: Bool, connections: Int = 1,
                limits: RequestLimits = RequestLimits(), tokenCacheSeconds: Double = 0,
                parties: PartyScreeningSetup = .none,
                clock: @escaping @Sendable () -> String = { LedgerClock.now }) throws {
        self.book = book
        self.parties = parties
        self.ledgerLocation = ledger
        self.signingKey = signingKey
        self.limits = limits
        self.clock = clock
        self.tokenCacheSeconds = tokenCacheSeconds
        self.connections = max(1, connections)
        if create { ledgers.append(try Ledgers.open(ledger, create: true, signingKey: signingKey)) }
    }

    /// A service for rule data only (no ledger): classification, tiers, diffs.
    public convenience init(rules book: RuleBook) {
        // swiftlint:disable:next force_try
        try! self.init(book: book, ledger: "", create: false)
    }

    // MARK: - Regimes

    /// A compiled regime of the book by id (compiled once). The command line adds a pack file to
    /// the book before it makes the service (`--regime PACK.yaml`); the server knows built-in
    /// regimes only.
    public func regime(_ name: String) throws -> CompiledRegime {
        try memoized(\.compiled, name) {
            guard book.regimes[name] != nil else {
                throw ServiceError(.badRequest, "regime \"\(name)\" is not a built-in regime (\(book.regimes.keys.sorted().joined(separator: ", ")))",
                                   field: "regime", value: name)
            }
            return try book.compile(regime: name)
        }
    }

    /// The part 744 rules of a regime by id (compiled once; immutable, shared by concurrent runs).
    func endUserRules(_ id: String) throws -> EndUserRules {
        try memoized(\.endUserRules, id) { try EndUserRules(regime: id, book: book) }
    }

    /// The rule-pack version receipts record for a regime (``RulePackDigest``), computed once.
    public func rulePackDigest(_ id: String) -> String {
        memoized(\.digests, id) { RulePackDigest.sha256(regime: id, book: book) }
    }

    /// The value cached under `key`, or `make()`'s, stored for the next caller. `make` runs outside
    /// the lock (two racing callers may both compute; either result is the same value).
    private func memoized<Value>(_ cache: ReferenceWritableKeyPath<ComplianceService, [String: Value]>, _ key: String,
                                 _ make: () throws -> Value) rethrows -> Value {
        lock.lock()
        if let value = self[keyPath: cache][key] { lock.unlock(); return value }
        lock.unlock()
        let value = try make()
        lock.lock()
        self[keyPath: cache][key] = value
        lock.unlock()
        return value
    }

    /// Today in the ledger's clock.
    public var today: Day { Day(String(clock().prefix(10))) ?? Day(ordinal: 0) }

    // MARK: - Ledger

    /// A ledger connection (opened on first use; used in turn). Throws when there is no ledger.
    public func ledger() throws -> any AllocationLedger {
        lock.lock()
        defer { lock.unlock() }
        if ledgers.count < connections {
            ledgers.append(try Ledgers.open(ledgerLocation, create: false, signingKey: signingKey))
            return ledgers[ledgers.count - 1]
        }
        nextLedger = (nextLedger + 1) % ledgers.count
        return ledgers[nextLedger]
    }

    /// Whether ledger reads are local and brief (SQLite: microseconds, no network), so that a caller
    /// may make them where it stands rather than on a blocking thread; false for PostgreSQL.
    public var readsAreLocal: Bool { !Ledgers.isPostgres(ledgerLocation) }

    /// Whether a ledger exists (an SQLite file; a PostgreSQL URL always counts).
    public var ledgerExists: Bool {
        lock.lock()
        defer { lock.unlock() }
        return !ledgers.isEmpty || Ledgers.exists(ledgerLocation)
    }

    /// The balances a dry run starts from: the ledger's, or none when there is no ledger yet. The
    /// last balances read are reused while the ledger's chain head has not moved (one small read).
    public func snapshot() throws -> CapSnapshot {
        guard ledgerExists else { return .empty }
        lock.lock()
        let cached = cachedSnapshot
        lock.unlock()
        let current = try ledger().snapshot(reusing: cached)
        if current.sequence != cached?.sequence {
            lock.lock()
            if current.sequence > cachedSnapshot?.sequence ?? -1 { cachedSnapshot = current }
            lock.unlock()
        }
        return current.snapshot
    }

    /// Checks that the ledger answers (`/readyz`).
    public func ready() throws {
        _ = try ledger().eventCount()
    }

    public func verify() throws -> VerificationReport { try ledger().verify() }

    // MARK: - Tokens and roles

    /// Creates a bearer token: returns the secret (shown once; only its SHA-256 is stored).
    /// `by` is the admin asking (nil on the command line).
    public func createToken(name: String, role: Role, by: Principal?) throws -> (secret: String, record: TokenRecord) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let secret = "aid_" + bytes.map { String(format: "%02x", $0) }.joined()
        let record = try ledger().createToken(name: name, role: role.rawValue, sha256: Digest.sha256Hex(Array(secret.utf8)),
                                              actor: by?.acting, at: clock())
        return (secret, record)
    }

    public func revokeToken(name: String, by: Principal?) throws -> TokenRecord {
        let record = try ledger().revokeToken(name: name, actor: by?.acting, at: clock())
        lock.lock()
        tokenCache[record.sha256] = nil
        lock.unlock()
        return record
    }

    public func tokens() throws -> [TokenRecord] { try ledger().tokens() }

    /// A token's principal if a recent look-up is cached (no ledger call): `.some(nil)` for a token
    /// known to be bad, nil when not cached.
    public func cachedPrincipal(_ secret: String) -> Principal?? {
        guard tokenCacheSeconds > 0 else { return nil }
        let sha = Digest.sha256Hex(Array(secret.utf8))
        lock.lock()
        defer { lock.unlock() }
        guard let cached = tokenCache[sha], cached.until > Date().timeIntervalSince1970 else { return nil }
        return .some(cached.principal)
    }

    /// The principal of a bearer token; ``ServiceError/Kind/unauthorized`` when the token is
    /// missing, unknown or revoked.
    public func authenticate(_ secret: String?) throws -> Principal {
        guard let secret, !secret.isEmpty else {
            throw ServiceError(.unauthorized, "this route needs a bearer token (Authorization: Bearer TOKEN)")
        }
        let sha = Digest.sha256Hex(Array(secret.utf8))
        let now = Date().timeIntervalSince1970
        if tokenCacheSeconds > 0 {
            lock.lock()
            let cached = tokenCache[sha]
            lock.unlock()
            if let cached, cached.until > now {
                guard let principal = cached.principal else { throw ServiceError(.unauthorized, "the bearer token is not valid") }
                return principal
            }
        }
        var principal: Principal?
        if let record = try ledger().token(sha256: sha), record.isActive, let role = Role(rawValue: record.role) {
            principal = Principal(name: record.name, role: role)
        }
        if tokenCacheSeconds > 0 {
            lock.lock()
            if tokenCache.count > 10_000 { tokenCache.removeAll() }
            tokenCache[sha] = (principal, now + tokenCacheSeconds)
            lock.unlock()
        }
        guard let principal else { throw ServiceError(.unauthorized, "the bearer token is not valid") }
        return principal
    }

    /// Throws ``ServiceError/Kind/forbidden`` unless the principal's role allows `permission`.
    public func authorize(_ principal: Principal, _ permission: Permission) throws {
        guard principal.role.allows(permission) else {
            let roles = Role.with(permission).map(\.rawValue).joined(separator: " or ")
            throw ServiceError(.forbidden, "role \(principal.role.rawValue) (token \(principal.name)) may not do this; it needs \(roles)")
        }
    }
}
