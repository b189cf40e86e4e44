/// A set of countries as a bit set over ``CountryRegistry`` indices (up to 320 countries).
///
/// Used for tiers and country-group lists once a regime is compiled for a date, so that a
/// membership test on the screening hot path is a shift and a mask.
public struct CountrySet: Hashable, Sendable {
    static let wordCount = 5
    private var words: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)

    public init() {}

    public static func == (lhs: CountrySet, rhs: CountrySet) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3 && lhs.words.4 == rhs.words.4
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0); hasher.combine(words.1); hasher.combine(words.2)
        hasher.combine(words.3); hasher.combine(words.4)
    }

    @inline(__always) private func word(_ i: Int) -> UInt64 {
        switch i {
        case 0: return words.0
        case 1: return words.1
        case 2: return words.2
        case 3: return words.3
        default: return words.4
        }
    }

    @inline(__always) private mutating func setWord(_ i: Int, _ value: UInt64) {
        switch i {
        case 0: words.0 = value
        case 1: words.1 = value
        case 2: words.2 = value
        case 3: words.3 = value
        default: words.4 = value
        }
    }

    /// Membership of a registry index.
    @inline(__always) public func contains(index: Int) -> Bool {
        word(index >> 6) & (1 << UInt64(index & 63)) != 0
    }

    public mutating func insert(index: Int) {
        precondition(index < CountrySet.wordCount * 64, "country registry larger than CountrySet capacity")
        setWord(index >> 6, word(index >> 6) | (1 << UInt64(index & 63)))
    }

    public mutating func remove(index: Int) {
        setWord(index >> 6, word(index >> 6) & ~(1 << UInt64(index & 63)))
    }

    public func union(_ other: CountrySet) -> CountrySet {
        var out = CountrySet()
        for i in 0..<CountrySet.wordCount { out.setWord(i, word(i) | other.word(i)) }
        return out
    }

    public func subtracting(_ other: CountrySet) -> CountrySet {
        var out = CountrySet()
        for i in 0..<CountrySet.wordCount { out.setWord(i, word(i) & ~other.word(i)) }
        return out
    }

    /// Indices in ascending order.
    public var indices: [Int] {
        (0..<(CountrySet.wordCount * 64)).filter { contains(index: $0) }
    }

    public var isEmpty: Bool { (0..<CountrySet.wordCount).allSatisfy { word($0) == 0 } }
}
