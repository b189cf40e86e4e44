import ComputeMetrics
import DiffusionRules
import Foundation

/// Direct debits and reservations: each request is all or none, keyed for idempotency, and decided
/// under the ledger's write lock against the caps as stored; the `caps` CHECK constraint refuses
/// anything that would still over-issue.
extension LedgerCore {
    static let maxKeyBytes = 200

    /// Checks a request before anything is written: bad input throws (nothing recorded).
    static func validate(key: String, debits: [Debit], what: String) throws {
        if key.isEmpty || key.utf8.count > maxKeyBytes { throw LedgerError("\(what) id must be 1 to \(maxKeyBytes) bytes") }
        if debits.isEmpty { throw LedgerError("\(what) \(key): names no cap") }
        var seen = Set<String>()
        for debit in debits {
            if debit.tpp.milli <= 0 { throw LedgerError("\(what) \(key): TPP for \(debit.cap.name) must be positive") }
            if !seen.insert(debit.cap.name).inserted { throw LedgerError("\(what) \(key): cap \(debit.cap.name) appears twice") }
            if case .uveu = debit.cap {
                throw LedgerError("\(what) \(key): \(debit.cap.name) is a UVEU share limit on installed bases; it is debited only by screening (screen --commit)")
            }
        }
    }

    /// Decides a request against the caps as they stand: the moves to make, or why not.
    static func decide(_ debits: [Debit], date: Day, caps: [String: CapRow], limits: CapLimitLookup,
                       reserve: Bool) -> (moves: [Movement], refusal: String?) {
        var moves: [Movement] = []
        for debit in debits {
            guard let limit = limits(debit.cap, date)?.limit else {
                return ([], "no limit is defined for \(debit.cap.name) on \(date) under the rule pack")
            }
            let row = caps[debit.cap.name]
            let taken = (row?.usedMilli ?? 0) + (row?.reservedMilli ?? 0)
            if taken + debit.tpp.milli > limit.milli {
                let reserved = row?.reservedMilli ?? 0
                return ([], "\(debit.cap.name): \(TPP(milli: row?.usedMilli ?? 0)) used + \(TPP(milli: reserved)) reserved + \(debit.tpp) requested > limit \(limit)")
            }
            moves.append(movement(debit, used: reserve ? 0 : debit.tpp.milli, reserved: reserve ? debit.tpp.milli : 0, limit: limit.milli))
        }
        return (moves, nil)
    }

    /// Result of an earlier submission, from its stored event.
    static func storedResult(_ event: StoredEvent, key: String) throws -> DebitResult {
        guard let object = EventJSON.parse(event.body), let granted = object["granted"]?.bool else {
            throw LedgerError("ledger event \(event.seq) is unreadable; run `ledger verify`")
        }
        return DebitResult(key: key, granted: granted, reason: object["reason"]?.string, sequence: event.seq, replayed: true)
    }

