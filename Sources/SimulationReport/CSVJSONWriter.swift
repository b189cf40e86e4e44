import DiffusionModel
import Foundation

/// Writes the CSV and JSON result files. Every number is formatted explicitly and every list is in
/// a fixed order, so the same seed and inputs give the same bytes.
public enum ResultFiles {
    static func row(_ cells: [String]) -> String { cells.map(csvEscape).joined(separator: ",") + "\n" }
    static func csvEscape(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    static func n(_ x: Double) -> String { x.isNaN ? "" : String(format: "%.6g", x) }

    /// trajectories.csv: ensemble, scenario, actor, year, metric, p10, p50, p90.
    public static func trajectories(_ v: ResultView) -> String {
        var s = row(["ensemble", "scenario", "actor", "year", "metric", "unit", "p10", "p50", "p90"])
        let metrics: [(ActorMetric, String, String, Bool)] = [
            (.lag, "capability_lag", "months", false), (.lagOwn, "own_development_lag", "months", false),
            (.log10Compute, "effective_compute", "H100e", true), (.worldShare, "world_share", "fraction", false),
            (.log10LargestRun, "largest_run", "FLOP", true)]
        for (ensemble, cal) in [("calibrated", true), ("prior", false)] {
            for (si, name) in v.result.scenarioNames.enumerated() {
                for a in Actor.allCases { for year in v.years { for (m, label, unit, log) in metrics {
                    let b = v.actorBand(si, year, a, m, calibrated: cal)
                    let t: (Double) -> Double = log ? { Foundation.pow(10, $0) } : { $0 }
                    s += row([ensemble, name, a.rawValue, "\(year)", label, unit, n(t(b.p10)), n(t(b.p50)), n(t(b.p90))])
                } } }
                for year in v.years {
                    for (m, label, unit, log) in [(ScenarioMetric.cnDomestic, "cn_compute_domestic", "H100e", true), (.cnImports, "cn_compute_imports", "H100e", true),
                                                  (.cnSmuggled, "cn_compute_smuggled", "H100e", true), (.cnCloud, "cn_compute_cloud", "H100e", true),
                                                  (.openLag, "open_weight_lag", "months", false), (.vendorNetRevenue, "vendor_net_revenue", "USD", false),
                                                  (.mineralsGDPLoss, "minerals_gdp_loss", "USD", false)] {
                        let b = v.scenarioBand(si, year, m, calibrated: cal)
                        let t: (Double) -> Double = log ? { Foundation.pow(10, $0) } : { $0 }
                        s += row([ensemble, name, "", "\(year)", label, unit, n(t(b.p10)), n(t(b.p50)), n(t(b.p90))])
                    }
                }
            }
        }
        return s
    }

    /// levers.csv: per lever, paired per-draw differences from the baseline, for the calibrated
    /// (accepted draws, exact quantiles) and prior-predictive (all draws, histogram) ensembles.
    public static func levers(_ v: ResultView) -> String {
        var s = row(["ensemble", "lever", "year", "actor", "metric", "unit", "p10", "p50", "p90", "note"])
        let ensembles = v.useCalibrated ? [("calibrated", true), ("prior", false)] : [("prior", false)]
        for (ensemble, cal) in ensembles {
            for si in 1..<v.result.scenarioNames.count {
                let name = v.result.scenarioNames[si]
                func add(_ year: String, _ actor: String, _ metric: String, _ unit: String, _ b: Band?, _ note: String = "") {
                    s += row([ensemble, name, year, actor, metric, unit, b.map { n($0.p10) } ?? "", b.map { n($0.p50) } ?? "", b.map { n($0.p90) } ?? "", note])
                }
                for year in v.years where year >= v.result.calendar.firstProjectionYear {
                    for a in Actor.allCases {
                        add("\(year)", a.rawValue, "months_bought", "months", v.leverBand(si, year, a, .monthsBought, calibrated: cal))
                        add("\(year)", a.rawValue, "months_bought_own_development", "months", v.leverBand(si, year, a, .monthsBoughtOwn, calibrated: cal))
                    }
                    add("\(year)", "CN", "deployable_compute_change", "percent", v.leverBand(si, year, .cnComputeChangePct, calibrated: cal))
                    add("\(year)", "US", "frontier_self_harm", "months", v.leverBand(si, year, .usSelfHarmMonths, calibrated: cal))
                }
                let span = "\(v.result.calendar.firstProjectionYear)-\(v.lastYear)"
                add(span, "", "vendor_cost_per_year", "USD/yr", v.leverBand(si, .vendorCostPerYear, calibrated: cal), "negative = revenue gained")
                add(span, "", "minerals_gdp_loss_per_year", "USD/yr", v.leverBand(si, .mineralsCostPerYear, calibrated: cal))
                let none = "undefined: vendor cost under $0.1B/yr in more than 10% of draws"
                let r1 = v.monthsPer10B(si, calibrated: cal), r2 = v.monthsPer10B(si, own: true, calibrated: cal)
                add("\(v.reportYear)", "CN", "months_per_10B_usd_per_year", "months", r1, r1 == nil ? none : "per-draw ratio")
                add("\(v.reportYear)", "CN", "own_development_months_per_10B_usd_per_year", "months", r2, r2 == nil ? none : "per-draw ratio")
            }
        }
        return s
    }

    /// checks.csv: each sanity check: calibrated quantile (accepted draws), held-out quantile (draws
    /// accepted by the other checks only), prior P50 and the share of draws inside the accept band.
    public static func checks(_ v: ResultView) -> String {
        var s = row(["spec_item", "statistic", "description", "accept_band", "test_band", "test_quantile", "calibrated_value", "pass",
                     "held_out_value", "held_out_draws", "held_out_pass", "prior_p50", "prior_accept_rate"])
        let checks = v.calibration.checks
        for c in checks {
            let q = c.test_quantile ?? 0.5
            let val = v.result.statisticQuantile(c.statistic, q, acceptedOnly: true)
            let held = v.result.heldOutQuantile(c, checks: checks)
            let prior = v.result.statisticQuantile(c.statistic, 0.5, acceptedOnly: false)
            let k = CheckStatistic.allCases.count
            let all = v.result.accepted.count
            let passing = (0..<all).filter { c.accept.contains(v.result.statistics[$0 * k + c.statistic.index]) }.count
            s += row(["\(c.spec_item)", c.statistic.rawValue, c.description, c.accept.summary, c.test.summary, n(q), n(val), c.test.contains(val) ? "yes" : "no",
                      n(held.value), "\(held.draws)", c.test.contains(held.value) ? "yes" : "no", n(prior), n(Double(passing) / Double(max(1, all)))])
        }
        return s
    }

    /// draws.csv (with `--per-draw`): one row per draw: acceptance, hindcast statistics, the
    /// baseline trace of China's lags, and every sampled input.
    public static func perDraw(_ v: ResultView) -> String {
        let r = v.result
        let k = CheckStatistic.count, w = DrawTrace.width(years: r.calendar.years), np = DrawParameters.count
        var s = row(["draw", "accepted"] + CheckStatistic.allCases.map(\.rawValue) + DrawTrace.names(years: v.years) + DrawParameters.names)
        for d in 0..<r.accepted.count {
            var cells = ["\(d)", r.accepted[d] ? "1" : "0"]
            for i in 0..<k { cells.append(n(r.statistics[d * k + i])) }
            for i in 0..<w { cells.append(n(r.traces[d * w + i])) }
            for i in 0..<np { cells.append(n(r.parameters[d * np + i])) }
            s += row(cells)
        }
        return s
    }

    /// tornado.csv: Spearman rank correlation of each input with China's report-year lag.
    public static func tornado(_ v: ResultView) -> String {
        var s = row(["input", "spearman_rho_cn_lag", "spearman_rho_cn_own_lag", "assumption"])
        let own = Dictionary(uniqueKeysWithValues: v.result.tornado(own: true).map { ($0.name, $0.rho) })
        for t in v.result.tornado() {
            let flagged = v.priors.priors[t.name]?.isAssumption ?? t.name.hasPrefix("tau_weight")
            s += row([t.name, n(t.rho), n(own[t.name] ?? .nan), flagged ? "ASSUMPTION" : ""])
        }
        return s
    }

    /// parameters.csv: the priors with units, grades and sources.
    public static func parameters(_ v: ResultView) -> String {
        var s = row(["name", "distribution", "unit", "grade", "assumption", "source"])
        for p in v.parameterRows { s += row([p.name, p.dist, p.unit, p.grade, p.assumption ? "ASSUMPTION" : "", p.source]) }
        return s
    }

    /// results.json: run metadata, acceptance, checks, the lag table and the lever summary.
    public static func json(_ v: ResultView) -> String {
        func q(_ x: String) -> String { "\"" + x.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        func num(_ x: Double) -> String { x.isFinite ? String(format: "%.6g", x) : "null" }
        func band(_ b: Band) -> String { "{\"p10\": \(num(b.p10)), \"p50\": \(num(b.p50)), \"p90\": \(num(b.p90))}" }
        let r = v.result
        var s = "{\n"
        s += "  \"draws\": \(r.config.draws),\n  \"seed\": \(r.config.seed),\n  \"accepted\": \(r.acceptedCount),\n"
        s += "  \"acceptance_rate\": \(num(r.acceptanceRate)),\n  \"headline_ensemble\": \(q(v.useCalibrated ? "calibrated" : "prior")),\n"
        s += "  \"warning\": \(v.smallEnsembleWarning.map(q) ?? "null"),\n"
        s += "  \"cn_lag_set_by_weights_share_\(v.reportYear)\": \(v.weightsRouteShare(0, v.reportYear).map(num) ?? "null"),\n"
        s += "  \"scenarios\": [\(r.scenarioNames.map(q).joined(separator: ", "))],\n"
        if let caps = v.tierCaps {
            s += "  \"tier2_caps_rule_data\": {\"country_allocation_tpp\": \(num(caps.countryAllocationTPP)), \"allocation_period_years\": \(num(caps.allocationPeriodYears)), \"lpp_tpp_per_parent_year\": \(num(caps.lppTPPPerParentYear)), \"h100_equivalent_tpp\": \(num(caps.h100EquivalentTPP)), \"provenance\": \(q(caps.provenance))},\n"
        }
        s += "  \"checks\": [\n" + v.calibration.checks.map { c in
            let val = r.statisticQuantile(c.statistic, c.test_quantile ?? 0.5)
            let held = r.heldOutQuantile(c, checks: v.calibration.checks)
            return "    {\"spec_item\": \(c.spec_item), \"statistic\": \(q(c.statistic.rawValue)), \"value\": \(num(val)), \"pass\": \(c.test.contains(val)), \"held_out_value\": \(num(held.value)), \"held_out_pass\": \(c.test.contains(held.value))}"
        }.joined(separator: ",\n") + "\n  ],\n"
        s += "  \"capability_lag_months\": {\n" + Actor.allCases.map { a in
            "    \(q(a.rawValue)): {" + v.years.map { y in "\(q(String(y))): \(band(v.actorBand(0, y, a, .lag)))" }.joined(separator: ", ") + "}"
        }.joined(separator: ",\n") + "\n  },\n"
        s += "  \"levers\": [\n" + (1..<r.scenarioNames.count).map { si in
            "    {\"lever\": \(q(r.scenarioNames[si])), \"cn_months_bought_\(v.reportYear)\": \(band(v.leverBand(si, v.reportYear, .cn, .monthsBought))), "
                + "\"cn_months_bought_\(v.lastYear)\": \(band(v.leverBand(si, v.lastYear, .cn, .monthsBought))), "
                + "\"cn_deployable_compute_change_pct_\(v.reportYear)\": \(band(v.leverBand(si, v.reportYear, .cnComputeChangePct))), "
                + "\"vendor_cost_usd_per_year\": \(band(v.leverBand(si, .vendorCostPerYear))), "
                + "\"cn_own_development_months_bought_\(v.reportYear)\": \(band(v.leverBand(si, v.reportYear, .cn, .monthsBoughtOwn))), "
                + "\"months_per_10b_usd_per_year\": \(v.monthsPer10B(si).map(band) ?? "null"), "
                + "\"own_development_months_per_10b_usd_per_year\": \(v.monthsPer10B(si, own: true).map(band) ?? "null"), "
                + "\"us_self_harm_months_\(v.lastYear)\": \(band(v.leverBand(si, v.lastYear, .usSelfHarmMonths)))}"
        }.joined(separator: ",\n") + "\n  ]\n}\n"
        return s
    }
}
