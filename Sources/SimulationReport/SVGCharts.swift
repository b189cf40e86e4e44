import DiffusionModel
import Foundation

/// The project's own SVG charts (no charting library exists for Swift on Linux). All chart code is
/// here: a fan chart of lag by actor, bars of months bought per lever with P10-P90 whiskers, and a
/// tornado of Spearman ranks.
public enum SVGCharts {
    static let colors: [Actor: String] = [.us: "#1f77b4", .t1: "#2ca02c", .cn: "#d62728", .ru: "#9467bd", .gulf: "#ff7f0e", .india: "#8c564b", .row: "#7f7f7f"]
    static func f(_ x: Double) -> String { String(format: "%.1f", x) }
    static func esc(_ s: String) -> String { s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;") }
    static func header(_ w: Int, _ h: Int, _ title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
            + "<rect width=\"\(w)\" height=\"\(h)\" fill=\"white\"/>\n<text x=\"\(w / 2)\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(esc(title))</text>\n"
    }

    /// Fan chart: capability lag (months) by actor over time, P50 line and P10-P90 band.
    public static func lagFan(_ v: ResultView, scenario: Int = 0) -> String {
        let w = 760, h = 440, left = 60.0, right = 170.0, top = 40.0, bottom = 50.0
        let years = v.years
        let actors = Actor.allCases.filter { $0 != .us }
        var maxY = 6.0
        let cnOwn = years.map { v.actorBand(scenario, $0, .cn, .lagOwn) }
        for a in actors { for y in years { maxY = max(maxY, v.lagBand(scenario, y, a).p90) } }
        for b in cnOwn { maxY = max(maxY, b.p50) }
        maxY = (maxY / 6).rounded(.up) * 6
        let pw = Double(w) - left - right, ph = Double(h) - top - bottom
        func x(_ i: Int) -> Double { left + pw * Double(i) / Double(max(1, years.count - 1)) }
        func yy(_ m: Double) -> Double { top + ph * (1 - min(m, maxY) / maxY) }
        var s = header(w, h, "Capability lag behind the US frontier (\(v.result.scenarioNames[scenario]), \(v.useCalibrated ? "calibrated" : "prior"))")
        for k in 0...6 {
            let m = maxY * Double(k) / 6
            s += "<line x1=\"\(f(left))\" y1=\"\(f(yy(m)))\" x2=\"\(f(left + pw))\" y2=\"\(f(yy(m)))\" stroke=\"#ddd\"/>\n<text x=\"\(f(left - 6))\" y=\"\(f(yy(m) + 4))\" text-anchor=\"end\">\(Int(m))</text>\n"
        }
        for (i, y) in years.enumerated() { s += "<text x=\"\(f(x(i)))\" y=\"\(f(top + ph + 18))\" text-anchor=\"middle\">\(y)</text>\n" }
        let proj = Double(v.result.calendar.firstProjectionYear - years[0]) - 0.5
        let px = left + pw * proj / Double(max(1, years.count - 1))
        s += "<line x1=\"\(f(px))\" y1=\"\(f(top))\" x2=\"\(f(px))\" y2=\"\(f(top + ph))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
        s += "<text x=\"\(f(px - 4))\" y=\"\(f(top + 12))\" text-anchor=\"end\" fill=\"#666\">hindcast</text><text x=\"\(f(px + 4))\" y=\"\(f(top + 12))\" fill=\"#666\">projection</text>\n"
        s += "<text x=\"16\" y=\"\(f(top + ph / 2))\" transform=\"rotate(-90 16 \(f(top + ph / 2)))\" text-anchor=\"middle\">months (annual mean)</text>\n"
        for (ai, a) in actors.enumerated() {
            let bands = years.map { v.lagBand(scenario, $0, a) }
            let c = colors[a]!
            let upper = bands.enumerated().map { "\(f(x($0.offset))),\(f(yy($0.element.p90)))" }
            let lower = bands.enumerated().reversed().map { "\(f(x($0.offset))),\(f(yy($0.element.p10)))" }
            s += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(c)\" fill-opacity=\"0.12\" stroke=\"none\"/>\n"
            s += "<polyline points=\"\(bands.enumerated().map { "\(f(x($0.offset))),\(f(yy($0.element.p50)))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\"/>\n"
            let ly = top + 14 + Double(ai) * 20
            s += "<rect x=\"\(f(left + pw + 14))\" y=\"\(f(ly - 9))\" width=\"14\" height=\"10\" fill=\"\(c)\"/><text x=\"\(f(left + pw + 34))\" y=\"\(f(ly))\">\(esc(a.rawValue)) \(esc(a == .t1 ? "allies" : ""))</text>\n"
        }
        // China's own-development lag (eq. 6), dashed: the capability lag is the min of it and the weights routes.
        s += "<polyline points=\"\(cnOwn.enumerated().map { "\(f(x($0.offset))),\(f(yy($0.element.p50)))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(colors[.cn]!)\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
        let ly = top + 14 + Double(actors.count) * 20
        s += "<line x1=\"\(f(left + pw + 14))\" y1=\"\(f(ly - 4))\" x2=\"\(f(left + pw + 28))\" y2=\"\(f(ly - 4))\" stroke=\"\(colors[.cn]!)\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/><text x=\"\(f(left + pw + 34))\" y=\"\(f(ly))\">CN own dev.</text>\n"
        s += "<text x=\"\(f(left + pw + 14))\" y=\"\(f(ly + 24))\" fill=\"#666\">line P50, band P10-P90</text>\n"
        s += "<text x=\"\(w / 2)\" y=\"\(h - 8)\" text-anchor=\"middle\" fill=\"#666\" font-size=\"10\">ai-diffusion simulate, \(v.result.config.draws) draws, seed \(v.result.config.seed). Data: Epoch AI (epoch.ai)</text>\n"
        return s + "</svg>\n"
    }

    /// Horizontal bars of values with P10-P90 whiskers; used for months bought and the tornado.
    static func bars(title: String, axis: String, rows: [(label: String, p10: Double?, p50: Double, p90: Double?)], footer: String) -> String {
        let w = 760, rowH = 26.0, top = 44.0, left = 210.0, right = 40.0
        let h = Int(top + rowH * Double(rows.count) + 56)
        var lo = 0.0, hi = 0.0
        for r in rows { lo = min(lo, r.p10 ?? r.p50, r.p50); hi = max(hi, r.p90 ?? r.p50, r.p50) }
        if hi - lo < 1e-9 { hi = lo + 1 }
        let pad = (hi - lo) * 0.05; lo -= pad; hi += pad
        let pw = Double(w) - left - right
        func x(_ v: Double) -> Double { left + pw * (v - lo) / (hi - lo) }
        var s = header(w, h, title)
        let axisY = top + rowH * Double(rows.count) + 4
        // Ticks at round values: a step of 1, 2 or 5 times a power of ten, five to ten ticks.
        let raw = (hi - lo) / 8, mag = Foundation.pow(10, (Foundation.log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var ticks: [Double] = []
        var t = (lo / step).rounded(.up) * step
        while t <= hi + 1e-12 { ticks.append(abs(t) < step * 1e-9 ? 0 : t); t += step }
        for v in ticks {
            s += "<line x1=\"\(f(x(v)))\" y1=\"\(f(top - 4))\" x2=\"\(f(x(v)))\" y2=\"\(f(axisY))\" stroke=\"#eee\"/><text x=\"\(f(x(v)))\" y=\"\(f(axisY + 16))\" text-anchor=\"middle\">\(fmt(v, digits: 2))</text>\n"
        }
        s += "<line x1=\"\(f(x(0)))\" y1=\"\(f(top - 4))\" x2=\"\(f(x(0)))\" y2=\"\(f(axisY))\" stroke=\"#333\"/>\n"
        for (i, r) in rows.enumerated() {
            let cy = top + rowH * Double(i) + rowH / 2
            let color = r.p50 >= 0 ? "#d62728" : "#1f77b4"
            s += "<text x=\"\(f(left - 8))\" y=\"\(f(cy + 4))\" text-anchor=\"end\">\(esc(r.label))</text>\n"
            s += "<rect x=\"\(f(min(x(0), x(r.p50))))\" y=\"\(f(cy - 8))\" width=\"\(f(abs(x(r.p50) - x(0))))\" height=\"16\" fill=\"\(color)\" fill-opacity=\"0.7\"/>\n"
            if let p10 = r.p10, let p90 = r.p90 {
                s += "<line x1=\"\(f(x(p10)))\" y1=\"\(f(cy))\" x2=\"\(f(x(p90)))\" y2=\"\(f(cy))\" stroke=\"#222\"/><line x1=\"\(f(x(p10)))\" y1=\"\(f(cy - 5))\" x2=\"\(f(x(p10)))\" y2=\"\(f(cy + 5))\" stroke=\"#222\"/><line x1=\"\(f(x(p90)))\" y1=\"\(f(cy - 5))\" x2=\"\(f(x(p90)))\" y2=\"\(f(cy + 5))\" stroke=\"#222\"/>\n"
            }
        }
        s += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(axisY + 34))\" text-anchor=\"middle\">\(esc(axis))</text>\n"
        s += "<text x=\"\(w / 2)\" y=\"\(h - 6)\" text-anchor=\"middle\" fill=\"#666\" font-size=\"10\">\(esc(footer))</text>\n"
        return s + "</svg>\n"
    }

    /// Months bought per lever for one actor and domain (report year), P50 with P10-P90.
    public static func leverBars(_ v: ResultView, actor: Actor = .cn, domain d: Int = 0) -> String {
        let rows = (1..<v.result.scenarioNames.count).map { si -> (String, Double?, Double, Double?) in
            let b = v.monthsBought(si, v.reportYear, actor, domain: d)
            return (v.result.scenarioNames[si], b.p10, b.p50, b.p90)
        }
        let what = d < v.lagDomainCount ? "capability lag" : "deployable compute (months of delay)"
        return bars(title: "Months bought for \(actor.rawValue) in \(v.domainIDs[d]) (\(what)), \(v.reportYear)",
                    axis: "months vs baseline (paired draws; bar P50, whisker P10-P90)", rows: rows,
                    footer: "\(v.useCalibrated ? "calibrated" : "prior") ensemble, \(v.result.config.draws) draws, seed \(v.result.config.seed)")
    }

    /// The open-weight frontier: its lag (P50, P10-P90) and the origin of the best open model by year.
    public static func openFrontier(_ v: ResultView) -> String {
        let w = 760, h = 400, left = 60.0, right = 170.0, top = 40.0, bottom = 50.0
        let years = v.years
        let bands = years.map { v.scenarioBand(0, $0, .openLag) }
        var maxY = 6.0
        for b in bands { maxY = max(maxY, b.p90) }
        maxY = (maxY / 6).rounded(.up) * 6
        let pw = Double(w) - left - right, ph = Double(h) - top - bottom
        let step = pw / Double(years.count)
        func yy(_ m: Double) -> Double { top + ph * (1 - min(m, maxY) / maxY) }
        var s = header(w, h, "Open-weight frontier: lag behind the US frontier and origin of the best open model (baseline)")
        for k in 0...6 {
            let m = maxY * Double(k) / 6
            s += "<line x1=\"\(f(left))\" y1=\"\(f(yy(m)))\" x2=\"\(f(left + pw))\" y2=\"\(f(yy(m)))\" stroke=\"#ddd\"/>\n<text x=\"\(f(left - 6))\" y=\"\(f(yy(m) + 4))\" text-anchor=\"end\">\(Int(m))</text>\n"
        }
        for (i, year) in years.enumerated() {
            var y0 = top + ph
            for o in OpenOrigin.allCases {
                let share = v.originShare(year, o)
                guard share > 0 else { continue }
                let hgt = ph * 0.25 * share
                s += "<rect x=\"\(f(left + step * Double(i) + 4))\" y=\"\(f(y0 - hgt))\" width=\"\(f(step - 8))\" height=\"\(f(hgt))\" fill=\"\(colors[o.actor]!)\" fill-opacity=\"0.55\"/>\n"
                y0 -= hgt
            }
            s += "<text x=\"\(f(left + step * (Double(i) + 0.5)))\" y=\"\(f(top + ph + 18))\" text-anchor=\"middle\">\(year)</text>\n"
        }
        let pts = bands.enumerated().map { "\(f(left + step * (Double($0.offset) + 0.5))),\(f(yy($0.element.p50)))" }
        let upper = bands.enumerated().map { "\(f(left + step * (Double($0.offset) + 0.5))),\(f(yy($0.element.p90)))" }
        let lower = bands.enumerated().reversed().map { "\(f(left + step * (Double($0.offset) + 0.5))),\(f(yy($0.element.p10)))" }
        s += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"#333\" fill-opacity=\"0.1\"/>\n"
        s += "<polyline points=\"\(pts.joined(separator: " "))\" fill=\"none\" stroke=\"#222\" stroke-width=\"2\"/>\n"
        s += "<text x=\"16\" y=\"\(f(top + ph / 2))\" transform=\"rotate(-90 16 \(f(top + ph / 2)))\" text-anchor=\"middle\">open-weight lag, months</text>\n"
        for (i, o) in OpenOrigin.allCases.enumerated() {
            let ly = top + 14 + Double(i) * 20
            s += "<rect x=\"\(f(left + pw + 14))\" y=\"\(f(ly - 9))\" width=\"14\" height=\"10\" fill=\"\(colors[o.actor]!)\" fill-opacity=\"0.55\"/><text x=\"\(f(left + pw + 34))\" y=\"\(f(ly))\">origin \(o.actor.rawValue)</text>\n"
        }
        s += "<text x=\"\(f(left + pw + 14))\" y=\"\(f(top + 14 + 4 * 20 + 10))\" fill=\"#666\">line: lag P50; band P10-P90</text>\n"
        s += "<text x=\"\(w / 2)\" y=\"\(h - 8)\" text-anchor=\"middle\" fill=\"#666\" font-size=\"10\">bars: share of the year's quarters each origin held the open frontier (quarter height = 1/4 of the axis). Data: Epoch AI (epoch.ai)</text>\n"
        return s + "</svg>\n"
    }

    /// For how long: months bought per year (P50) for the top-ranked levers of one actor and domain.
    public static func durability(_ v: ResultView, actor: Actor = .cn, domain: String = "frontier-general", levers limit: Int = 4) -> String {
        let w = 760, h = 400, left = 60.0, right = 170.0, top = 40.0, bottom = 50.0
        let ranked = v.whereToSlow.filter { $0.actor == actor && $0.domain == domain && $0.rank != nil }.prefix(limit).map(\.lever)
        let rows = v.durability.filter { $0.actor == actor && $0.domain == domain && ranked.contains($0.lever) }
        let years = v.projectionYears
        var maxY = 2.0, minY = 0.0
        for r in rows { for b in r.months { maxY = max(maxY, b.p50); minY = min(minY, b.p50) } }
        maxY = maxY.rounded(.up)
        let pw = Double(w) - left - right, ph = Double(h) - top - bottom
        func x(_ i: Int) -> Double { left + pw * Double(i) / Double(max(1, years.count - 1)) }
        func yy(_ m: Double) -> Double { top + ph * (1 - (m - minY) / (maxY - minY)) }
        var s = header(w, h, "For how long: months bought for \(actor.rawValue) in \(domain), top-ranked levers (P50)")
        for k in 0...4 {
            let m = minY + (maxY - minY) * Double(k) / 4
            s += "<line x1=\"\(f(left))\" y1=\"\(f(yy(m)))\" x2=\"\(f(left + pw))\" y2=\"\(f(yy(m)))\" stroke=\"#ddd\"/>\n<text x=\"\(f(left - 6))\" y=\"\(f(yy(m) + 4))\" text-anchor=\"end\">\(fmt(m, digits: 2))</text>\n"
        }
        s += "<line x1=\"\(f(left))\" y1=\"\(f(yy(1)))\" x2=\"\(f(left + pw))\" y2=\"\(f(yy(1)))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
        for (i, y) in years.enumerated() { s += "<text x=\"\(f(x(i)))\" y=\"\(f(top + ph + 18))\" text-anchor=\"middle\">\(y)</text>\n" }
        let palette = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
        for (k, r) in rows.enumerated() {
            let c = palette[k % palette.count]
            s += "<polyline points=\"\(r.months.enumerated().map { "\(f(x($0.offset))),\(f(yy($0.element.p50)))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\"/>\n"
            let ly = top + 14 + Double(k) * 20
            s += "<rect x=\"\(f(left + pw + 14))\" y=\"\(f(ly - 9))\" width=\"14\" height=\"10\" fill=\"\(c)\"/><text x=\"\(f(left + pw + 34))\" y=\"\(f(ly))\">\(esc(r.lever))</text>\n"
        }
        s += "<text x=\"16\" y=\"\(f(top + ph / 2))\" transform=\"rotate(-90 16 \(f(top + ph / 2)))\" text-anchor=\"middle\">months bought (P50)</text>\n"
        s += "<text x=\"\(w / 2)\" y=\"\(h - 8)\" text-anchor=\"middle\" fill=\"#666\" font-size=\"10\">dashed: 1 month (durability = last year at or above it). ai-diffusion simulate, \(v.result.config.draws) draws, seed \(v.result.config.seed)</text>\n"
        return s + "</svg>\n"
    }

    /// Tornado: Spearman rank correlation of inputs with China's report-year lag (top `limit`).
    public static func tornado(_ v: ResultView, own: Bool = false, limit: Int = 15) -> String {
        let flags = Dictionary(uniqueKeysWithValues: zip(v.result.parameterNames, v.result.parameterIsAssumption).map { ($0, $1) })
        let rows = v.result.tornado(own: own).prefix(limit).map { t -> (String, Double?, Double, Double?) in
            (t.name + (flags[t.name] == true ? " *" : ""), nil, t.rho, nil)
        }
        return bars(title: "What drives China's \(own ? "own-development" : "capability") lag in \(v.reportYear) (Spearman rho)", axis: "rank correlation with China's lag (* = ASSUMPTION)",
                    rows: rows, footer: "baseline scenario, \(v.result.acceptedCount >= 30 ? "accepted" : "all") draws")
    }
}
