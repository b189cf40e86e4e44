import DiffusionModel
import Foundation

/// `summary.json`: the machine-readable answer (schema in docs/simulator.md, "summary.json").
///
/// ```json
/// {"schema": "ai-diffusion/simulate-summary/1", "draws": 10000, "seed": 20260101, "accepted": 104, ...,
///  "checks": [{"id": "cn_lag_2023_months", "kind": "sanity_check", "role": "held_out",
///              "calibrated_p50": 10.8, "held_out_p50": 10.8, "pass": true, "held_out_pass": true}],
///  "open_frontier": [{"year": 2025, "lag_months_p50": 4.2, "origin_share": {"US": 0, "CN": 1, "T1": 0, "GULF": 0}}],
///  "levers": [{"lever": "enforcement", "actor": "CN", "domain": "frontier-general", "year": 2027,
///              "months_p10": 0.1, "months_p50": 0.4, "months_p90": 1.1}],
///  "durability": [{"lever": "enforcement", "actor": "CN", "domain": "frontier-general", "last_year_at_least_1_month": null}],
///  "where_to_slow": [{"actor": "CN", "domain": "frontier-general", "lever": "cloud-kyc", "rank": 1,
///                     "months_per_10b_p50": 2.3, "robust": true}]}
/// ```
/// Numbers use `%.6g`; undefined values are `null`. Key order is fixed.
public enum SummaryJSON {
    static func q(_ x: String) -> String { "\"" + x.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
    static func num(_ x: Double) -> String { x.isFinite ? String(format: "%.6g", x == 0 ? 0 : x) : "null" }

    public static func render(_ v: ResultView) -> String {
        let r = v.result
        var s = "{\n  \"schema\": \"ai-diffusion/simulate-summary/1\",\n"
        s += "  \"draws\": \(r.config.draws),\n  \"seed\": \(r.config.seed),\n  \"accepted\": \(r.acceptedCount),\n"
        s += "  \"acceptance_rate\": \(num(r.acceptanceRate)),\n  \"ensemble\": \(q(v.useCalibrated ? "calibrated" : "prior")),\n"
        s += "  \"warning\": \(v.smallEnsembleWarning.map(q) ?? "null"),\n"
        s += "  \"responses\": {\"domestic_substitution\": \(v.responses.domesticSubstitution), \"smuggling\": \(v.responses.smugglingResponse), \"efficiency\": \(v.responses.efficiencyResponse)},\n"
        s += "  \"robustness_seeds\": [\(v.robustnessSeeds.map(String.init).joined(separator: ", "))],\n"
        s += "  \"scenarios\": [" + r.scenarioNames.enumerated().map { "{\"name\": \(q($1)), \"kind\": \(q(r.scenarioKinds[$0].rawValue))}" }.joined(separator: ", ") + "],\n"
        s += "  \"domains\": [\(r.domainIDs.map(q).joined(separator: ", "))],\n"
        s += "  \"rule_packs\": [" + v.packs.map { "{\"id\": \(q($0.id)), \"rows_screened\": \($0.rowsScreened), \"provenance\": \(q($0.provenance))}" }.joined(separator: ", ") + "],\n"
        s += "  \"checks\": [\n" + v.calibration.checks.map { c in
            let x = v.checkValues(c)
            return "    {\"id\": \(q(c.statistic.rawValue)), \"kind\": \(q((c.kind ?? .sanityCheck).rawValue)), \"role\": \(q((c.role ?? .calibrated).rawValue)), "
                + "\"calibrated_p50\": \(num(x.calibrated)), \"held_out_p50\": \(num(x.heldOut)), \"pass\": \(c.test.contains(x.calibrated)), \"held_out_pass\": \(c.test.contains(x.heldOut))}"
        }.joined(separator: ",\n") + "\n  ],\n"
        s += "  \"open_frontier\": [\n" + v.years.map { year in
            let origins = OpenOrigin.allCases.map { "\(q($0.actor.rawValue)): \(num(v.originShare(year, $0)))" }.joined(separator: ", ")
            return "    {\"year\": \(year), \"lag_months_p50\": \(num(v.scenarioBand(0, year, .openLag).p50)), \"origin_share\": {\(origins)}}"
        }.joined(separator: ",\n") + "\n  ],\n"
        var levers: [String] = []
        for si in 1..<r.scenarioNames.count {
            for a in Actor.allCases where a != .us {
                for (d, domain) in v.domainIDs.enumerated() {
                    for year in v.projectionYears {
                        let b = v.monthsBought(si, year, a, domain: d)
                        levers.append("    {\"lever\": \(q(r.scenarioNames[si])), \"actor\": \(q(a.rawValue)), \"domain\": \(q(domain)), \"year\": \(year), \"months_p10\": \(num(b.p10)), \"months_p50\": \(num(b.p50)), \"months_p90\": \(num(b.p90))}")
                    }
                }
            }
        }
        s += "  \"levers\": [\n" + levers.joined(separator: ",\n") + "\n  ],\n"
        s += "  \"durability\": [\n" + v.durability.map {
            "    {\"lever\": \(q($0.lever)), \"actor\": \(q($0.actor.rawValue)), \"domain\": \(q($0.domain)), \"last_year_at_least_1_month\": \($0.lastYearAtLeast1Month.map(String.init) ?? "null")}"
        }.joined(separator: ",\n") + "\n  ],\n"
        s += "  \"where_to_slow\": [\n" + v.whereToSlow.map { w in
            "    {\"actor\": \(q(w.actor.rawValue)), \"domain\": \(q(w.domain)), \"lever\": \(q(w.lever)), \"rank\": \(w.rank.map(String.init) ?? "null"), "
                + "\"months_per_10b_p10\": \(num(w.monthsPer10B?.p10 ?? .nan)), \"months_per_10b_p50\": \(num(w.monthsPer10B?.p50 ?? .nan)), \"months_per_10b_p90\": \(num(w.monthsPer10B?.p90 ?? .nan)), "
                + "\"mean_months_bought_p50\": \(num(w.meanMonthsBought.p50)), \"last_year_at_least_1_month\": \(w.lastYearAtLeast1Month.map(String.init) ?? "null"), "
                + "\"us_self_harm_months_p50\": \(num(w.usSelfHarmP50)), \"robust\": \(w.robust.map { $0 ? "true" : "false" } ?? "null"), \"note\": \(q(w.note))}"
        }.joined(separator: ",\n") + "\n  ]\n}\n"
        return s
    }
}
