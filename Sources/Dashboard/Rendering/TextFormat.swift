import ComputeMetrics
import DiffusionRules

/// Numbers and values as the CLI prints them (`screen --format table/csv`, `ledger show`): TPP as a
/// plain decimal without grouping or exponent (`5284.8`, `129695744`), H100-equivalents to three
/// decimals at most, dates `YYYY-MM-DD`, absent values as an en dash.
enum TextFormat {
    static let absent = "–"

    static func tpp(_ value: TPP?) -> String { value?.description ?? absent }

    /// H100-equivalents rounded to a thousandth, as the JSON and CSV outputs write them.
    static func h100(_ value: Double?) -> String { value.map { TPP($0).description } ?? absent }

    static func tier(_ value: Int?) -> String { value.map { "Tier \($0)" } ?? absent }

    static func optional(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return absent }
        return value
    }

    static func quantity(_ value: Int64?) -> String { value.map { String($0) } ?? absent }

    static func reviewPolicy(_ policy: ReviewPolicy?) -> String { policy?.rawValue ?? absent }

    /// `part / whole` as a percentage with one decimal (`32.4%`); nil when `whole` is not positive.
    static func percent(_ part: Double, of whole: Double) -> String? {
        guard whole > 0 else { return nil }
        return fixed(100 * part / whole, decimals: 1) + "%"
    }

    /// A fixed-point decimal without Foundation's locale-dependent formatting: `fixed(3.14159, decimals: 1)` is `"3.1"`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((value * scale).rounded())
        let negative = scaled < 0
        let magnitude = scaled.magnitude
        var text = String(magnitude / UInt64(scale))
        if decimals > 0 {
            text += "." + String(magnitude % UInt64(scale)).leftPadded(to: decimals)
        }
        return (negative ? "-" : "") + text
    }
}

/// Escaping for text and attribute values in markup the dashboard builds itself (SVG charts).
/// Templates escape through Mustache's `{{value}}`, which replaces the same five characters.
enum MarkupText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
