import PostgresNIO

/// One PostgreSQL transaction: the statements of ``LedgerSession``. Batches go in one round trip
/// each (`= ANY($1)` look-ups, `unnest` inserts), so a batch of debits costs a fixed number of
/// round trips whatever its size.
final class PostgresSession: LedgerSession {
    let backend: PostgresBackend
    /// The chain head as locked by `SELECT ... FOR UPDATE` at the start of a write transaction.
    var lockedHead: (Int64, String)?

    init(backend: PostgresBackend) { self.backend = backend }

    @discardableResult
    func run(_ sql: String, _ binds: [PostgresValue] = []) throws -> [PostgresRow] {
        try backend.query(sql, binds).rows
    }

    func meta(_ key: String) throws -> String? {
        try run("SELECT value FROM ledger_meta WHERE key = $1", [.text(key)]).first?.decode(String.self)
    }

    func head() throws -> (seq: Int64, hash: String) {
        if let lockedHead { return lockedHead }
        guard let row = try run("SELECT seq, hash FROM chain_head WHERE id = 1").first else { return (0, LedgerSchema.genesisHash) }
        return try row.decode((Int64, String).self)
    }

    func setHead(seq: Int64, hash: String) throws {
        try run("UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1", [.int(seq), .text(hash)])
        lockedHead = (seq, hash)
    }

    func findRun(fileSHA256: String, kind: String) throws -> (runID: Int64, regime: String)? {
        try run("SELECT run_id, regime FROM runs WHERE file_sha256 = $1 AND kind = $2 ORDER BY run_id LIMIT 1",
                [.text(fileSHA256), .text(kind)]).first?.decode((Int64, String).self)
    }

    func insertRun(fileSHA256: String, fileName: String, regime: String, recordedAt: String, kind: String) throws -> Int64 {
        try run("INSERT INTO runs (file_sha256, file_name, regime, recorded_at, kind) VALUES ($1, $2, $3, $4, $5) RETURNING run_id",
                [.text(fileSHA256), .text(fileName), .text(regime), .text(recordedAt), .text(kind)])[0].decode(Int64.self)
    }

    private static let eventColumns = "seq, run_id, kind, idempotency_key, recorded_at, body, prev_hash, hash"

    private static func event(_ row: PostgresRow) throws -> StoredEvent {
        let (seq, runID, kind, key, recordedAt, body, prev, hash) = try row.decode((Int64, Int64?, String, String, String, String, String, String).self)
        return StoredEvent(seq: seq, runID: runID, kind: kind, key: key, recordedAt: recordedAt, body: body, prevHash: prev, hash: hash)
    }

    func events(keys: [String]) throws -> [StoredEvent] {
        guard !keys.isEmpty else { return [] }
        return try run("SELECT \(Self.eventColumns) FROM events WHERE idempotency_key = ANY($1)", [.texts(keys)]).map(Self.event)
    }

    func events(run id: Int64) throws -> [StoredEvent] {
        try run("SELECT \(Self.eventColumns) FROM events WHERE run_id = $1 ORDER BY seq", [.int(id)]).map(Self.event)
    }

    func event(seq: Int64) throws -> StoredEvent? {
        try run("SELECT \(Self.eventColumns) FROM events WHERE seq = $1", [.int(seq)]).first.map(Self.event)
    }

    func appendEvents(_ events: [StoredEvent]) throws {
        guard !events.isEmpty else { return }
        try run("""
            INSERT INTO events (\(Self.eventColumns))
            SELECT s, NULLIF(r, -1), k, i, t, b, p, h
            FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS x(s, r, k, i, t, b, p, h)
            """, [.ints(events.map(\.seq)), .ints(events.map { $0.runID ?? -1 }), .texts(events.map(\.kind)), .texts(events.map(\.key)),
                  .texts(events.map(\.recordedAt)), .texts(events.map(\.body)), .texts(events.map(\.prevHash)), .texts(events.map(\.hash))])
    }

    func scanEvents(_ visit: (StoredEvent) throws -> Void) throws {
        var after: Int64 = -1
        while true {
            let rows = try run("SELECT \(Self.eventColumns) FROM events WHERE seq > $1 ORDER BY seq LIMIT 20000", [.int(after)])
            for row in rows {
                let event = try Self.event(row)
                try visit(event)
                after = event.seq
            }
            if rows.count < 20000 { return }
        }
    }

    func eventCount() throws -> Int {
        Int(try run("SELECT COUNT(*) FROM events")[0].decode(Int64.self))
    }

    private static let capColumns = "cap, kind, party, country, year, limit_milli, used_milli, reserved_milli, debit_count"

