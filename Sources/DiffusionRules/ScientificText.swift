/// Short scientific notation for operations and rates: `3.29e24`, `1e26`, `0`.
public enum Scientific {
    /// Three significant digits, trailing zeros dropped: `3.2856e24` → `3.29e24`, `1e26` → `1e26`.
    public static func format(_ value: Double, digits: Int = 3) -> String {
        if value == 0 { return "0" }
        if !value.isFinite { return value > 0 ? "inf" : "-inf" }
        let negative = value < 0
        var magnitude = abs(value)
        var exponent = Int(magnitude.log10Floor)
        var mantissa = magnitude / pow10(exponent)
        let scale = pow10(digits - 1)
        mantissa = (mantissa * scale).rounded() / scale
        if mantissa >= 10 { mantissa /= 10; exponent += 1 }
        magnitude = mantissa
        var text = String(Int64((magnitude * scale).rounded()))
        // Insert the decimal point after the first digit and drop trailing zeros.
        if text.count > 1 {
            text.insert(".", at: text.index(after: text.startIndex))
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if exponent == 0 { return (negative ? "-" : "") + text }
        return (negative ? "-" : "") + text + "e" + String(exponent)
    }

    static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        if exponent >= 0 { for _ in 0..<exponent { result *= 10 } } else { for _ in 0..<(-exponent) { result /= 10 } }
        return result
    }
}

extension Double {
    /// floor(log10(self)) for a positive finite value, exact at powers of ten.
    var log10Floor: Double {
        var exponent = 0
        var value = self
        while value >= 10 { value /= 10; exponent += 1 }
        while value < 1 { value *= 10; exponent -= 1 }
        return Double(exponent)
    }
}
