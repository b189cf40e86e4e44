import DiffusionModel
import Foundation

/// One self-contained HTML page: run summary, calibration checks, lag table, lever table, the
/// three charts inline, and the parameter table with sources.
public enum HTMLReport {
    static func esc(_ s: String) -> String { SVGCharts.esc(s).replacingOccurrences(of: "\"", with: "&quot;") }

    public static func render(_ v: ResultView) -> String {
        let r = v.result
        var h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>AI diffusion simulation</title>\n"
        h += "<style>body{font-family:Helvetica,Arial,sans-serif;max-width:1000px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td:first-child,th:first-child{text-align:left}.a{color:#b35900;font-weight:bold}.fail{color:#c00}.pass{color:#070}small{color:#666}</style></head><body>\n"
        h += "<h1>AI capability diffusion: simulation report</h1>\n"
        h += "<p>\(r.config.draws) draws, seed \(r.config.seed). Calibration by rejection (spec §3.8): <b>\(r.acceptedCount) accepted (\(String(format: "%.1f", 100 * r.acceptanceRate))%)</b>. "
        h += "Headline numbers use the \(v.useCalibrated ? "calibrated (accepted-draw)" : "prior-predictive") ensemble; trajectories.csv also has the prior-predictive. Lags are months behind the US frontier (annual mean); P10/P50/P90 across draws.</p>\n"
        h += "<h2>Hindcast sanity checks (spec §4)</h2><table><tr><th>#</th><th>check</th><th>tolerance</th><th>calibrated</th><th>prior P50</th><th></th></tr>\n"
        for c in v.calibration.checks {
            let q = c.test_quantile ?? 0.5
            let val = r.statisticQuantile(c.statistic, q)
            let ok = c.test.contains(val)
            h += "<tr><td>\(c.spec_item)</td><td>\(esc(c.description))</td><td>\(esc(c.test.summary)) (P\(Int(q * 100)))</td><td>\(fmt(val))</td><td>\(fmt(r.statisticQuantile(c.statistic, 0.5, acceptedOnly: false)))</td><td class=\"\(ok ? "pass" : "fail")\">\(ok ? "pass" : "FAIL")</td></tr>\n"
        }
        h += "</table>\n<h2>Capability lag by actor (baseline, months, P50 [P10-P90])</h2>\n" + lagTable(v, html: true)
        h += SVGCharts.lagFan(v) + "\n"
        h += "<h2>Levers</h2>\n<table><tr><th>lever</th><th>CN months bought \(v.reportYear)</th><th>CN months bought \(v.lastYear)</th><th>CN deployable compute \(v.reportYear)</th><th>vendor cost $B/yr</th><th>months per $10B</th><th>US self-harm \(v.lastYear) (months)</th></tr>\n"
        for si in 1..<r.scenarioNames.count {
            let m1 = v.leverBand(si, v.reportYear, .cn, .monthsBought), m2 = v.leverBand(si, v.lastYear, .cn, .monthsBought)
            let e = v.leverBand(si, v.reportYear, .cnComputeChangePct), c = v.leverBand(si, .vendorCostPerYear), sh = v.leverBand(si, v.lastYear, .usSelfHarmMonths)
            h += "<tr><td>\(esc(r.scenarioNames[si]))</td><td>\(fmtMonths(m1.p50)) [\(fmtMonths(m1.p10)), \(fmtMonths(m1.p90))]</td><td>\(fmtMonths(m2.p50)) [\(fmtMonths(m2.p10)), \(fmtMonths(m2.p90))]</td><td>\(fmt(e.p50, digits: 2))%</td><td>\(fmt(c.p50 / 1e9, digits: 3))</td><td>\(v.monthsPer10B(si).map { fmt($0, digits: 2) } ?? "n/a")</td><td>\(fmt(sh.p50, digits: 2))</td></tr>\n"
        }
        h += "</table>\n" + SVGCharts.leverBars(v) + "\n<dl>\n"
        for s in v.scenarios { h += "<dt><b>\(esc(s.name))</b>: \(esc(s.title))</dt><dd>\(esc(s.meaning))</dd>\n" }
        h += "</dl>\n<h2>China's compute by source (baseline, H100e, P50)</h2><table><tr><th>year</th><th>domestic</th><th>legal imports</th><th>smuggled</th><th>offshore cloud</th></tr>\n"
        for y in v.years {
            let cells = [ScenarioMetric.cnDomestic, .cnImports, .cnSmuggled, .cnCloud].map { fmt(Foundation.pow(10, v.scenarioBand(0, y, $0).p50)) }
            h += "<tr><td>\(y)</td>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        h += "</table>\n<h2>Which inputs drive China's \(v.reportYear) lag</h2>\n" + SVGCharts.tornado(v) + "\n"
        if let caps = v.tierCaps {
            h += "<p>Tier-2 caps lever reads the rule data: country allocation \(fmt(caps.countryAllocationTPP)) TPP over \(fmt(caps.allocationPeriodYears)) years, LPP \(fmt(caps.lppTPPPerParentYear)) TPP per parent-year, H100e = \(fmt(caps.h100EquivalentTPP)) TPP (\(esc(caps.provenance))).</p>\n"
        }
        h += "<h2>Parameters (priors)</h2><p><span class=\"a\">ASSUMPTION</span> marks values with no published estimate, kept wide.</p><table><tr><th>name</th><th>distribution</th><th>unit</th><th>grade</th><th>source</th></tr>\n"
        for p in v.parameterRows {
            h += "<tr><td>\(esc(p.name))</td><td>\(esc(p.dist))</td><td>\(esc(p.unit))</td><td\(p.assumption ? " class=\"a\"" : "")>\(esc(p.grade))</td><td style=\"text-align:left\">\(esc(p.source))</td></tr>\n"
        }
        h += "</table>\n<p><small>Data: Epoch AI (epoch.ai), GPU clusters dataset, CC BY 4.0. Model: shared/spec/simulator-model.md.</small></p>\n</body></html>\n"
        return h
    }

    /// The lag table (baseline, P50 [P10-P90]) as HTML or Markdown.
    public static func lagTable(_ v: ResultView, html: Bool, scenario: Int = 0) -> String {
        let years = v.years
        if html {
            var t = "<table><tr><th>actor</th>" + years.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
            for a in Actor.allCases {
                t += "<tr><td>\(a.rawValue)</td>" + years.map { y in
                    let b = v.actorBand(scenario, y, a, .lag)
                    return "<td>\(fmtMonths(b.p50)) [\(fmtMonths(b.p10))-\(fmtMonths(b.p90))]</td>"
                }.joined() + "</tr>\n"
            }
            return t + "</table>\n"
        }
        var t = "| actor | " + years.map(String.init).joined(separator: " | ") + " |\n|---|" + years.map { _ in "---|" }.joined() + "\n"
        for a in Actor.allCases {
            t += "| \(a.rawValue) | " + years.map { y in
                let b = v.actorBand(scenario, y, a, .lag)
                return "\(fmtMonths(b.p50)) [\(fmtMonths(b.p10))-\(fmtMonths(b.p90))]"
            }.joined(separator: " | ") + " |\n"
        }
        return t
    }
}