    private static func cap(_ row: PostgresRow) throws -> CapRow {
        let (cap, kind, party, country, year, limit, used, reserved, count) = try row.decode((String, String, String?, String?, Int64?, Int64?, Int64, Int64, Int64).self)
        return CapRow(cap: cap, kind: kind, party: party, country: country, year: year.map(Int.init), limitMilli: limit,
                      usedMilli: used, reservedMilli: reserved, debitCount: count)
    }

    func debitContext(keys: [String], caps names: [String], at time: String) throws -> (events: [StoredEvent], caps: [String: CapRow], due: Int) {
        let rows = try run("""
            SELECT 0, NULL::text, NULL::text, NULL::text, NULL::text, count(*)::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint
                FROM reservations WHERE state = 'reserved' AND expires_at <= $3
            UNION ALL
            SELECT 1, idempotency_key, body, kind, recorded_at, seq, run_id, NULL, NULL, NULL FROM events WHERE idempotency_key = ANY($1)
            UNION ALL
            SELECT 2, cap, kind, party, country, year, limit_milli, used_milli, reserved_milli, debit_count FROM caps WHERE cap = ANY($2)
            """, [.texts(keys), .texts(names), .text(time)])
        var events: [StoredEvent] = [], caps: [String: CapRow] = [:], due = 0
        for row in rows {
            let (t, a, b, c, d, n1, n2, n3, n4, n5) = try row.decode((Int32, String?, String?, String?, String?, Int64?, Int64?, Int64?, Int64?, Int64?).self)
            switch t {
            case 0: due = Int(n1 ?? 0)
            case 1: events.append(StoredEvent(seq: n1 ?? 0, runID: n2, kind: c ?? "", key: a ?? "", recordedAt: d ?? "", body: b ?? "", prevHash: "", hash: ""))
            default:
                caps[a ?? ""] = CapRow(cap: a ?? "", kind: b ?? "", party: c, country: d, year: n1.map(Int.init), limitMilli: n2,
                                       usedMilli: n3 ?? 0, reservedMilli: n4 ?? 0, debitCount: n5 ?? 0)
            }
        }
        return (events, caps, due)
    }

    func caps(_ names: [String]) throws -> [String: CapRow] {
        guard !names.isEmpty else { return [:] }
        var out: [String: CapRow] = [:]
        for row in try run("SELECT \(Self.capColumns) FROM caps WHERE cap = ANY($1)", [.texts(names)]) {
            let cap = try Self.cap(row)
            out[cap.cap] = cap
        }
        return out
    }

    func allCaps() throws -> [CapRow] {
        try run("SELECT \(Self.capColumns) FROM caps").map(Self.cap)
    }

    func applyMovements(_ movements: [Movement]) throws {
        try appendAndApply([], movements: movements)
    }

    /// Events, chain head, movements and caps in one statement (data-modifying CTEs): one round
    /// trip per batch. Existing caps are UPDATEd (a negative delta on an upsert's candidate row
    /// would trip the CHECK before conflict handling) and new ones INSERTed; all parts see the
    /// same snapshot, taken under the chain-head lock, and foreign keys are checked at its end.
    func appendAndApply(_ events: [StoredEvent], movements: [Movement]) throws {
        guard !events.isEmpty || !movements.isEmpty else { return }
        let totals = CapTotals.aggregate(movements)
        var binds: [PostgresValue] = [
            .ints(events.map(\.seq)), .ints(events.map { $0.runID ?? -1 }), .texts(events.map(\.kind)), .texts(events.map(\.key)),
            .texts(events.map(\.recordedAt)), .texts(events.map(\.body)), .texts(events.map(\.prevHash)), .texts(events.map(\.hash)),
            .ints(movements.map(\.seq)), .texts(movements.map(\.cap)), .ints(movements.map(\.usedMilli)),
            .ints(movements.map(\.reservedMilli)), .ints(movements.map { $0.limitMilli ?? -1 }),
            .texts(totals.map(\.cap)), .texts(totals.map(\.kind)), .texts(totals.map { $0.party ?? "" }),
            .texts(totals.map { $0.country ?? "" }), .ints(totals.map { $0.year.map(Int64.init) ?? -1 }),
            .ints(totals.map { $0.limitMilli ?? -1 }), .ints(totals.map(\.usedMilli)), .ints(totals.map(\.reservedMilli)),
            .ints(totals.map(\.debitCount)),
        ]
        let head = try events.last.map { ($0.seq, $0.hash) } ?? self.head()
        binds += [.int(head.0), .text(head.1)]
        let capRows = "unnest($14::text[], $15::text[], $16::text[], $17::text[], $18::bigint[], $19::bigint[], $20::bigint[], $21::bigint[], $22::bigint[]) AS x(c, k, p, co, y, l, u, r, d)"
        try run("""
            WITH new_events AS (
                INSERT INTO events (\(Self.eventColumns))
                SELECT s, NULLIF(r, -1), k, i, t, b, p, h
                FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS e(s, r, k, i, t, b, p, h)),
            new_head AS (UPDATE chain_head SET seq = $23, hash = $24 WHERE id = 1),
            new_movements AS (
                INSERT INTO movements (event_seq, cap, used_milli, reserved_milli, limit_milli)
                SELECT s, c, u, r, NULLIF(l, -1) FROM unnest($9::bigint[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[]) AS m(s, c, u, r, l)),
            updated_caps AS (
                UPDATE caps SET used_milli = caps.used_milli + x.u, reserved_milli = caps.reserved_milli + x.r,
                    debit_count = caps.debit_count + x.d, limit_milli = COALESCE(NULLIF(x.l, -1), caps.limit_milli)
                FROM \(capRows) WHERE caps.cap = x.c)
            INSERT INTO caps (cap, kind, party, country, year, limit_milli, used_milli, reserved_milli, debit_count)
            SELECT c, k, NULLIF(p, ''), NULLIF(co, ''), NULLIF(y, -1), NULLIF(l, -1), u, r, d FROM \(capRows)
            WHERE NOT EXISTS (SELECT 1 FROM caps WHERE caps.cap = x.c)
            """, binds)
        lockedHead = head
    }

