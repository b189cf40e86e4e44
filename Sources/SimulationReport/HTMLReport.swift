import DiffusionModel
import Foundation

/// One self-contained, server-side HTML page (no scripts, no CDN). Its first section answers the
/// question the simulator exists for: where to slow diffusion, in which domains, for whom, for how
/// long (the where-to-slow table); then the calibration checks, lags by actor and domain, the open
/// frontier, levers, charts inline and every parameter with its source.
public enum HTMLReport {
    static func esc(_ s: String) -> String { SVGCharts.esc(s).replacingOccurrences(of: "\"", with: "&quot;") }

    public static func render(_ v: ResultView) -> String {
        let r = v.result
        var h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>AI diffusion simulation</title>\n"
        h += "<style>body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td:first-child,th:first-child,td.l{text-align:left}.fail{color:#c00;font-weight:bold}.pass{color:#070}small{color:#666}</style></head><body>\n"
        h += "<h1>AI capability diffusion: where to slow it, in which domains, for whom, for how long</h1>\n"
        h += "<p>\(r.config.draws) draws, seed \(r.config.seed); calibration by rejection: <b>\(r.acceptedCount) accepted (\(String(format: "%.1f", 100 * r.acceptanceRate))%)</b>. "
        h += "Figures are P50 [P10-P90] over the \(v.useCalibrated ? "calibrated (accepted) draws" : "prior-predictive sample") of paired per-draw differences from the baseline.</p>\n"
        if let w = v.smallEnsembleWarning { h += "<p class=\"fail\">Warning: \(esc(w)).</p>\n" }
        h += "<h2 id=\"where-to-slow\">Where to slow it</h2>\n<p>For each actor and domain, the levers ranked by months bought per $10B a year of cost "
        h += "(mean months bought \(v.projectionYears.first!)-\(v.lastYear) over the lever's vendor, minerals and programme cost per year). "
        h += "Durability: the last year in which the P50 effect is at least one month. "
        h += v.robustnessSeeds.isEmpty ? "Robustness across seeds was not tested in this run.</p>\n"
            : "Robust: the top lever is the same with seeds \(v.robustnessSeeds.map(String.init).joined(separator: ", ")) at \(r.config.draws) draws.</p>\n"
        h += whereToSlowTable(v, html: true, top: 3)
        h += "<h2>Hindcast checks</h2><p>Sanity checks (spec §4) must pass on the accepted draws and held out (draws accepted by every <i>other</i> calibrated check). Held-out-role checks never take part in the rejection step. Calibration targets (issue 8) are calibrated by construction; their held-out value is shown.</p>\n"
        h += "<table><tr><th>check</th><th>kind</th><th>accept band</th><th>tolerance</th><th>calibrated</th><th></th><th>held-out</th><th></th><th>prior P50</th></tr>\n"
        for c in v.calibration.checks {
            let x = v.checkValues(c)
            func mark(_ value: Double) -> String { c.test.contains(value) ? "<td class=\"pass\">pass</td>" : "<td class=\"fail\">FAIL</td>" }
            h += "<tr><td>\(esc(c.description))</td><td class=\"l\">\((c.kind ?? .sanityCheck) == .sanityCheck ? "sanity" : "target")\(c.isCalibrated ? "" : ", held out")</td><td>\(esc(c.isCalibrated ? c.accept.summary : "not used"))</td><td>\(esc(c.test.summary)) (P\(Int((c.test_quantile ?? 0.5) * 100)))</td><td>\(fmt(x.calibrated))</td>\(mark(x.calibrated))<td>\(fmt(x.heldOut))</td>\(mark(x.heldOut))<td>\(fmt(x.prior))</td></tr>\n"
        }
        h += "</table>\n<h2>Capability lag by actor (frontier-general, baseline, months)</h2>\n" + lagTable(v, html: true)
        h += SVGCharts.lagFan(v) + "\n"
        h += "<h2>Lags by domain in \(v.reportYear) (baseline)</h2>\n" + domainTable(v, html: true)
        h += "<h2>The open-weight frontier</h2>\n" + SVGCharts.openFrontier(v) + "\n"
        h += "<h2>Levers: months bought in \(v.reportYear), frontier-general</h2>\n" + leverTable(v, html: true)
        h += SVGCharts.durability(v) + "\n" + SVGCharts.leverBars(v) + "\n" + SVGCharts.tornado(v) + "\n"
        if !v.packs.isEmpty {
            h += "<h2>Rule packs screened</h2><ul>" + v.packs.map { "<li><b>\(esc($0.id))</b>: \(esc($0.provenance))</li>" }.joined() + "</ul>\n"
        }
        h += "<h2>Inputs (priors, domain numbers, lever costs)</h2><table><tr><th>name</th><th>distribution</th><th>unit</th><th>grade</th><th>source</th></tr>\n"
        for p in v.parameterRows {
            h += "<tr><td>\(esc(p.name))</td><td class=\"l\">\(esc(p.dist))</td><td class=\"l\">\(esc(p.unit))</td><td class=\"l\">\(p.assumption ? "<b>ASSUMPTION</b>" : esc(p.grade))</td><td class=\"l\"><small>\(esc(p.source))</small></td></tr>\n"
        }
        h += "</table>\n<p><small>Data: Epoch AI (epoch.ai), Data on AI Models and GPU Clusters, CC BY 4.0. Model: shared/spec/simulator-model.md as changed in docs/simulator.md.</small></p>\n</body></html>\n"
        return h
    }

