/// An amount of Total Processing Performance (TPP), the EAR's measure of a chip's compute.
///
/// TPP = 2 × MacTOPS × bit length of the operation, summed over the processing units of an IC, at the
/// highest-TPP precision, dense (Technical Note 2 to ECCN 3A090.a/.b, 15 CFR part 774, Supplement No. 1;
/// text republished at 90 FR 4544, Jan. 15, 2025). Example: H100 SXM, FP16 989.5 TFLOPS × 16 ≈ 15,832.
///
/// Amounts are held exactly as integer thousandths of a TPP so that caps, ledgers and sums never
/// drift: `TPP(5284.8).milli == 5_284_800`. Totals up to 9.2 × 10^15 TPP fit.
///
/// ```swift
/// let perUnit = TPP(15_832)
/// let total = perUnit.multiplied(by: 3_000)   // 47,496,000 TPP
/// print(total)                               // "47496000"
/// ```
public struct TPP: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    /// The amount in thousandths of a TPP.
    public var milli: Int64

    /// Exact amount from thousandths.
    public init(milli: Int64) { self.milli = milli }

    /// Amount from a TPP value, rounded to the nearest thousandth.
    public init(_ value: Double) { self.milli = Int64((value * 1000).rounded()) }

    /// Amount from whole TPP.
    public init(whole: Int64) { self.milli = whole * 1000 }

    public static var zero: TPP { TPP(milli: 0) }

    /// The amount in TPP as a floating-point number.
    public var value: Double { Double(milli) / 1000 }

    public static func + (lhs: TPP, rhs: TPP) -> TPP { TPP(milli: lhs.milli + rhs.milli) }
    public static func - (lhs: TPP, rhs: TPP) -> TPP { TPP(milli: lhs.milli - rhs.milli) }
    public static func < (lhs: TPP, rhs: TPP) -> Bool { lhs.milli < rhs.milli }

    /// `self × count`, or nil on overflow (an absurd quantity).
    public func multiplied(by count: Int64) -> TPP? {
        let (product, overflow) = milli.multipliedReportingOverflow(by: count)
        return overflow ? nil : TPP(milli: product)
    }

    /// `self × factor`, rounded to a thousandth (used for "up to double" allocations).
    public func scaled(by factor: Double) -> TPP { TPP(milli: Int64((Double(milli) * factor).rounded())) }

    /// Decimal text without exponent or trailing zeros: `"15832"`, `"5284.8"`, `"-0.001"`.
    public var description: String {
        let negative = milli < 0
        let magnitude = milli.magnitude
        let whole = magnitude / 1000
        let fraction = magnitude % 1000
        var text = negative ? "-" : ""
        text += String(whole)
        if fraction != 0 {
            var digits = String(fraction)
            while digits.count < 3 { digits = "0" + digits }
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }

    /// Parses a plain decimal number (`"4707"`, `"5284.8"`, `"1e4"` is rejected). Returns nil for
    /// anything else.
    public init?(parsing text: Substring) {
        guard let value = DecimalText.parse(text) else { return nil }
        self.init(milli: value)
    }
}

/// Strict parsing of plain decimal numbers into thousandths, without Foundation.
enum DecimalText {
    /// `"123"`, `"123.4"`, `"-0.5"`, `"1,000"` is rejected. At most three decimals are kept
    /// (rounded half up); more than 15 integer digits is rejected.
    static func parse(_ text: Substring) -> Int64? {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        else if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var roundUp = false
        var seenDot = false
        var seenDigit = false
        var integerDigits = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if seenDot { return nil }
                seenDot = true
                continue
            }
            guard byte >= 48, byte <= 57 else { return nil }
            seenDigit = true
            let digit = Int64(byte - 48)
            if seenDot {
                if fractionDigits < 3 {
                    fraction = fraction * 10 + digit
                    fractionDigits += 1
                } else if fractionDigits == 3 {
                    roundUp = digit >= 5
                    fractionDigits += 1
                }
            } else {
                integerDigits += 1
                if integerDigits > 15 { return nil }
                whole = whole * 10 + digit
            }
        }
        guard seenDigit else { return nil }
        while fractionDigits < 3 { fraction *= 10; fractionDigits += 1 }
        var milli = whole * 1000 + fraction + (roundUp ? 1 : 0)
        if negative { milli = -milli }
        return milli
    }
}