    func movements(cap: String) throws -> [(movement: Movement, recordedAt: String, kind: String)] {
        try run("""
            SELECT m.event_seq, m.used_milli, m.reserved_milli, m.limit_milli, e.recorded_at, e.kind
            FROM movements m JOIN events e ON e.seq = m.event_seq WHERE m.cap = $1 ORDER BY m.event_seq
            """, [.text(cap)]).map { row in
            let (seq, used, reserved, limit, at, kind) = try row.decode((Int64, Int64, Int64, Int64?, String, String).self)
            return (Movement(seq: seq, cap: cap, kind: "", usedMilli: used, reservedMilli: reserved, limitMilli: limit), at, kind)
        }
    }

    func allMovements() throws -> [Movement] {
        try run("SELECT event_seq, cap, used_milli, reserved_milli, limit_milli FROM movements").map { row in
            let (seq, cap, used, reserved, limit) = try row.decode((Int64, String, Int64, Int64, Int64?).self)
            return Movement(seq: seq, cap: cap, kind: "", usedMilli: used, reservedMilli: reserved, limitMilli: limit)
        }
    }

    func insertInstalledBase(_ rows: [BaseRow]) throws {
        guard !rows.isEmpty else { return }
        try run("""
            INSERT INTO installed_base (event_seq, holder, country, tpp_milli, as_of)
            SELECT s, h, c, t, NULLIF(a, '') FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[]) AS x(s, h, c, t, a)
            """, [.ints(rows.map(\.seq)), .texts(rows.map(\.holder)), .texts(rows.map(\.country)), .ints(rows.map(\.milli)),
                  .texts(rows.map { $0.asOf ?? "" })])
    }

