import ComputeMetrics
import DiffusionRules
import TabularIO

/// A row of the `records` table: the current state of a hold, licence or API token. Like every
/// table but `ledger_meta` and `runs`, it is a projection of the events: ``ReviewProjection``
/// computes it from them, once for the operations that write it and again for `ledger verify`.
struct RecordRow: Sendable, Equatable {
    /// `hold`, `licence` or `token`.
    var kind: String
    /// Hold: its determination event's sequence; licence: its number; token: SHA-256 of the secret.
    var id: String
    /// Hold: open/escalated/released/rejected; licence: active/expired; token: active/revoked.
    var status: String
    /// Licence: when it lapses (`YYYY-MM-DDTHH:MM:SSZ`); nil otherwise.
    var due: String?
    var openedSeq: Int64
    var updatedSeq: Int64
    /// The state as canonical JSON (``ReviewProjection``).
    var body: String
}

/// How events change holds, licences and tokens. The same function serves the write path (which
/// records an event, then stores what this derives from it) and `ledger verify` (which derives the
/// records from every event and compares), so the two cannot disagree.
enum ReviewProjection {
    /// Event kinds this projection reads.
    static let kinds: Set<String> = ["determination", "hold_decision", "recheck", "licence", "licence_expire", "token", "token_revoke"]

    /// The records `event` creates or changes. `current(kind, id)` gives a record as it stands
    /// before the event. Throws ``LedgerError`` when the event refers to a record that does not exist.
    static func apply(_ event: StoredEvent, _ parsed: EventBody.Parsed,
                      current: (String, String) throws -> RecordRow?) throws -> [RecordRow] {
        let o = parsed.object
        switch parsed.type {
        case "determination":
            guard let hold = o["hold"], !hold.isNull else { return [] }
            guard let quantity = hold["quantity"]?.int, let input = hold["input_csv"]?.string,
                  let json = EventBody.determinationJSON(of: event.body), let row = o["row_id"]?.string else {
                throw LedgerError("event \(event.seq): hold is not well formed")
            }
            let state = HoldState(id: event.seq, run: event.runID ?? 0, row: row, quantity: quantity, inputCSV: input,
                                  determinationJSON: json, determinationSeq: event.seq, createdAt: event.recordedAt,
                                  decisions: [], recheck: nil)
            return [RecordRow(kind: "hold", id: String(event.seq), status: HoldStatus.open.rawValue, due: nil,
                              openedSeq: event.seq, updatedSeq: event.seq, body: state.encoded())]
        case "hold_decision":
            guard let id = o["hold"]?.int, let actionText = o["action"]?.string, let action = HoldAction(rawValue: actionText),
                  let toText = o["to"]?.string, let to = HoldStatus(rawValue: toText) else {
                throw LedgerError("event \(event.seq): hold decision is not well formed")
            }
            guard let row = try current("hold", String(id)), var state = HoldState(body: row.body) else {
                throw LedgerError("event \(event.seq): decides hold \(id), which does not exist")
            }
            state.decisions.append(HoldDecisionRecord(
                sequence: event.seq, action: action, to: to, licence: o["licence"]?.string, debitMilli: o["debit_milli"]?.int,
                note: o["note"]?.string, by: token(o["token"]), at: event.recordedAt))
            return [RecordRow(kind: "hold", id: row.id, status: to.rawValue, due: nil, openedSeq: row.openedSeq,
                              updatedSeq: event.seq, body: state.encoded())]
        case "recheck":
            guard let regime = o["regime"]?.string, let asOf = o["as_of"]?.string, let changed = o["changed"]?.array else {
                throw LedgerError("event \(event.seq): recheck is not well formed")
            }
            var rows: [RecordRow] = []
            for change in changed {
                guard let id = change["hold"]?.int, let json = change["determination_json"]?.string,
                      let row = try current("hold", String(id)), var state = HoldState(body: row.body) else {
                    throw LedgerError("event \(event.seq): recheck changes a hold that does not exist")
                }
                state.determinationJSON = json
                state.determinationSeq = event.seq
                state.recheck = (event.seq, regime, asOf)
                rows.append(RecordRow(kind: "hold", id: row.id, status: row.status, due: nil, openedSeq: row.openedSeq,
                                      updatedSeq: event.seq, body: state.encoded()))
            }
            return rows
        case "licence":
            guard let spec = licenceSpec(o) else { throw LedgerError("event \(event.seq): licence is not well formed") }
            let state = LicenceState(spec: spec, createdAt: event.recordedAt, createdBy: token(o["token"]), sequence: event.seq)
            return [RecordRow(kind: "licence", id: spec.number, status: "active", due: spec.expiresAt, openedSeq: event.seq,
                              updatedSeq: event.seq, body: state.encoded())]
        case "licence_expire":
            guard let number = o["number"]?.string, let row = try current("licence", number) else {
                throw LedgerError("event \(event.seq): expires a licence that does not exist")
            }
            return [RecordRow(kind: "licence", id: number, status: "expired", due: row.due, openedSeq: row.openedSeq,
                              updatedSeq: event.seq, body: row.body)]
        case "token":
            guard let name = o["name"]?.string, let role = o["role"]?.string, let sha = o["token_sha256"]?.string else {
                throw LedgerError("event \(event.seq): token is not well formed")
            }
            let state = TokenState(name: name, role: role, createdAt: event.recordedAt, createdBy: token(o["token"]), sequence: event.seq)
            return [RecordRow(kind: "token", id: sha, status: "active", due: nil, openedSeq: event.seq, updatedSeq: event.seq,
                              body: state.encoded())]
        case "token_revoke":
            guard let sha = o["token_sha256"]?.string, let row = try current("token", sha) else {
                throw LedgerError("event \(event.seq): revokes a token that does not exist")
            }
            return [RecordRow(kind: "token", id: sha, status: "revoked", due: nil, openedSeq: row.openedSeq, updatedSeq: event.seq,
                              body: row.body)]
        default:
            return []
        }
    }