    /// The where-to-slow table: per actor and domain, the `top` ranked levers (every row if nil).
    public static func whereToSlowTable(_ v: ResultView, html: Bool, top: Int? = nil) -> String {
        func band(_ b: Band) -> String { "\(fmtDelta(b.p50)) [\(fmtDelta(b.p10)), \(fmtDelta(b.p90))]" }
        func robust(_ w: WhereToSlowRow) -> String { w.robust.map { $0 ? "yes" : "NOT ROBUST" } ?? "not tested" }
        var rows: [[String]] = []
        var shown: [String: Int] = [:]
        for w in v.whereToSlow {
            let key = "\(w.actor.rawValue)|\(w.domain)"
            let count = shown[key, default: 0]
            if let top, count >= top { continue }
            if w.rank == nil {
                // An actor-domain with no ranked lever gets one line saying so.
                if top != nil && count == 0 { rows.append([w.actor.rawValue, w.domain, "-", "no lever buys time here", "", "", "", "", "", robust(w)]); shown[key] = top ?? 1 }
                if top == nil { rows.append([w.actor.rawValue, w.domain, "-", w.lever, w.monthsPer10B.map(band) ?? "n/a", band(w.meanMonthsBought), fmtBillions(w.totalCostPerYear.p50), w.lastYearAtLeast1Month.map(String.init) ?? "never", fmtDelta(w.usSelfHarmP50), w.note]) }
                continue
            }
            shown[key] = count + 1
            rows.append([w.actor.rawValue, w.domain, "\(w.rank!)", w.lever, w.monthsPer10B.map(band) ?? "n/a", band(w.meanMonthsBought),
                         fmtBillions(w.totalCostPerYear.p50), w.lastYearAtLeast1Month.map(String.init) ?? "never", fmtDelta(w.usSelfHarmP50),
                         w.rank == 1 ? robust(w) : ""])
        }
        return table(header: ["actor", "domain", "rank", "lever", "months per $10B/yr", "mean months bought", "cost $B/yr", "lasts to", "US self-harm", top == nil ? "robust / note" : "top lever robust"],
                     rows: rows, html: html)
    }

    public static func lagTable(_ v: ResultView, html: Bool, scenario: Int = 0) -> String {
        let shown = v.years.filter { $0 <= 2027 || $0 % 2 == 1 || $0 == v.lastYear }
        func cell(_ b: Band) -> String { "\(fmtMonths(b.p50)) [\(fmtMonths(b.p10))-\(fmtMonths(b.p90))]" }
        var rows = Actor.allCases.map { a in [a.rawValue] + shown.map { cell(v.lagBand(scenario, $0, a)) } }
        rows.append(["CN own development"] + shown.map { cell(v.actorBand(scenario, $0, .cn, .lagOwn)) })
        rows.append(["open-weight frontier"] + shown.map { cell(v.scenarioBand(scenario, $0, .openLag)) })
        return table(header: ["actor"] + shown.map(String.init), rows: rows, html: html)
    }

    /// Lags per actor in each lag domain, and deployable compute, in the report year.
    public static func domainTable(_ v: ResultView, html: Bool) -> String {
        func cell(_ b: Band) -> String { "\(fmtMonths(b.p50)) [\(fmtMonths(b.p10))-\(fmtMonths(b.p90))]" }
        let rows = Actor.allCases.map { a -> [String] in
            var r = [a.rawValue] + (0..<v.lagDomainCount).map { cell(v.lagBand(0, v.reportYear, a, domain: $0)) }
            if v.domainIDs.count > v.lagDomainCount {
                let b = v.actorBand(0, v.reportYear, a, .log10Compute)
                r.append("\(fmtSci(Foundation.pow(10, b.p50))) H100e")
            }
            return r
        }
        return table(header: ["actor"] + v.domainIDs.enumerated().map { $0.offset < v.lagDomainCount ? "\($0.element) (months)" : "\($0.element)" }, rows: rows, html: html)
    }

    /// Months bought in the report year by every lever for the followers (frontier-general), cost and self-harm.
    public static func leverTable(_ v: ResultView, html: Bool) -> String {
        func m(_ b: Band) -> String { "\(fmtDelta(b.p50)) [\(fmtDelta(b.p10)), \(fmtDelta(b.p90))]" }
        let actors: [Actor] = [.cn, .ru, .india, .row, .gulf]
        let rows = (1..<v.result.scenarioNames.count).map { si -> [String] in
            [v.result.scenarioNames[si]] + actors.map { m(v.monthsBought(si, v.reportYear, $0)) }
                + [fmtBillions(v.leverBand(si, .totalCostPerYear).p50), fmtDelta(v.leverBand(si, v.reportYear, .usSelfHarmMonths).p50)]
        }
        return table(header: ["lever"] + actors.map { "\($0.rawValue) months" } + ["cost $B/yr", "US self-harm"], rows: rows, html: html)
    }

    static func table(header: [String], rows: [[String]], html: Bool) -> String {
        if html {
            return "<table><tr>" + header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
                + rows.map { "<tr>" + $0.map { "<td>\(esc($0))</td>" }.joined() + "</tr>\n" }.joined() + "</table>\n"
        }
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[min($0.offset, widths.count - 1)], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        return line(header) + rows.map(line).joined()
    }
}
