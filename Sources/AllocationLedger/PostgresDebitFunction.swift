/// A single debit request committed in one round trip on PostgreSQL: the server-side function
/// `ai_diffusion_debit_one` does, under the chain-head lock and in the one statement's transaction,
/// what ``LedgerCore/debit(_:at:limits:)`` does in four round trips (lock, read keys and caps, write,
/// commit) when the request is granted:
///
/// 1. lock the chain head (`SELECT ... FOR UPDATE`: writers serialize as in every write transaction);
/// 2. return the stored event if the idempotency key was seen (a retry);
/// 3. hand back to the general path (`general`) if a reservation is due to expire or any cap would
///    not admit the debit: refusals and expiries are recorded by ``LedgerCore`` as before;
/// 4. otherwise append the event, hashed exactly as ``EventBody/hash(previous:seq:runID:kind:key:recordedAt:body:)``
///    hashes it (SHA-256 of the previous hash, sequence, empty run id, kind, key, time and body,
///    joined by newlines, in hex), move the chain head, insert the movements and add them to the
///    caps (an upsert: debits only add, so the candidate row of a new cap passes the CHECK and an
///    existing cap is updated), whose CHECK constraint still refuses any over-issue.
///
/// Under the lock it runs three statements (lock; key, expiries and caps in one read; one write).
///
/// The client builds the event body (the request, `granted: true`, the moves with the pack's limits)
/// and the server only fills in the chain position, so `ledger verify` checks these events like any
/// other. Installed in every PostgreSQL ledger (new ledgers with the schema; older ones on open).
enum PostgresDebitFunction {
    static let name = "ai_diffusion_debit_one"
    static let signature = "ai_diffusion_debit_one(text,text,text,text,text,text[],text[],text[],text[],bigint[],bigint[],bigint[])"

    static let definition = """
        CREATE OR REPLACE FUNCTION ai_diffusion_debit_one(
            p_key text, p_kind text, p_recorded_at text, p_body text, p_due_at text,
            p_caps text[], p_kinds text[], p_parties text[], p_countries text[], p_years bigint[], p_limits bigint[], p_used bigint[])
        RETURNS TABLE (r_outcome text, r_seq bigint, r_body text)
        LANGUAGE plpgsql AS $fn$
        DECLARE
            head_seq bigint;
            head_hash text;
            next_hash text;
            stored_seq bigint;
            stored_body text;
            blocked boolean;
        BEGIN
            -- The lock, then (read after it, so they see every earlier commit) the key, expiries and caps.
            SELECT h.seq, h.hash INTO head_seq, head_hash FROM chain_head h WHERE h.id = 1 FOR UPDATE;
            SELECT (SELECT e.seq FROM events e WHERE e.idempotency_key = p_key),
                   EXISTS (SELECT 1 FROM reservations r WHERE r.state = 'reserved' AND r.expires_at <= p_due_at)
                   OR EXISTS (SELECT 1 FROM caps k JOIN unnest(p_caps, p_used, p_limits) AS m(c, u, l) ON k.cap = m.c
                              WHERE k.cap = ANY(p_caps) AND k.used_milli + k.reserved_milli + m.u > m.l)
              INTO stored_seq, blocked;
            IF stored_seq IS NOT NULL THEN
                SELECT e.body INTO stored_body FROM events e WHERE e.seq = stored_seq;
                RETURN QUERY SELECT 'replayed'::text, stored_seq, stored_body;
                RETURN;
            END IF;
            IF blocked THEN
                RETURN QUERY SELECT 'general'::text, NULL::bigint, NULL::text;
                RETURN;
            END IF;
            next_hash := encode(sha256(convert_to(head_hash || E'\\n' || (head_seq + 1)::text || E'\\n' || E'\\n' || p_kind
                || E'\\n' || p_key || E'\\n' || p_recorded_at || E'\\n' || p_body, 'UTF8')), 'hex');
            WITH new_event AS (
                INSERT INTO events (seq, run_id, kind, idempotency_key, recorded_at, body, prev_hash, hash)
                VALUES (head_seq + 1, NULL, p_kind, p_key, p_recorded_at, p_body, head_hash, next_hash)),
            new_head AS (UPDATE chain_head SET seq = head_seq + 1, hash = next_hash WHERE id = 1),
            new_movements AS (
                INSERT INTO movements (event_seq, cap, used_milli, reserved_milli, limit_milli)
                SELECT head_seq + 1, m.c, m.u, 0, m.l FROM unnest(p_caps, p_used, p_limits) AS m(c, u, l))
            INSERT INTO caps AS k (cap, kind, party, country, year, limit_milli, used_milli, reserved_milli, debit_count)
                SELECT m.c, m.k, NULLIF(m.p, ''), NULLIF(m.co, ''), NULLIF(m.y, -1), m.l, m.u, 0, 1
                FROM unnest(p_caps, p_kinds, p_parties, p_countries, p_years, p_limits, p_used) AS m(c, k, p, co, y, l, u)
            ON CONFLICT (cap) DO UPDATE SET used_milli = k.used_milli + excluded.used_milli,
                debit_count = k.debit_count + 1, limit_milli = excluded.limit_milli;
            RETURN QUERY SELECT 'granted'::text, head_seq + 1, NULL::text;
        END
        $fn$
        """
}

/// A granted single debit, ready for a backend that can append it in one round trip.
struct GrantedDebit: Sendable {
    /// `debit/<request key>`.
    var key: String
    var recordedAt: String
    /// The event body as ``EventBody/request(type:recordedAt:key:date:expiresAt:debits:granted:reason:moves:)`` writes it.
    var body: String
    /// One movement per cap, with the pack's limit.
    var moves: [Movement]
}

/// What the one-round-trip path did.
enum GrantedDebitOutcome: Sendable {
    case granted(seq: Int64)
    /// The key was seen before: its stored event.
    case replayed(StoredEvent)
    /// Not taken: the general path decides (a refusal, an expiry due, or no such path).
    case general
}
