import DiffusionRules

/// Byte-level field parsing for the usage hot path: numbers and UTC timestamps without creating
/// `String`s.
enum ByteFields {
    /// Drops leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    private static let powers: [Double] = (0...308).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// A decimal number: `[+-]digits[.digits][(e|E)[+-]digits]`; nil for anything else (commas,
    /// `nan`, `inf`, hex, empty).
    @inline(__always)
    static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let n = bytes.count
        guard n > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if bytes[0] == UInt8(ascii: "+") { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var sawDigit = false
        while i < n, bytes[i] >= 48, bytes[i] <= 57 {
            if digits < 19 { mantissa = mantissa * 10 + UInt64(bytes[i] - 48); if mantissa > 0 { digits += 1 } } else { scale += 1 }
            sawDigit = true
            i += 1
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, bytes[i] >= 48, bytes[i] <= 57 {
                if digits < 19 { mantissa = mantissa * 10 + UInt64(bytes[i] - 48); if mantissa > 0 { digits += 1 }; scale -= 1 }
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < n, bytes[i] == UInt8(ascii: "-") { expNegative = true; i += 1 } else if i < n, bytes[i] == UInt8(ascii: "+") { i += 1 }
            var exponent = 0
            var expDigits = 0
            while i < n, bytes[i] >= 48, bytes[i] <= 57 {
                if exponent < 10_000 { exponent = exponent * 10 + Int(bytes[i] - 48) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            scale += expNegative ? -exponent : exponent
        }
        guard i == n else { return nil }
        var value = Double(mantissa)
        if scale > 0 {
            guard scale <= 308 else { return value == 0 ? 0 : nil }
            value *= powers[scale]
        } else if scale < 0 {
            value = -scale <= 308 ? value / powers[-scale] : 0
        }
        guard value.isFinite else { return nil }
        return negative ? -value : value
    }

    /// A UTC timestamp in seconds since 1970: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS`,
    /// optionally ending in `Z` (a space may replace `T`). nil for anything else, including offsets.
    static func timestamp(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var n = bytes.count
        guard n >= 10 else { return nil }
        if bytes[n - 1] == UInt8(ascii: "Z") { n -= 1 }
        guard let day = Day10.parse(UnsafeBufferPointer(rebasing: bytes[0..<10])) else { return nil }
        var seconds = Int64(day) * 86_400
        if n == 10 { return seconds }
        guard n == 16 || n == 19, bytes[10] == UInt8(ascii: "T") || bytes[10] == 0x20, bytes[13] == UInt8(ascii: ":") else { return nil }
        func two(_ at: Int) -> Int? {
            let a = bytes[at], b = bytes[at + 1]
            guard a >= 48, a <= 57, b >= 48, b <= 57 else { return nil }
            return Int(a - 48) * 10 + Int(b - 48)
        }
        guard let hour = two(11), hour < 24, let minute = two(14), minute < 60 else { return nil }
        var second = 0
        if n == 19 {
            guard bytes[16] == UInt8(ascii: ":"), let s = two(17), s < 60 else { return nil }
            second = s
        }
        seconds += Int64(hour * 3600 + minute * 60 + second)
        return seconds
    }
}

/// `YYYY-MM-DD` to days since 1970 (through ``Day``).
enum Day10 {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        Day(utf8: bytes)?.ordinal
    }
}