    static func token(_ value: EventJSON?) -> ActingToken? {
        guard let value, let name = value["name"]?.string, let role = value["role"]?.string else { return nil }
        return ActingToken(name: name, role: role)
    }

    static func licenceSpec(_ o: EventJSON) -> LicenceSpec? {
        guard let number = o["number"]?.string, let unitText = o["unit"]?.string, let unit = LicenceUnit(rawValue: unitText),
              let limit = o["limit_milli"]?.int, let issuedText = o["issued"]?.string, let issued = Day(issuedText),
              let expiresText = o["expires"]?.string, let expires = Day(expiresText) else { return nil }
        return LicenceSpec(number: number, issued: issued, expires: expires, unit: unit, limit: TPP(milli: limit),
                           destination: o["destination"]?.string.flatMap(CountryCode.init), consignee: o["consignee"]?.string)
    }
}

/// JSON fragments shared by event bodies and record bodies.
enum ReviewJSON {
    static func q(_ text: String) -> String { JSONEscaping.quoted(text) }
    static func q(_ text: String?) -> String { text.map { JSONEscaping.quoted($0) } ?? "null" }
    static func n(_ value: Int64?) -> String { value.map(String.init) ?? "null" }

    static func token(_ token: ActingToken?) -> String {
        guard let token else { return "null" }
        return "{\"name\":\(q(token.name)),\"role\":\(q(token.role))}"
    }
}

/// A hold's state (the body of its record).
struct HoldState {
    var id: Int64
    var run: Int64
    var row: String
    var quantity: Int64
    var inputCSV: String
    var determinationJSON: String
    var determinationSeq: Int64
    var createdAt: String
    var decisions: [HoldDecisionRecord]
    var recheck: (Int64, String, String)?

    func encoded() -> String {
        typealias J = ReviewJSON
        var text = "{\"id\":\(id),\"run\":\(run),\"row\":\(J.q(row)),\"quantity\":\(quantity),\"input_csv\":\(J.q(inputCSV))"
        text += ",\"determination_json\":\(J.q(determinationJSON)),\"determination_seq\":\(determinationSeq)"
        text += ",\"created_at\":\(J.q(createdAt)),\"decisions\":["
        text += decisions.map { d in
            "{\"seq\":\(d.sequence),\"action\":\(J.q(d.action.rawValue)),\"to\":\(J.q(d.to.rawValue)),\"licence\":\(J.q(d.licence)),\"debit_milli\":\(J.n(d.debitMilli)),\"note\":\(J.q(d.note)),\"by\":\(J.token(d.by)),\"at\":\(J.q(d.at))}"
        }.joined(separator: ",")
        text += "],\"recheck\":"
        text += recheck.map { "{\"seq\":\($0.0),\"regime\":\(J.q($0.1)),\"as_of\":\(J.q($0.2))}" } ?? "null"
        return text + "}"
    }

    init(id: Int64, run: Int64, row: String, quantity: Int64, inputCSV: String, determinationJSON: String, determinationSeq: Int64,
         createdAt: String, decisions: [HoldDecisionRecord], recheck: (Int64, String, String)?) {
        self.id = id
        self.run = run
        self.row = row
        self.quantity = quantity
        self.inputCSV = inputCSV
        self.determinationJSON = determinationJSON
        self.determinationSeq = determinationSeq
        self.createdAt = createdAt
        self.decisions = decisions
        self.recheck = recheck
    }

