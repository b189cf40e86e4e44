/// The storage primitives a backend (SQLite, PostgreSQL) provides to ``LedgerCore``. Each is one
/// statement (or one batch) in the current transaction; the semantics live in ``LedgerCore`` and
/// are the same on both backends.
protocol LedgerBackend: AnyObject, Sendable {
    /// Where the ledger is, for messages (a path, or a URL without its password).
    var location: String { get }
    /// Runs `body` in a write transaction that holds the ledger's write lock from its first
    /// statement (SQLite `BEGIN IMMEDIATE`; PostgreSQL `SELECT ... FROM chain_head FOR UPDATE`),
    /// committing when it returns and rolling back when it throws.
    func write<T>(_ body: (any LedgerSession) throws -> T) throws -> T
    /// Runs `body` against one consistent snapshot.
    func read<T>(_ body: (any LedgerSession) throws -> T) throws -> T
    /// The chain head's sequence, read by one statement outside a transaction (a cheap "has
    /// anything been recorded since?").
    func headSequence() throws -> Int64
    /// Appends a single granted debit in one round trip when the backend can (PostgreSQL: a
    /// server-side function, ``PostgresDebitFunction``), or returns `.general` for
    /// ``LedgerCore`` to take its general path.
    func appendGrantedDebit(_ debit: GrantedDebit, dueAt: String) throws -> GrantedDebitOutcome
}

extension LedgerBackend {
    func appendGrantedDebit(_ debit: GrantedDebit, dueAt: String) throws -> GrantedDebitOutcome { .general }
}

/// An event as stored.
struct StoredEvent: Sendable {
    var seq: Int64
    var runID: Int64?
    var kind: String
    var key: String
    var recordedAt: String
    var body: String
    var prevHash: String
    var hash: String
}

/// One cap's row in `caps`.
struct CapRow: Sendable {
    var cap: String
    var kind: String
    var party: String?
    var country: String?
    var year: Int?
    var limitMilli: Int64?
    var usedMilli: Int64
    var reservedMilli: Int64
    var debitCount: Int64
}

/// A change of one cap by one event (`movements`); the cap's row is upserted with the deltas.
struct Movement: Sendable, Hashable {
    var seq: Int64
    var cap: String
    var kind: String
    var party: String?
    var country: String?
    var year: Int?
    var usedMilli: Int64
    var reservedMilli: Int64
    /// Limit recorded with the cap by this movement (nil: keep none / share limit).
    var limitMilli: Int64?
}

/// A row of `installed_base`.
struct BaseRow: Sendable, Hashable {
    var seq: Int64
    var holder: String
    var country: String
    var milli: Int64
    var asOf: String?
}

/// A row of `reservations`.
struct ReservationRow: Sendable {
    var id: String
    var state: String
    var expiresAt: String
    var openedSeq: Int64
    var closedSeq: Int64?
}

/// One transaction's view of the store.
protocol LedgerSession {
    func meta(_ key: String) throws -> String?
    func head() throws -> (seq: Int64, hash: String)
    func setHead(seq: Int64, hash: String) throws

    func findRun(fileSHA256: String, kind: String) throws -> (runID: Int64, regime: String)?
    func insertRun(fileSHA256: String, fileName: String, regime: String, recordedAt: String, kind: String) throws -> Int64

    func events(keys: [String]) throws -> [StoredEvent]
    func events(run: Int64) throws -> [StoredEvent]
    func event(seq: Int64) throws -> StoredEvent?
    func appendEvents(_ events: [StoredEvent]) throws
    /// Every event in order, one at a time (verification).
    func scanEvents(_ visit: (StoredEvent) throws -> Void) throws
    func eventCount() throws -> Int

    func caps(_ names: [String]) throws -> [String: CapRow]
    func allCaps() throws -> [CapRow]
    /// Inserts movements and applies them to `caps` (insert or add the deltas; the limit is set
    /// when a movement carries one). The CHECK constraint `used + reserved <= limit` makes the store
    /// refuse an over-issue: the backend throws ``CapRefused``.
    func applyMovements(_ movements: [Movement]) throws
    func appendAndApply(_ events: [StoredEvent], movements: [Movement]) throws
    func debitContext(keys: [String], caps names: [String], at time: String) throws -> (events: [StoredEvent], caps: [String: CapRow], due: Int)
    /// A cap's movements in chain order, with their events' time and kind (history).
    func movements(cap: String) throws -> [(movement: Movement, recordedAt: String, kind: String)]
    func allMovements() throws -> [Movement]

    func insertInstalledBase(_ rows: [BaseRow]) throws
    /// Holder's installed base by country (TPP thousandths).
    func installedBase(holder: String) throws -> [String: Int64]
    /// Every (holder, country, TPP thousandths), summed.
    func installedBases() throws -> [(holder: String, country: String, milli: Int64)]
    func allBaseRows() throws -> [BaseRow]

    func reservation(id: String) throws -> ReservationRow?
    func putReservation(_ row: ReservationRow) throws
    /// Reservations still `reserved` whose expiry is at or before `time`.
    func expiredReservations(at time: String) throws -> [ReservationRow]
    func allReservations() throws -> [ReservationRow]

    func insertReceipts(_ receipts: [(seq: Int64, runID: Int64, text: String)]) throws
    func receipts(run: Int64?) throws -> [String]

    /// A committed run's row (`runs`), by id.
    func run(id: Int64) throws -> (fileSHA256: String, fileName: String, regime: String, recordedAt: String, kind: String)?

    /// Holds, licences and tokens (`records`, ``RecordRow``).
    func record(kind: String, id: String) throws -> RecordRow?
    /// Records of a kind, optionally only those in `statuses`, in the order they were opened.
    func records(kind: String, statuses: [String]?) throws -> [RecordRow]
    /// Records of a kind in `status` whose `due` time is at or before `time`.
    func dueRecords(kind: String, status: String, at time: String) throws -> [RecordRow]
    /// Inserts records or replaces them (by kind and id).
    func putRecords(_ rows: [RecordRow]) throws
    func allRecords() throws -> [RecordRow]
    /// How many records of a kind are in each status.
    func recordCounts(kind: String) throws -> [String: Int]
}

extension LedgerSession {
    /// What a batch of debits is decided on: stored events of its keys, its caps, and how many
    /// reservations are due to expire at `time`. PostgreSQL reads all three in one statement.
    func debitContext(keys: [String], caps names: [String], at time: String) throws -> (events: [StoredEvent], caps: [String: CapRow], due: Int) {
        (try events(keys: keys), try caps(names), try expiredReservations(at: time).count)
    }

    /// Appends events, moves the chain head to the last one and applies movements. PostgreSQL does
    /// it in one statement (one round trip); this default runs the three steps.
    func appendAndApply(_ events: [StoredEvent], movements: [Movement]) throws {
        guard let last = events.last else { return try applyMovements(movements) }
        try appendEvents(events)
        try setHead(seq: last.seq, hash: last.hash)
        if !movements.isEmpty { try applyMovements(movements) }
    }
}

/// The store refused a movement: a cap's CHECK constraint would be broken.
struct CapRefused: Error {
    var detail: String
}
