/// A horizontal bar chart as an inline SVG element: one row per cap or licence, the confirmed
/// amount as a solid bar, the reserved amount after it in a lighter shade, and the limit as the
/// full track. Rows without a limit are scaled to the largest amount in the chart and drawn
/// without a track. Needs no script and no stylesheet (fills are attributes; the stylesheet only
/// refines them for print).
///
/// ```swift
/// BarChart(title: "Country allocations", rows: [
///     .init(label: "IN India", used: 256_351_744, reserved: 0, limit: 790_000_000,
///           value: "256351744 of 790000000 TPP (32.4%)", detail: "country_allocation/IN")
/// ]).svg(id: "chart-allocations")
/// ```
struct BarChart {
    struct Row {
        var label: String
        var used: Double
        var reserved: Double
        var limit: Double?
        /// Text after the bar.
        var value: String
        /// Tooltip and accessible description (cap name and figures).
        var detail: String
    }

    var title: String
    var rows: [Row]

    // Geometry, in SVG user units (1 = 1 CSS pixel at full width).
    static let width = 1000.0
    static let labelRight = 210.0
    static let barLeft = 220.0
    static let barWidth = 380.0
    static let valueLeft = 612.0
    static let rowHeight = 24.0
    static let barHeight = 14.0
    static let top = 6.0
    /// Labels longer than this many characters are cut (the full label is in the tooltip).
    static let labelCharacters = 30

    func svg(id: String) -> String {
        let height = BarChart.top * 2 + BarChart.rowHeight * Double(max(rows.count, 1))
        let unlimitedScale = rows.filter { $0.limit == nil }.map { $0.used + $0.reserved }.max() ?? 0
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bar-chart\" id=\"\(MarkupText.escape(id))\""
        out += " width=\"\(n(BarChart.width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(BarChart.width)) \(n(height))\""
        out += " role=\"img\" aria-labelledby=\"\(MarkupText.escape(id))-title\" font-family=\"system-ui, sans-serif\" font-size=\"12\">"
        out += "<title id=\"\(MarkupText.escape(id))-title\">\(MarkupText.escape(title))</title>"
        for (index, row) in rows.enumerated() {
            let y = BarChart.top + BarChart.rowHeight * Double(index)
            let barY = y + (BarChart.rowHeight - BarChart.barHeight) / 2
            let textY = y + BarChart.rowHeight / 2 + 4
            let scale = row.limit ?? unlimitedScale
            let usedWidth = scale > 0 ? min(1, max(0, row.used / scale)) * BarChart.barWidth : 0
            let reservedWidth = scale > 0 ? min(1 - usedWidth / BarChart.barWidth, max(0, row.reserved / scale)) * BarChart.barWidth : 0
            out += "<g class=\"bar-row\"><title>\(MarkupText.escape(row.detail))</title>"
            out += "<text class=\"bar-label\" x=\"\(n(BarChart.labelRight))\" y=\"\(n(textY))\" text-anchor=\"end\" fill=\"#1d2733\">\(MarkupText.escape(BarChart.cut(row.label)))</text>"
            if row.limit != nil {
                out += "<rect class=\"bar-track\" x=\"\(n(BarChart.barLeft))\" y=\"\(n(barY))\" width=\"\(n(BarChart.barWidth))\" height=\"\(n(BarChart.barHeight))\" fill=\"#e6eaef\" stroke=\"#b8c2cc\" stroke-width=\"0.5\"/>"
            }
            out += "<rect class=\"bar-used\" x=\"\(n(BarChart.barLeft))\" y=\"\(n(barY))\" width=\"\(n(usedWidth))\" height=\"\(n(BarChart.barHeight))\" fill=\"#2f5d86\"/>"
            if reservedWidth > 0 {
                out += "<rect class=\"bar-reserved\" x=\"\(n(BarChart.barLeft + usedWidth))\" y=\"\(n(barY))\" width=\"\(n(reservedWidth))\" height=\"\(n(BarChart.barHeight))\" fill=\"#8fb3d3\"/>"
            }
            out += "<text class=\"bar-value\" x=\"\(n(BarChart.valueLeft))\" y=\"\(n(textY))\" fill=\"#1d2733\">\(MarkupText.escape(row.value))</text></g>"
        }
        return out + "</svg>"
    }

    /// A label cut to ``labelCharacters`` with an ellipsis.
    static func cut(_ label: String) -> String {
        label.count > labelCharacters ? String(label.prefix(labelCharacters - 1)) + "…" : label
    }

    /// Coordinates to one decimal.
    private func n(_ value: Double) -> String { TextFormat.fixed(value, decimals: 1) }
}
