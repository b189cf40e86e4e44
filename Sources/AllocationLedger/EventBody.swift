import ComputeMetrics
import DiffusionRules
import Foundation
import TabularIO

/// Canonical JSON bodies of ledger events (what the hash chain covers) and their parsing for
/// verification. Every body carries its `moves` (changes of used and reserved TPP per cap, with
/// the limit recorded from the rule pack) so `ledger verify` can recompute every projection.
enum EventBody {
    static func determination(run: RunInfo, record: LedgerRecord, moves: [Movement]) -> String {
        var text = "{\"type\":\"determination\",\"recorded_at\":\(q(run.recordedAt)),\"file_sha256\":\(q(run.fileSHA256))"
        text += ",\"file\":\(q(run.fileName)),\"regime\":\(q(run.regime)),\"rule_pack_sha256\":\(q(run.rulePackSHA256))"
        text += ",\"row_id\":\(q(record.rowID)),\"moves\":\(movesJSON(moves)),\"installed_base\":"
        text += record.installedBaseAddition.map(installedBase) ?? "null"
        // Only service commits carry these (a CLI commit's body is as before).
        if let actor = run.actor { text += ",\"token\":\(ReviewJSON.token(actor))" }
        if let hold = record.hold { text += ",\"hold\":{\"quantity\":\(hold.quantity),\"input_csv\":\(q(hold.inputCSV))}" }
        text += ",\"determination\":\(record.determinationJSON)}"
        return text
    }

    /// The determination object of a determination event, as recorded (its last member).
    static func determinationJSON(of body: String) -> String? {
        guard let range = body.range(of: ",\"determination\":") else { return nil }
        return String(body[range.upperBound...].dropLast())
    }

    /// A commit's idempotency key (HTTP `Idempotency-Key`) and the content it was first used for.
    static func request(recordedAt: String, key: String, requestSHA256: String, runID: Int64, actor: ActingToken?) -> String {
        "{\"type\":\"request\",\"recorded_at\":\(q(recordedAt)),\"key\":\(q(key)),\"request_sha256\":\(q(requestSHA256)),\"run_id\":\(runID),\"token\":\(ReviewJSON.token(actor)),\"moves\":[]}"
    }

    /// An officer's decision on a hold, with the licence debit it makes.
    static func holdDecision(recordedAt: String, hold: Int64, action: HoldAction, from: HoldStatus, to: HoldStatus, licence: String?,
                             debitMilli: Int64?, note: String?, actor: ActingToken?, moves: [Movement]) -> String {
        typealias J = ReviewJSON
        var text = "{\"type\":\"hold_decision\",\"recorded_at\":\(q(recordedAt)),\"hold\":\(hold),\"action\":\(q(action.rawValue))"
        text += ",\"from\":\(q(from.rawValue)),\"to\":\(q(to.rawValue)),\"licence\":\(J.q(licence)),\"debit_milli\":\(J.n(debitMilli))"
        text += ",\"note\":\(J.q(note)),\"token\":\(J.token(actor)),\"moves\":\(movesJSON(moves))}"
        return text
    }

    /// A licence: its terms, and the move that records its limit on the `licence/<number>` cap.
    static func licence(recordedAt: String, spec: LicenceSpec, actor: ActingToken?, moves: [Movement]) -> String {
        typealias J = ReviewJSON
        var text = "{\"type\":\"licence\",\"recorded_at\":\(q(recordedAt)),\"number\":\(q(spec.number)),\"unit\":\(q(spec.unit.rawValue))"
        text += ",\"limit_milli\":\(spec.limit.milli),\"issued\":\(q(spec.issued.description)),\"expires\":\(q(spec.expires.description))"
        text += ",\"expires_at\":\(q(spec.expiresAt)),\"destination\":\(J.q(spec.destination?.description)),\"consignee\":\(J.q(spec.consignee))"
        text += ",\"token\":\(J.token(actor)),\"moves\":\(movesJSON(moves))}"
        return text
    }

    /// The end of a licence: its cap's limit comes down to what was used, so the store refuses any later debit.
    static func licenceExpiry(recordedAt: String, number: String, moves: [Movement]) -> String {
        "{\"type\":\"licence_expire\",\"recorded_at\":\(q(recordedAt)),\"number\":\(q(number)),\"moves\":\(movesJSON(moves))}"
    }

    /// A recheck of pending holds under a regime on a date: which holds were checked, and the new
    /// determinations of those that changed (as JSON text, exactly as screened).
    static func recheck(recordedAt: String, regime: String, asOf: Day, rulePackSHA256: String, checked: [Int64],
                        changed: [RecheckChange], actor: ActingToken?) -> String {
        var text = "{\"type\":\"recheck\",\"recorded_at\":\(q(recordedAt)),\"regime\":\(q(regime)),\"as_of\":\(q(asOf.description))"
        text += ",\"rule_pack_sha256\":\(q(rulePackSHA256)),\"checked\":[\(checked.map(String.init).joined(separator: ","))]"
        text += ",\"changed\":[" + changed.map { "{\"hold\":\($0.hold),\"determination_json\":\(q($0.determinationJSON))}" }.joined(separator: ",")
        text += "],\"token\":\(ReviewJSON.token(actor)),\"moves\":[]}"
        return text
    }