    init?(body: String) {
        guard let o = EventJSON.parse(body), let id = o["id"]?.int, let run = o["run"]?.int, let row = o["row"]?.string,
              let quantity = o["quantity"]?.int, let input = o["input_csv"]?.string, let json = o["determination_json"]?.string,
              let seq = o["determination_seq"]?.int, let created = o["created_at"]?.string, let list = o["decisions"]?.array else { return nil }
        var decisions: [HoldDecisionRecord] = []
        for d in list {
            guard let s = d["seq"]?.int, let action = d["action"]?.string.flatMap(HoldAction.init(rawValue:)),
                  let to = d["to"]?.string.flatMap(HoldStatus.init(rawValue:)), let at = d["at"]?.string else { return nil }
            decisions.append(HoldDecisionRecord(sequence: s, action: action, to: to, licence: d["licence"]?.string,
                                                debitMilli: d["debit_milli"]?.int, note: d["note"]?.string,
                                                by: ReviewProjection.token(d["by"]), at: at))
        }
        var recheck: (Int64, String, String)?
        if let r = o["recheck"], !r.isNull {
            guard let s = r["seq"]?.int, let regime = r["regime"]?.string, let asOf = r["as_of"]?.string else { return nil }
            recheck = (s, regime, asOf)
        }
        self.init(id: id, run: run, row: row, quantity: quantity, inputCSV: input, determinationJSON: json, determinationSeq: seq,
                  createdAt: created, decisions: decisions, recheck: recheck)
    }

    func hold(status: String) -> Hold? {
        guard let status = HoldStatus(rawValue: status) else { return nil }
        return Hold(id: id, run: run, row: row, status: status, quantity: quantity, inputCSV: inputCSV,
                    determinationJSON: determinationJSON, determinationSequence: determinationSeq, createdAt: createdAt,
                    decisions: decisions, recheck: recheck.map { (sequence: $0.0, regime: $0.1, asOf: $0.2) })
    }
}

/// A licence's terms and origin (the body of its record); its use is the `licence/<number>` cap.
struct LicenceState {
    var spec: LicenceSpec
    var createdAt: String
    var createdBy: ActingToken?
    var sequence: Int64

    func encoded() -> String {
        typealias J = ReviewJSON
        var text = "{\"number\":\(J.q(spec.number)),\"unit\":\(J.q(spec.unit.rawValue)),\"limit_milli\":\(spec.limit.milli)"
        text += ",\"issued\":\(J.q(spec.issued.description)),\"expires\":\(J.q(spec.expires.description))"
        text += ",\"destination\":\(J.q(spec.destination?.description)),\"consignee\":\(J.q(spec.consignee))"
        text += ",\"created_at\":\(J.q(createdAt)),\"created_by\":\(J.token(createdBy)),\"seq\":\(sequence)}"
        return text
    }

    init(spec: LicenceSpec, createdAt: String, createdBy: ActingToken?, sequence: Int64) {
        self.spec = spec
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.sequence = sequence
    }

    init?(body: String) {
        guard let o = EventJSON.parse(body), let spec = ReviewProjection.licenceSpec(o), let created = o["created_at"]?.string,
              let seq = o["seq"]?.int else { return nil }
        self.init(spec: spec, createdAt: created, createdBy: ReviewProjection.token(o["created_by"]), sequence: seq)
    }
}

/// An API token's name and role (the body of its record, whose id is the secret's SHA-256).
struct TokenState {
    var name: String
    var role: String
    var createdAt: String
    var createdBy: ActingToken?
    var sequence: Int64

    func encoded() -> String {
        typealias J = ReviewJSON
        return "{\"name\":\(J.q(name)),\"role\":\(J.q(role)),\"created_at\":\(J.q(createdAt)),\"created_by\":\(J.token(createdBy)),\"seq\":\(sequence)}"
    }

    init(name: String, role: String, createdAt: String, createdBy: ActingToken?, sequence: Int64) {
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.sequence = sequence
    }

    init?(body: String) {
        guard let o = EventJSON.parse(body), let name = o["name"]?.string, let role = o["role"]?.string,
              let created = o["created_at"]?.string, let seq = o["seq"]?.int else { return nil }
        self.init(name: name, role: role, createdAt: created, createdBy: ReviewProjection.token(o["created_by"]), sequence: seq)
    }
}