    public func debit(_ requests: [DebitRequest], at time: String, limits: CapLimitLookup) throws -> [DebitResult] {
        for request in requests { try Self.validate(key: request.key, debits: request.debits, what: "debit") }
        if requests.count == 1, let result = try debitInOneStatement(requests[0], at: time, limits: limits) { return [result] }
        return try backend.write { session in
            let keys = requests.map { "debit/\($0.key)" }, names = Array(Set(requests.flatMap { $0.debits.map(\.cap.name) }))
            var context = try session.debitContext(keys: keys, caps: names, at: time)
            if context.due > 0 {
                _ = try Self.expireDue(session, at: time)
                context = try session.debitContext(keys: keys, caps: names, at: time)
            }
            let existing = Dictionary(context.events.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            var caps = context.caps
            var appender = try Appender(session)
            var moves: [Movement] = []
            var results: [DebitResult] = []
            var firstInBatch: [String: DebitResult] = [:]
            for request in requests {
                let key = "debit/\(request.key)"
                if let event = existing[key] { results.append(try Self.storedResult(event, key: request.key)); continue }
                if var earlier = firstInBatch[key] { earlier.replayed = true; results.append(earlier); continue }
                let (requestMoves, refusal) = Self.decide(request.debits, date: request.date, caps: caps, limits: limits, reserve: false)
                let body = EventBody.request(type: "debit", recordedAt: time, key: request.key, date: request.date, expiresAt: nil,
                                             debits: request.debits, granted: refusal == nil, reason: refusal, moves: requestMoves)
                let event = appender.add(runID: nil, kind: "debit", key: key, recordedAt: time, body: body)
                for var move in requestMoves {
                    move.seq = event.seq
                    moves.append(move)
                    Self.note(move, in: &caps)
                }
                let result = DebitResult(key: request.key, granted: refusal == nil, reason: refusal, sequence: event.seq, replayed: false)
                firstInBatch[key] = result
                results.append(result)
            }
            do {
                try session.appendAndApply(appender.events, movements: moves)
            } catch let refused as CapRefused {
                throw LedgerError("the store refused the change (nothing recorded): \(refused.detail)")
            }
            return results
        }
    }

    /// A single request that the pack's limits allow, appended in one round trip where the backend
    /// can (PostgreSQL); nil when the general path must decide (refusals, expiries due, no such path).
    /// The event is the one the general path would record for a grant.
    private func debitInOneStatement(_ request: DebitRequest, at time: String, limits: CapLimitLookup) throws -> DebitResult? {
        var moves: [Movement] = []
        for debit in request.debits {
            guard let limit = limits(debit.cap, request.date)?.limit, debit.tpp.milli <= limit.milli else { return nil }
            moves.append(Self.movement(debit, used: debit.tpp.milli, reserved: 0, limit: limit.milli))
        }
        let body = EventBody.request(type: "debit", recordedAt: time, key: request.key, date: request.date, expiresAt: nil,
                                     debits: request.debits, granted: true, reason: nil, moves: moves)
        let outcome: GrantedDebitOutcome
        do {
            outcome = try backend.appendGrantedDebit(GrantedDebit(key: "debit/\(request.key)", recordedAt: time, body: body, moves: moves),
                                                     dueAt: time)
        } catch let refused as CapRefused {
            throw LedgerError("the store refused the change (nothing recorded): \(refused.detail)")
        }
        switch outcome {
        case let .granted(seq): return DebitResult(key: request.key, granted: true, reason: nil, sequence: seq, replayed: false)
        case let .replayed(event): return try Self.storedResult(event, key: request.key)
        case .general: return nil
        }
    }

    /// Keeps the in-transaction view of a cap up to date while a batch is decided.
    static func note(_ move: Movement, in caps: inout [String: CapRow]) {
        var row = caps[move.cap] ?? CapRow(cap: move.cap, kind: move.kind, party: move.party, country: move.country, year: move.year,
                                           limitMilli: nil, usedMilli: 0, reservedMilli: 0, debitCount: 0)
        row.usedMilli += move.usedMilli
        row.reservedMilli += move.reservedMilli
        if let limit = move.limitMilli { row.limitMilli = limit }
        caps[move.cap] = row
    }

    public func reserve(_ request: ReservationRequest, at time: String, limits: CapLimitLookup) throws -> DebitResult {
        try Self.validate(key: request.id, debits: request.debits, what: "reservation")
        guard LedgerClock.normalize(request.expiresAt) == request.expiresAt else {
            throw LedgerError("reservation \(request.id): expiry \"\(request.expiresAt)\" is not YYYY-MM-DDTHH:MM:SSZ")
        }
        return try backend.write { session in
            _ = try Self.expireDue(session, at: time)
            let key = "reserve/\(request.id)"
            if let event = try session.events(keys: [key]).first { return try Self.storedResult(event, key: request.id) }
            var refusal: String?
            var moves: [Movement] = []
            if request.expiresAt <= time {
                refusal = "expiry \(request.expiresAt) is not after \(time)"
            } else {
                let caps = try session.caps(request.debits.map(\.cap.name))
                (moves, refusal) = Self.decide(request.debits, date: request.date, caps: caps, limits: limits, reserve: true)
            }
            var appender = try Appender(session)
            let body = EventBody.request(type: "reserve", recordedAt: time, key: request.id, date: request.date, expiresAt: request.expiresAt,
                                         debits: request.debits, granted: refusal == nil, reason: refusal, moves: moves)
            let event = appender.add(runID: nil, kind: "reserve", key: key, recordedAt: time, body: body)
            try appender.flush()
            try Self.apply(session, moves.map { var m = $0; m.seq = event.seq; return m })
            try session.putReservation(ReservationRow(id: request.id, state: refusal == nil ? "reserved" : "refused",
                                                      expiresAt: request.expiresAt, openedSeq: event.seq,
                                                      closedSeq: refusal == nil ? nil : event.seq))
            return DebitResult(key: request.id, granted: refusal == nil, reason: refusal, sequence: event.seq, replayed: false)
        }
    }

    public func grant(reservation id: String, at time: String) throws -> (Reservation, replayed: Bool) {
        try close(id, at: time, to: .granted)
    }

    public func deny(reservation id: String, at time: String) throws -> (Reservation, replayed: Bool) {
        try close(id, at: time, to: .denied)
    }

    public func expire(at time: String) throws -> Int {
        try backend.write { try Self.expireDue($0, at: time) }
    }

    public func reservation(id: String) throws -> Reservation? {
        try backend.read { session in
            guard let row = try session.reservation(id: id) else { return nil }
            return try Self.reservation(session, row)
        }
    }

    private func close(_ id: String, at time: String, to state: ReservationState) throws -> (Reservation, replayed: Bool) {
        // Expiries first, in their own transaction: a grant that comes too late still records the expiry.
        _ = try backend.write { try Self.expireDue($0, at: time) }
        return try backend.write { session in
            guard let row = try session.reservation(id: id) else { throw LedgerError("no reservation \"\(id)\" in the ledger") }
            if row.state == state.rawValue { return (try Self.reservation(session, row), true) }
            guard row.state == ReservationState.reserved.rawValue else {
                throw LedgerError("reservation \(id) is \(row.state); it cannot be \(state.rawValue) (nothing recorded)")
            }
            try Self.release(session, row, at: time, to: state)
            return (try Self.reservation(session, try session.reservation(id: id)!), false)
        }
    }

    /// Grants, denies or expires an open reservation: one event, its moves and the new state.
    static func release(_ session: any LedgerSession, _ row: ReservationRow, at time: String, to state: ReservationState) throws {
        guard let opening = try session.event(seq: row.openedSeq), let parsed = EventBody.parse(opening.body, seq: opening.seq) else {
            throw LedgerError("the event that opened reservation \(row.id) is unreadable; run `ledger verify`")
        }
        let moves = parsed.moves.map { move -> Movement in
            var m = move
            m.reservedMilli = -move.reservedMilli
            m.usedMilli = state == .granted ? move.reservedMilli : 0
            m.limitMilli = nil
            return m
        }
        var appender = try Appender(session)
        let type = state == .granted ? "grant" : (state == .denied ? "deny" : "expire")
        let key = state == .granted ? "grant/\(row.id)" : "release/\(row.id)"
        let event = appender.add(runID: nil, kind: type, key: key, recordedAt: time,
                                 body: EventBody.closing(type: type, recordedAt: time, id: row.id, moves: moves))
        try appender.flush()
        try apply(session, moves.map { var m = $0; m.seq = event.seq; return m })
        var closed = row
        closed.state = state.rawValue
        closed.closedSeq = event.seq
        try session.putReservation(closed)
    }

    /// Releases every open reservation whose expiry has come, in expiry order.
    static func expireDue(_ session: any LedgerSession, at time: String) throws -> Int {
        let due = try session.expiredReservations(at: time)
        for row in due { try release(session, row, at: time, to: .expired) }
        return due.count
    }

    static func reservation(_ session: any LedgerSession, _ row: ReservationRow) throws -> Reservation {
        var debits: [Debit] = []
        var reason: String?
        if let event = try session.event(seq: row.openedSeq),
           let object = try? JSONSerialization.jsonObject(with: Data(event.body.utf8)) as? [String: Any] {
            for item in object["request"] as? [[String: Any]] ?? [] {
                if let name = item["cap"] as? String, let cap = CapKey(name: name), let milli = (item["tpp_milli"] as? NSNumber)?.int64Value {
                    debits.append(Debit(cap: cap, tpp: TPP(milli: milli)))
                }
            }
            reason = object["reason"] as? String
        }
        return Reservation(id: row.id, state: ReservationState(rawValue: row.state) ?? .refused, debits: debits,
                           expiresAt: row.expiresAt, openedAt: row.openedSeq, closedAt: row.closedSeq, reason: reason)
    }
}
