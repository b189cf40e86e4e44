import ComputeMetrics
import DiffusionRules
import Foundation
import TabularIO

/// Canonical JSON bodies of ledger events (what the hash chain covers) and their parsing for
/// verification.
enum EventBody {
    static func determination(run: RunInfo, record: LedgerRecord) -> String {
        var text = "{\"type\":\"determination\",\"file_sha256\":\(JSONEscaping.quoted(run.fileSHA256))"
        text += ",\"file\":\(JSONEscaping.quoted(run.fileName)),\"regime\":\(JSONEscaping.quoted(run.regime))"
        text += ",\"row_id\":\(JSONEscaping.quoted(record.rowID)),\"debits\":["
        text += record.debits.map(debit).joined(separator: ",")
        text += "],\"installed_base\":"
        text += record.installedBaseAddition.map(installedBase) ?? "null"
        text += ",\"determination\":\(record.determinationJSON)}"
        return text
    }

    static func fleet(fileSHA256: String, fileName: String, line: Int, entry: InstalledBaseEntry) -> String {
        "{\"type\":\"fleet\",\"file_sha256\":\(JSONEscaping.quoted(fileSHA256)),\"file\":\(JSONEscaping.quoted(fileName)),\"line\":\(line),\"installed_base\":\(installedBase(entry))}"
    }

    static func debit(_ debit: Debit) -> String {
        var text = "{\"cap\":\(JSONEscaping.quoted(debit.cap.name)),\"kind\":\(JSONEscaping.quoted(debit.cap.kind))"
        text += ",\"party\":\(debit.cap.party.map(JSONEscaping.quoted) ?? "null")"
        text += ",\"country\":\(debit.cap.country.map { JSONEscaping.quoted($0.description) } ?? "null")"
        text += ",\"year\":\(debit.cap.year.map(String.init) ?? "null"),\"tpp_milli\":\(debit.tpp.milli)}"
        return text
    }

    static func installedBase(_ entry: InstalledBaseEntry) -> String {
        "{\"holder\":\(JSONEscaping.quoted(entry.holder)),\"country\":\(JSONEscaping.quoted(entry.country.description)),\"tpp_milli\":\(entry.tpp.milli),\"as_of\":\(entry.asOf.map { JSONEscaping.quoted($0.description) } ?? "null")}"
    }

    /// Debits and installed-base entry recorded in a body, for recomputing projections.
    struct Parsed {
        var debits: [(cap: String, kind: String, party: String?, country: String?, year: Int?, milli: Int64)] = []
        var installedBase: (holder: String, country: String, milli: Int64, asOf: String?)?
        var determination: [String: Any]?
    }

    static func parse(_ body: String) -> Parsed? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return nil }
        var parsed = Parsed()
        for item in object["debits"] as? [[String: Any]] ?? [] {
            guard let cap = item["cap"] as? String, let kind = item["kind"] as? String,
                  let milli = (item["tpp_milli"] as? NSNumber)?.int64Value else { return nil }
            parsed.debits.append((cap, kind, item["party"] as? String, item["country"] as? String,
                                  (item["year"] as? NSNumber)?.intValue, milli))
        }
        if let base = object["installed_base"] as? [String: Any] {
            guard let holder = base["holder"] as? String, let country = base["country"] as? String,
                  let milli = (base["tpp_milli"] as? NSNumber)?.int64Value else { return nil }
            parsed.installedBase = (holder, country, milli, base["as_of"] as? String)
        }
        parsed.determination = object["determination"] as? [String: Any]
        return parsed
    }

    /// The hash of an event: SHA-256 over the previous hash and the event's fields.
    static func hash(previous: String, seq: Int64, kind: String, key: String, body: String) -> String {
        Digest.sha256Hex(Array("\(previous)\n\(seq)\n\(kind)\n\(key)\n\(body)".utf8))
    }
}
