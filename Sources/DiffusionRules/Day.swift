/// A calendar date (proleptic Gregorian, no time zone), as used by the EAR and Federal Register:
/// effective dates, compliance dates, transaction dates.
///
/// Stored as days since 1970-01-01 so comparisons and lookups are integer operations. Parsing is
/// strict `YYYY-MM-DD` (zero-padded, real calendar dates only).
///
/// ```swift
/// let day = Day("2025-01-13")!
/// day.year                       // 2025
/// Day("2025-02-30")              // nil
/// Day("2025-05-13")! < Day("2025-05-15")!   // true
/// ```
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public let ordinal: Int32

    public init(ordinal: Int32) { self.ordinal = ordinal }

    /// A date from its parts; nil when the parts are not a real date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Day.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.ordinal = Int32(era * 146_097 + doe - 719_468)
    }

    /// Parses `YYYY-MM-DD`; nil for anything else.
    public init?(_ text: String) {
        var copy = text
        guard let day = copy.withUTF8({ Day(utf8: $0) }) else { return nil }
        self = day
    }

    /// Parses `YYYY-MM-DD` from UTF-8 bytes without allocating.
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let b = bytes[i]
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Year, month and day of month.
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = Int(ordinal) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public var year: Int {
        // Years 1900-2199 from a table of their first days (the screening loop asks for every row's
        // year); others from the calendar arithmetic.
        let table = Day.yearStarts
        var guess = 70 + Int(ordinal) * 400 / 146_097
        guard guess >= 0, guess + 1 < table.count else { return components.year }
        if ordinal < table[guess] { guess -= 1 } else if ordinal >= table[guess + 1] { guess += 1 }
        guard guess >= 0, guess + 1 < table.count, table[guess] <= ordinal, ordinal < table[guess + 1] else { return components.year }
        return 1900 + guess
    }

    /// Ordinal of January 1 of 1900 + i.
    private static let yearStarts: [Int32] = (1900...2200).map { Day(year: $0, month: 1, day: 1)!.ordinal }

    /// Calendar quarter, 1...4.
    public var quarter: Int { (components.month - 1) / 3 + 1 }

    /// The next day.
    public var next: Day { Day(ordinal: ordinal + 1) }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    public var description: String {
        let (y, m, d) = components
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = Day(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a date in YYYY-MM-DD form")
        }
        self = day
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