    func installedBase(holder: String) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for row in try run("SELECT country, SUM(tpp_milli)::bigint FROM installed_base WHERE holder = $1 GROUP BY country", [.text(holder)]) {
            let (country, milli) = try row.decode((String, Int64).self)
            out[country] = milli
        }
        return out
    }

    func installedBases() throws -> [(holder: String, country: String, milli: Int64)] {
        try run("SELECT holder, country, SUM(tpp_milli)::bigint FROM installed_base GROUP BY holder, country").map {
            let (holder, country, milli) = try $0.decode((String, String, Int64).self)
            return (holder, country, milli)
        }
    }

    func allBaseRows() throws -> [BaseRow] {
        try run("SELECT event_seq, holder, country, tpp_milli, as_of FROM installed_base").map {
            let (seq, holder, country, milli, asOf) = try $0.decode((Int64, String, String, Int64, String?).self)
            return BaseRow(seq: seq, holder: holder, country: country, milli: milli, asOf: asOf)
        }
    }

    private static func reservation(_ row: PostgresRow) throws -> ReservationRow {
        let (id, state, expires, opened, closed) = try row.decode((String, String, String, Int64, Int64?).self)
        return ReservationRow(id: id, state: state, expiresAt: expires, openedSeq: opened, closedSeq: closed)
    }

    func reservation(id: String) throws -> ReservationRow? {
        try run("SELECT id, state, expires_at, opened_seq, closed_seq FROM reservations WHERE id = $1", [.text(id)]).first.map(Self.reservation)
    }

    func putReservation(_ r: ReservationRow) throws {
        try run("""
            INSERT INTO reservations (id, state, expires_at, opened_seq, closed_seq) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (id) DO UPDATE SET state = excluded.state, closed_seq = excluded.closed_seq
            """, [.text(r.id), .text(r.state), .text(r.expiresAt), .int(r.openedSeq), .optional(r.closedSeq)])
    }

    func expiredReservations(at time: String) throws -> [ReservationRow] {
        try run("SELECT id, state, expires_at, opened_seq, closed_seq FROM reservations WHERE state = 'reserved' AND expires_at <= $1 ORDER BY expires_at, id",
                [.text(time)]).map(Self.reservation)
    }

    func allReservations() throws -> [ReservationRow] {
        try run("SELECT id, state, expires_at, opened_seq, closed_seq FROM reservations").map(Self.reservation)
    }

    func insertReceipts(_ receipts: [(seq: Int64, runID: Int64, text: String)]) throws {
        guard !receipts.isEmpty else { return }
        try run("INSERT INTO receipts (event_seq, run_id, receipt) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])",
                [.ints(receipts.map(\.seq)), .ints(receipts.map(\.runID)), .texts(receipts.map(\.text))])
    }

    func receipts(run id: Int64?) throws -> [String] {
        if let id {
            return try run("SELECT receipt FROM receipts WHERE run_id = $1 ORDER BY event_seq", [.int(id)]).map { try $0.decode(String.self) }
        }
        return try run("SELECT receipt FROM receipts ORDER BY event_seq").map { try $0.decode(String.self) }
    }

    func run(id: Int64) throws -> (fileSHA256: String, fileName: String, regime: String, recordedAt: String, kind: String)? {
        try run("SELECT file_sha256, file_name, regime, recorded_at, kind FROM runs WHERE run_id = $1", [.int(id)]).first.map {
            let (sha, name, regime, at, kind) = try $0.decode((String, String, String, String, String).self)
            return (sha, name, regime, at, kind)
        }
    }

    private static let recordColumns = "kind, id, status, due, opened_seq, updated_seq, body"

    private static func record(_ row: PostgresRow) throws -> RecordRow {
        let (kind, id, status, due, opened, updated, body) = try row.decode((String, String, String, String?, Int64, Int64, String).self)
        return RecordRow(kind: kind, id: id, status: status, due: due, openedSeq: opened, updatedSeq: updated, body: body)
    }

    func record(kind: String, id: String) throws -> RecordRow? {
        try run("SELECT \(Self.recordColumns) FROM records WHERE kind = $1 AND id = $2", [.text(kind), .text(id)]).first.map(Self.record)
    }

    func records(kind: String, statuses: [String]?) throws -> [RecordRow] {
        guard let statuses else {
            return try run("SELECT \(Self.recordColumns) FROM records WHERE kind = $1 ORDER BY opened_seq", [.text(kind)]).map(Self.record)
        }
        return try run("SELECT \(Self.recordColumns) FROM records WHERE kind = $1 AND status = ANY($2) ORDER BY opened_seq",
                       [.text(kind), .texts(statuses)]).map(Self.record)
    }

    func dueRecords(kind: String, status: String, at time: String) throws -> [RecordRow] {
        try run("SELECT \(Self.recordColumns) FROM records WHERE kind = $1 AND status = $2 AND due <= $3 ORDER BY due, id",
                [.text(kind), .text(status), .text(time)]).map(Self.record)
    }

    func putRecords(_ rows: [RecordRow]) throws {
        guard !rows.isEmpty else { return }
        try run("""
            INSERT INTO records (\(Self.recordColumns))
            SELECT k, i, s, NULLIF(d, ''), o, u, b FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[]) AS x(k, i, s, d, o, u, b)
            ON CONFLICT (kind, id) DO UPDATE SET status = excluded.status, due = excluded.due, updated_seq = excluded.updated_seq, body = excluded.body
            """, [.texts(rows.map(\.kind)), .texts(rows.map(\.id)), .texts(rows.map(\.status)), .texts(rows.map { $0.due ?? "" }),
                  .ints(rows.map(\.openedSeq)), .ints(rows.map(\.updatedSeq)), .texts(rows.map(\.body))])
    }

    func allRecords() throws -> [RecordRow] {
        try run("SELECT \(Self.recordColumns) FROM records").map(Self.record)
    }

    func recordCounts(kind: String) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try run("SELECT status, COUNT(*)::bigint FROM records WHERE kind = $1 GROUP BY status", [.text(kind)]) {
            let (status, count) = try row.decode((String, Int64).self)
            out[status] = Int(count)
        }
        return out
    }
}