    /// An API token (its secret's SHA-256 only) or its revocation.
    static func token(type: String, recordedAt: String, name: String, role: String?, sha256: String, actor: ActingToken?) -> String {
        var text = "{\"type\":\(q(type)),\"recorded_at\":\(q(recordedAt)),\"name\":\(q(name))"
        if let role { text += ",\"role\":\(q(role))" }
        text += ",\"token_sha256\":\(q(sha256)),\"token\":\(ReviewJSON.token(actor)),\"moves\":[]}"
        return text
    }

    static func fleet(fileSHA256: String, fileName: String, recordedAt: String, line: Int, entry: InstalledBaseEntry) -> String {
        "{\"type\":\"fleet\",\"recorded_at\":\(q(recordedAt)),\"file_sha256\":\(q(fileSHA256)),\"file\":\(q(fileName)),\"line\":\(line),\"moves\":[],\"installed_base\":\(installedBase(entry))}"
    }

    /// A debit or reservation request and its outcome.
    static func request(type: String, recordedAt: String, key: String, date: Day, expiresAt: String?,
                        debits: [Debit], granted: Bool, reason: String?, moves: [Movement]) -> String {
        var text = "{\"type\":\(q(type)),\"recorded_at\":\(q(recordedAt)),\"key\":\(q(key)),\"date\":\(q(date.description))"
        if let expiresAt { text += ",\"expires_at\":\(q(expiresAt))" }
        text += ",\"request\":[" + debits.map { "{\"cap\":\(q($0.cap.name)),\"tpp_milli\":\($0.tpp.milli)}" }.joined(separator: ",") + "]"
        text += ",\"granted\":\(granted),\"reason\":\(reason.map(q) ?? "null"),\"moves\":\(movesJSON(moves))}"
        return text
    }

    /// A grant, denial or expiry of a reservation.
    static func closing(type: String, recordedAt: String, id: String, moves: [Movement]) -> String {
        "{\"type\":\(q(type)),\"recorded_at\":\(q(recordedAt)),\"reservation\":\(q(id)),\"moves\":\(movesJSON(moves))}"
    }

    static func movesJSON(_ moves: [Movement]) -> String {
        "[" + moves.map { m in
            "{\"cap\":\(q(m.cap)),\"kind\":\(q(m.kind)),\"party\":\(m.party.map(q) ?? "null"),\"country\":\(m.country.map(q) ?? "null"),\"year\":\(m.year.map(String.init) ?? "null"),\"used_milli\":\(m.usedMilli),\"reserved_milli\":\(m.reservedMilli),\"limit_milli\":\(m.limitMilli.map(String.init) ?? "null")}"
        }.joined(separator: ",") + "]"
    }

    static func installedBase(_ entry: InstalledBaseEntry) -> String {
        "{\"holder\":\(q(entry.holder)),\"country\":\(q(entry.country.description)),\"tpp_milli\":\(entry.tpp.milli),\"as_of\":\(entry.asOf.map { q($0.description) } ?? "null")}"
    }

    private static func q(_ text: String) -> String { JSONEscaping.quoted(text) }

    /// What verification needs from a body.
    struct Parsed {
        var type: String
        var recordedAt: String
        var moves: [Movement] = []
        var installedBase: BaseRow?
        var object: EventJSON
    }

    /// Parses a body; nil when it is not the JSON this tool writes.
    static func parse(_ body: String, seq: Int64) -> Parsed? {
        guard let object = EventJSON.parse(body), let type = object["type"]?.string,
              let recordedAt = object["recorded_at"]?.string, let moves = object["moves"]?.array else { return nil }
        var parsed = Parsed(type: type, recordedAt: recordedAt, object: object)
        for item in moves {
            guard let cap = item["cap"]?.string, let kind = item["kind"]?.string,
                  let used = item["used_milli"]?.int, let reserved = item["reserved_milli"]?.int else { return nil }
            parsed.moves.append(Movement(seq: seq, cap: cap, kind: kind, party: item["party"]?.string,
                                         country: item["country"]?.string, year: item["year"]?.int.map { Int($0) },
                                         usedMilli: used, reservedMilli: reserved, limitMilli: item["limit_milli"]?.int))
        }
        if let base = object["installed_base"], !base.isNull {
            guard let holder = base["holder"]?.string, let country = base["country"]?.string,
                  let milli = base["tpp_milli"]?.int else { return nil }
            parsed.installedBase = BaseRow(seq: seq, holder: holder, country: country, milli: milli, asOf: base["as_of"]?.string)
        }
        return parsed
    }

    /// The hash of an event: SHA-256 over the previous hash and every stored field of the event.
    static func hash(previous: String, seq: Int64, runID: Int64?, kind: String, key: String, recordedAt: String, body: String) -> String {
        Digest.sha256Hex(Array("\(previous)\n\(seq)\n\(runID.map(String.init) ?? "")\n\(kind)\n\(key)\n\(recordedAt)\n\(body)".utf8))
    }

    static func hash(previous: String, _ event: StoredEvent) -> String {
        hash(previous: previous, seq: event.seq, runID: event.runID, kind: event.kind, key: event.key,
             recordedAt: event.recordedAt, body: event.body)
    }
}
