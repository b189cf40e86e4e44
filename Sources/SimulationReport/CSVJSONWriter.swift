import DiffusionModel
import Foundation

/// Writes the CSV result files. Every number is formatted explicitly and every list is in a fixed
/// order, so the same seed and inputs give the same bytes.
public enum ResultFiles {
    static func row(_ cells: [String]) -> String { cells.map(csvEscape).joined(separator: ",") + "\n" }
    static func csvEscape(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    static func n(_ x: Double) -> String { x.isNaN ? "" : String(format: "%.6g", x == 0 ? 0 : x) }
    /// Full precision (the numpy reference replays draws from these).
    static func exact(_ x: Double) -> String { x.isNaN ? "" : String(format: "%.17g", x) }

    /// trajectories.csv: ensemble, scenario, actor, year, domain, metric, unit, p10, p50, p90.
    public static func trajectories(_ v: ResultView) -> String {
        var s = row(["ensemble", "scenario", "actor", "year", "domain", "metric", "unit", "p10", "p50", "p90"])
        let metrics: [(ActorMetric, String, String, Bool)] = [
            (.lagOwn, "own_development_lag", "months", false), (.log10Compute, "deployable_compute", "H100e", true),
            (.worldShare, "world_share", "fraction", false), (.log10LargestRun, "largest_run", "FLOP", true)]
        for (ensemble, cal) in [("calibrated", true), ("prior", false)] {
            for (si, name) in v.result.scenarioNames.enumerated() {
                for a in Actor.allCases { for year in v.years {
                    for d in 0..<v.lagDomainCount {
                        let b = v.lagBand(si, year, a, domain: d, calibrated: cal)
                        s += row([ensemble, name, a.rawValue, "\(year)", v.domainIDs[d], "capability_lag", "months", n(b.p10), n(b.p50), n(b.p90)])
                    }
                    for (m, label, unit, log) in metrics {
                        let b = v.actorBand(si, year, a, m, calibrated: cal)
                        let t: (Double) -> Double = log ? { Foundation.pow(10, $0) } : { $0 }
                        let domain = m == .log10Compute ? (v.domainIDs.count > v.lagDomainCount ? v.domainIDs[v.lagDomainCount] : "") : (m == .lagOwn ? v.domainIDs[0] : "")
                        s += row([ensemble, name, a.rawValue, "\(year)", domain, label, unit, n(t(b.p10)), n(t(b.p50)), n(t(b.p90))])
                    }
                } }
                for year in v.years {
                    for (m, label, unit, log) in [(ScenarioMetric.cnDomestic, "cn_compute_domestic", "H100e", true), (.cnImports, "cn_compute_imports", "H100e", true),
                                                  (.cnSmuggled, "cn_compute_smuggled", "H100e", true), (.cnCloud, "cn_compute_cloud", "H100e", true),
                                                  (.openLag, "open_weight_lag", "months", false), (.vendorNetRevenue, "vendor_net_revenue", "USD", false),
                                                  (.mineralsGDPLoss, "minerals_gdp_loss", "USD", false)] {
                        let b = v.scenarioBand(si, year, m, calibrated: cal)
                        let t: (Double) -> Double = log ? { Foundation.pow(10, $0) } : { $0 }
                        s += row([ensemble, name, "", "\(year)", "", label, unit, n(t(b.p10)), n(t(b.p50)), n(t(b.p90))])
                    }
                    for o in OpenOrigin.allCases {
                        let mean = v.result.mean(v.result.layout.scenario(si, v.y(year), .origin(o)), calibrated: cal)
                        s += row([ensemble, name, o.actor.rawValue, "\(year)", "frontier-general", "open_frontier_origin_share", "share of quarters (mean)", "", n(mean), ""])
                    }
                }
            }
        }
        return s
    }

    /// levers.csv: per lever, actor, domain and projection year, the paired months bought; then the
    /// lever's costs and China's deployable compute change, for both ensembles.
    public static func levers(_ v: ResultView) -> String {
        var s = row(["ensemble", "lever", "kind", "year", "actor", "domain", "metric", "unit", "p10", "p50", "p90"])
        let ensembles = v.useCalibrated ? [("calibrated", true), ("prior", false)] : [("prior", false)]
        for (ensemble, cal) in ensembles {
            for si in 1..<v.result.scenarioNames.count {
                let name = v.result.scenarioNames[si], kind = v.result.scenarioKinds[si].rawValue
                func add(_ year: String, _ actor: String, _ domain: String, _ metric: String, _ unit: String, _ b: Band) {
                    s += row([ensemble, name, kind, year, actor, domain, metric, unit, n(b.p10), n(b.p50), n(b.p90)])
                }
                for year in v.projectionYears {
                    for a in Actor.allCases {
                        for (d, domain) in v.domainIDs.enumerated() {
                            let unit = d < v.lagDomainCount ? "months of lag" : "months of delay to the baseline's deployable compute"
                            add("\(year)", a.rawValue, domain, "months_bought", unit, v.monthsBought(si, year, a, domain: d, calibrated: cal))
                        }
                    }
                    add("\(year)", "CN", "deployment-scale", "deployable_compute_change", "percent", v.leverBand(si, year, .cnComputeChangePct, calibrated: cal))
                    add("\(year)", "US", "frontier-general", "us_self_harm", "months", v.leverBand(si, year, .usSelfHarmMonths, calibrated: cal))
                }
                let span = "\(v.result.calendar.firstProjectionYear)-\(v.lastYear)"
                add(span, "", "", "vendor_cost_per_year", "USD/yr (negative = revenue gained)", v.leverBand(si, .vendorCostPerYear, calibrated: cal))
                add(span, "", "", "minerals_gdp_loss_per_year", "USD/yr", v.leverBand(si, .mineralsCostPerYear, calibrated: cal))
                add(span, "", "", "direct_cost_per_year", "USD/yr", v.leverBand(si, .directCostPerYear, calibrated: cal))
                add(span, "", "", "total_cost_per_year", "USD/yr", v.leverBand(si, .totalCostPerYear, calibrated: cal))
            }
        }
        return s
    }

    /// where-to-slow.csv: for each actor and domain, the levers ranked by months bought per $10B a
    /// year of cost (P50), with P10-P90, durability, US self-harm and robustness across seeds.
    public static func whereToSlow(_ v: ResultView) -> String {
        var s = row(["actor", "domain", "rank", "lever", "kind", "months_per_10b_p10", "months_per_10b_p50", "months_per_10b_p90",
                     "mean_months_bought_p10", "mean_months_bought_p50", "mean_months_bought_p90", "total_cost_usd_per_yr_p50",
                     "last_year_at_least_1_month", "us_self_harm_months_p50_\(v.reportYear)", "robust", "note"])
        for r in v.whereToSlow {
            s += row([r.actor.rawValue, r.domain, r.rank.map(String.init) ?? "", r.lever, r.kind.rawValue,
                      r.monthsPer10B.map { n($0.p10) } ?? "", r.monthsPer10B.map { n($0.p50) } ?? "", r.monthsPer10B.map { n($0.p90) } ?? "",
                      n(r.meanMonthsBought.p10), n(r.meanMonthsBought.p50), n(r.meanMonthsBought.p90), n(r.totalCostPerYear.p50),
                      r.lastYearAtLeast1Month.map(String.init) ?? "never", n(r.usSelfHarmP50),
                      r.robust.map { $0 ? "yes" : "NOT ROBUST" } ?? "not tested", r.note])
        }
        return s
    }

    /// checks.csv: each check: kind, role, calibrated quantile (accepted draws), held-out quantile
    /// (draws accepted by the other calibrated checks), prior P50, share of draws in the accept band.
    public static func checks(_ v: ResultView) -> String {
        var s = row(["spec_item", "statistic", "kind", "role", "description", "accept_band", "test_band", "test_quantile", "calibrated_value", "pass",
                     "held_out_value", "held_out_draws", "held_out_pass", "prior_p50", "prior_accept_rate"])
        let k = CheckStatistic.count, all = v.result.accepted.count
        for c in v.calibration.checks {
            let x = v.checkValues(c)
            let passing = (0..<all).filter { c.accept.contains(v.result.statistics[$0 * k + c.statistic.index]) }.count
            s += row(["\(c.spec_item)", c.statistic.rawValue, (c.kind ?? .sanityCheck).rawValue, (c.role ?? .calibrated).rawValue, c.description,
                      c.isCalibrated ? c.accept.summary : "not used", c.test.summary, n(c.test_quantile ?? 0.5), n(x.calibrated),
                      c.test.contains(x.calibrated) ? "yes" : "no", n(x.heldOut), "\(x.heldOutDraws)", c.test.contains(x.heldOut) ? "yes" : "no",
                      n(x.prior), n(Double(passing) / Double(max(1, all)))])
        }
        return s
    }

    /// draws.csv (with `--per-draw`): one row per draw: acceptance, hindcast statistics, the
    /// baseline trace of China's lags, and every sampled input at full precision (the numpy
    /// reference replays a draw from this row).
    public static func perDraw(_ v: ResultView, theftUniforms: [[Double]]? = nil) -> String {
        let r = v.result
        let k = CheckStatistic.count, w = DrawTrace.width(years: r.calendar.years), np = r.parameterNames.count
        var s = row(["draw", "accepted"] + CheckStatistic.allCases.map(\.rawValue) + DrawTrace.names(years: v.years) + r.parameterNames)
        for d in 0..<r.accepted.count {
            var cells = ["\(d)", r.accepted[d] ? "1" : "0"]
            for i in 0..<k { cells.append(n(r.statistics[d * k + i])) }
            for i in 0..<w { cells.append(n(r.traces[d * w + i])) }
            for i in 0..<np { cells.append(exact(r.parameters[d * np + i])) }
            s += row(cells)
        }
        return s
    }

    /// tornado.csv: Spearman rank correlation of each input with China's report-year lag.
    public static func tornado(_ v: ResultView) -> String {
        var s = row(["input", "spearman_rho_cn_lag", "spearman_rho_cn_own_lag", "assumption"])
        let own = Dictionary(uniqueKeysWithValues: v.result.tornado(own: true).map { ($0.name, $0.rho) })
        let flags = Dictionary(uniqueKeysWithValues: zip(v.result.parameterNames, v.result.parameterIsAssumption).map { ($0, $1) })
        for t in v.result.tornado() {
            s += row([t.name, n(t.rho), n(own[t.name] ?? .nan), flags[t.name] == true ? "ASSUMPTION" : ""])
        }
        return s
    }

    /// parameters.csv: every prior, domain number and lever cost with unit, grade and source.
    public static func parameters(_ v: ResultView) -> String {
        var s = row(["name", "distribution", "unit", "grade", "assumption", "source"])
        for p in v.parameterRows { s += row([p.name, p.dist, p.unit, p.grade, p.assumption ? "ASSUMPTION" : "", p.source]) }
        return s
    }
}
