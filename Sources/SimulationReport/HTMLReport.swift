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
        h += "Headline numbers use the \(v.useCalibrated ? "calibrated (accepted-draw, exact quantiles)" : "prior-predictive") ensemble; trajectories.csv and levers.csv also have the prior-predictive (all draws, histogram quantiles). Lags are months behind the US frontier (annual mean); P10/P50/P90 across draws.</p>\n"
        if let w = v.smallEnsembleWarning { h += "<p class=\"fail\"><b>Warning:</b> \(esc(w)).</p>\n" }
        h += "<h2>Hindcast sanity checks (spec §4)</h2><p>Calibrated: accepted draws. Held-out: draws accepted by every <i>other</i> check, so the check itself is not forced by the rejection step.</p>"
        h += "<table><tr><th>#</th><th>check</th><th>accept band</th><th>tolerance</th><th>calibrated</th><th></th><th>held-out</th><th></th><th>prior P50</th></tr>\n"
        for c in v.calibration.checks {
            let q = c.test_quantile ?? 0.5
            let val = r.statisticQuantile(c.statistic, q)
            let held = r.heldOutQuantile(c, checks: v.calibration.checks).value
            func mark(_ x: Double) -> String { c.test.contains(x) ? "<td class=\"pass\">pass</td>" : "<td class=\"fail\">FAIL</td>" }
            h += "<tr><td>\(c.spec_item)</td><td>\(esc(c.description))</td><td>\(esc(c.accept.summary))</td><td>\(esc(c.test.summary)) (P\(Int(q * 100)))</td><td>\(fmt(val))</td>\(mark(val))<td>\(fmt(held))</td>\(mark(held))<td>\(fmt(r.statisticQuantile(c.statistic, 0.5, acceptedOnly: false)))</td></tr>\n"
        }
        h += "</table>\n<h2>Capability lag by actor (baseline, months, P50 [P10-P90])</h2>\n" + lagTable(v, html: true)
        h += SVGCharts.lagFan(v) + "\n"
        h += "<h2>Levers (paired per-draw differences from the baseline)</h2>\n<p>China's capability lag is the minimum of its own-development lag (eq. 6) and the open-weight, stolen and hosted routes (eq. 7, spec §3.4). "
        h += "While the best open-weight model plus the adoption delay is ahead of China's own models, hardware levers cannot move that minimum: read their effect in the own-development lag and in deployable compute.</p>\n"
        if let share = v.weightsRouteShare(0, v.reportYear) {
            h += "<p>In \(v.reportYear) the open-weight (or stolen-weight) route sets China's capability lag in \(fmtPercent(100 * share))% of accepted draws (baseline).</p>\n"
        }
        h += leverTable(v, html: true)
        h += SVGCharts.leverBars(v, own: true) + "\n" + SVGCharts.leverBars(v) + "\n" + SVGCharts.leverCompute(v) + "\n"

        h += "<dl>\n"
        for s in v.scenarios { h += "<dt><b>\(esc(s.name))</b>: \(esc(s.title))</dt><dd>\(esc(s.meaning))</dd>\n" }
        h += "</dl>\n<h2>China's compute by source (baseline, H100e, P50)</h2><table><tr><th>year</th><th>domestic</th><th>legal imports</th><th>smuggled</th><th>offshore cloud</th></tr>\n"
        for y in v.years {
            let cells = [ScenarioMetric.cnDomestic, .cnImports, .cnSmuggled, .cnCloud].map { fmt(Foundation.pow(10, v.scenarioBand(0, y, $0).p50)) }
            h += "<tr><td>\(y)</td>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        h += "</table>\n<h2>Which inputs drive China's \(v.reportYear) lag</h2>\n" + SVGCharts.tornado(v) + "\n" + SVGCharts.tornado(v, own: true) + "\n"
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

    /// The lag table (baseline, P50 [P10-P90]) as HTML or Markdown: every actor's capability lag,
    /// then China's own-development lag and the open-weight lag it can fall back on.
    public static func lagTable(_ v: ResultView, html: Bool, scenario: Int = 0) -> String {
        let years = v.years
        var rows: [(String, [Band])] = Actor.allCases.map { a in (a.rawValue, years.map { v.actorBand(scenario, $0, a, .lag) }) }
        rows.append(("CN own development", years.map { v.actorBand(scenario, $0, .cn, .lagOwn) }))
        rows.append(("open-weight frontier", years.map { v.scenarioBand(scenario, $0, .openLag) }))
        func cell(_ b: Band) -> String { "\(fmtMonths(b.p50)) [\(fmtMonths(b.p10))-\(fmtMonths(b.p90))]" }
        return table(header: ["actor"] + years.map(String.init), rows: rows.map { [$0.0] + $0.1.map(cell) }, html: html)
    }

    /// The lever table as HTML or Markdown: China's months bought (sovereign and own development),
    /// deployable compute, vendor cost, months per $10B and US self-harm, each P50 [P10, P90].
    public static func leverTable(_ v: ResultView, html: Bool) -> String {
        let y = v.reportYear, last = v.lastYear
        func m(_ b: Band) -> String { "\(fmtDelta(b.p50)) [\(fmtDelta(b.p10)), \(fmtDelta(b.p90))]" }
        func pct(_ b: Band) -> String { "\(fmtPercent(b.p50))% [\(fmtPercent(b.p10)), \(fmtPercent(b.p90))]" }
        func usd(_ b: Band) -> String { "\(fmtBillions(b.p50)) [\(fmtBillions(b.p10)), \(fmtBillions(b.p90))]" }
        let header = ["lever", "CN months bought \(y)", "CN own-development months \(y)", "CN deployable compute \(y)",
                      "vendor cost $B/yr", "own-dev. months per $10B/yr", "US self-harm \(last) (months)"]
        let rows = (1..<v.result.scenarioNames.count).map { si -> [String] in
            [v.result.scenarioNames[si], m(v.leverBand(si, y, .cn, .monthsBought)), m(v.leverBand(si, y, .cn, .monthsBoughtOwn)),
             pct(v.leverBand(si, y, .cnComputeChangePct)), usd(v.leverBand(si, .vendorCostPerYear)),
             v.monthsPer10B(si, own: true).map(m) ?? "n/a", m(v.leverBand(si, last, .usSelfHarmMonths))]
        }
        return table(header: header, rows: rows, html: html)
    }

    static func table(header: [String], rows: [[String]], html: Bool) -> String {
        if html {
            return "<table><tr>" + header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
                + rows.map { "<tr>" + $0.map { "<td>\(esc($0))</td>" }.joined() + "</tr>\n" }.joined() + "</table>\n"
        }
        return "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---|" }.joined() + "\n"
            + rows.map { "| " + $0.joined(separator: " | ") + " |\n" }.joined()
    }
}
