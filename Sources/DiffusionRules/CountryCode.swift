/// An ISO 3166-1 alpha-2 country code (`"CN"`, `"GB"`; Kosovo uses the user-assigned `"XK"`).
///
/// Held as two ASCII bytes so it hashes and compares as an integer. Whether a code is a *known*
/// country is the ``CountryRegistry``'s job; this type only guarantees two upper-case letters.
///
/// ```swift
/// CountryCode("gb")     // "GB"
/// CountryCode("UK")     // "UK" (well-formed; the registry rejects it and suggests GB)
/// CountryCode("USA")    // nil
/// ```
public struct CountryCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The two letters packed as `first << 8 | second`.
    public let packed: UInt16

    /// Two letters, either case; nil for anything else.
    public init?(_ text: String) {
        var copy = text
        guard let code = copy.withUTF8({ CountryCode(utf8: $0) }) else { return nil }
        self = code
    }

    /// From UTF-8 bytes, without allocating.
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 2 else { return nil }
        func upper(_ b: UInt8) -> UInt8? {
            if b >= 65, b <= 90 { return b }
            if b >= 97, b <= 122 { return b - 32 }
            return nil
        }
        guard let a = upper(bytes[0]), let b = upper(bytes[1]) else { return nil }
        packed = UInt16(a) << 8 | UInt16(b)
    }

    public var description: String {
        String(decoding: [UInt8(packed >> 8), UInt8(packed & 0xFF)], as: UTF8.self)
    }

    public static func < (lhs: CountryCode, rhs: CountryCode) -> Bool { lhs.packed < rhs.packed }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let code = CountryCode(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a two-letter country code")
        }
        self = code
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static let unitedStates = CountryCode("US")!
}

/// The countries screening knows: ISO 3166-1 alpha-2 codes with names, a dense index for bit sets,
/// and hints for common mistakes (`UK` → `GB`, alpha-3 codes, country names).
///
/// Source: ISO 3166-1 via datahub.io `core/country-codes` (ODC-PDDL), plus `XK` for Kosovo as used
/// in Supplement No. 1 to part 740.
public struct CountryRegistry: Sendable {
    public struct Country: Sendable, Hashable {
        public var code: CountryCode
        public var name: String
        public var alpha3: String?

        public init(code: CountryCode, name: String, alpha3: String?) {
            self.code = code
            self.name = name
            self.alpha3 = alpha3
        }
    }

    /// All countries in code order; a country's position is its ``index(of:)``.
    public let countries: [Country]
    /// Registry index by code, as a 26 x 26 table of letters (-1 when unknown): a lookup is two
    /// subtractions, not a hash.
    private let indexByLetters: [Int16]
    /// Typed mistakes mapped to the intended code (`UK` → `GB`; alpha-3; names), upper-cased keys.
    private let hints: [String: CountryCode]

    public init(countries: [Country], mistakes: [String: CountryCode] = [:]) {
        let sorted = countries.sorted { $0.code < $1.code }
        self.countries = sorted
        var index = [Int16](repeating: -1, count: 26 * 26)
        var hints: [String: CountryCode] = [:]
        for (i, country) in sorted.enumerated() {
            index[CountryRegistry.slot(country.code)] = Int16(i)
            if let alpha3 = country.alpha3 { hints[alpha3.uppercased()] = country.code }
            hints[country.name.uppercased()] = country.code
        }
        for (typed, code) in mistakes { hints[typed.uppercased()] = code }
        self.indexByLetters = index
        self.hints = hints
    }

    @inline(__always) static func slot(_ code: CountryCode) -> Int {
        Int((code.packed >> 8) &- 65) * 26 + Int((code.packed & 0xFF) &- 65)
    }

    /// Dense index of a known code, or nil.
    @inline(__always) public func index(of code: CountryCode) -> Int? {
        let value = indexByLetters[CountryRegistry.slot(code)]
        return value < 0 ? nil : Int(value)
    }

    public func contains(_ code: CountryCode) -> Bool { index(of: code) != nil }

    public func name(of code: CountryCode) -> String? { index(of: code).map { countries[$0].name } }

    /// The code someone probably meant by `typed` (`"UK"` → GB, `"USA"` → US, `"China"` → CN).
    public func suggestion(for typed: String) -> CountryCode? {
        let key = typed.uppercased()
        if let code = hints[key] { return code }
        return nil
    }
}
