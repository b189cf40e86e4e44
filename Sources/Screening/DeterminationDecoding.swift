import ComputeMetrics
import DiffusionRules
import Foundation

/// Reads back a determination printed as JSON (the ledger stores them so that a re-commit returns
/// the stored result).
public enum DeterminationDecoding {
    /// Parses one determination object; nil when it is not one.
    public static func decode(_ json: String) -> Determination? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let id = object["id"] as? String, let dateText = object["date"] as? String, let date = Day(dateText),
              let regime = object["regime"] as? String, let item = object["item"] as? String,
              let eccn = object["eccn"] as? String, let destinationText = object["destination"] as? String,
              let destination = CountryCode(destinationText),
              let authorizationText = object["authorization"] as? String,
              let authorization = Authorization(rawValue: authorizationText) else { return nil }
        func tpp(_ key: String) -> TPP? { (object[key] as? NSNumber).map { TPP($0.doubleValue) } }
        var debits: [Debit] = []
        for debit in object["debits"] as? [[String: Any]] ?? [] {
            guard let name = debit["cap"] as? String, let amount = debit["tpp"] as? NSNumber, let cap = capKey(name) else { return nil }
            debits.append(Debit(cap: cap, tpp: TPP(amount.doubleValue)))
        }
        let reasons = (object["reasons"] as? [[String: Any]] ?? []).map {
            Reason(code: $0["code"] as? String ?? "", text: $0["text"] as? String ?? "", citation: $0["citation"] as? String ?? "")
        }
        return Determination(
            id: id, date: date, regime: regime, layers: object["layers"] as? [String] ?? [], item: item, eccn: eccn,
            tppPerUnit: tpp("tpp_per_unit"), tppTotal: tpp("tpp_total"),
            h100Equivalents: (object["h100_equivalents"] as? NSNumber)?.doubleValue, destination: destination,
            destinationTier: (object["destination_tier"] as? NSNumber)?.intValue,
            consigneeHQTier: (object["consignee_hq_tier"] as? NSNumber)?.intValue,
            licenseRequired: (object["license_required"] as? Bool) ?? authorization.licenseRequired,
            authorization: authorization,
            reviewPolicy: (object["review_policy"] as? String).flatMap(ReviewPolicy.init(rawValue:)),
            debits: debits, reasons: reasons, warnings: object["warnings"] as? [String] ?? [],
            partyHits: (object["party_hits"] as? [[String: Any]]).map { $0.map(partyHit) })
    }

    /// A `party_hits` element back into a ``PartyHit``.
    static func partyHit(_ o: [String: Any]) -> PartyHit {
        let e = o["explanation"] as? [String: Any] ?? [:]
        let features = (e["features"] as? [[String: Any]] ?? []).map {
            PartyHitFeature(feature: $0["feature"] as? String ?? "", value: ($0["value"] as? NSNumber)?.doubleValue ?? 0,
                            weight: ($0["weight"] as? NSNumber)?.doubleValue ?? 0)
        }
        return PartyHit(partyRole: o["party_role"] as? String ?? "", name: o["name"] as? String ?? "", list: o["list"] as? String ?? "",
                        entryID: o["entry_id"] as? String ?? "", score: (o["score"] as? NSNumber)?.doubleValue ?? 0,
                        decision: o["decision"] as? String ?? "",
                        explanation: PartyHitExplanation(basis: e["basis"] as? String ?? "", matched: e["matched"] as? String ?? "",
                                                         features: features, text: e["text"] as? String ?? ""))
    }

    /// `lpp/<parent>/<year>`, `country_allocation/<CC>`, `uveu/<holder>/<CC>`, `nveu/<holder>/<CC>`.
    public static func capKey(_ name: String) -> CapKey? {
        guard let firstSlash = name.firstIndex(of: "/") else { return nil }
        let kind = name[..<firstSlash]
        let rest = name[name.index(after: firstSlash)...]
        switch kind {
        case "country_allocation":
            return CountryCode(String(rest)).map(CapKey.countryAllocation)
        case "lpp", "uveu", "nveu":
            guard let lastSlash = rest.lastIndex(of: "/") else { return nil }
            let party = String(rest[..<lastSlash])
            let tail = String(rest[rest.index(after: lastSlash)...])
            if kind == "lpp" { return Int(tail).map { CapKey.lpp(parent: party, year: $0) } }
            guard let country = CountryCode(tail) else { return nil }
            return kind == "uveu" ? .uveu(holder: party, country: country) : .nveu(holder: party, country: country)
        default:
            return nil
        }
    }
}
