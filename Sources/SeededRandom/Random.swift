/// Seeded pseudo-random numbers of our own, so results are byte-identical across runs and
/// platforms (Foundation's generator is not seedable).
///
/// `SplitMix64` (Steele, Lea & Flood 2014) derives independent per-draw seeds from
/// `(seed, draw index)`; `Xoshiro256StarStar` (Blackman & Vigna 2018) is the per-draw stream.
public struct SplitMix64: Sendable {
    public private(set) var state: UInt64
    public init(seed: UInt64) { state = seed }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** generator; `uniform()` returns a Double in the open interval (0, 1).
public struct Xoshiro256StarStar: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Seeds the four words from SplitMix64, as the authors recommend.
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    /// The stream for one Monte Carlo draw: the same `(seed, draw)` always gives the same stream,
    /// whichever thread or chunk runs it. This is what makes scenarios share random numbers.
    public init(seed: UInt64, draw: Int) {
        var sm = SplitMix64(seed: seed ^ 0x5DEE_CE66_D1CE_4E5B)
        let a = sm.next()
        var mix = SplitMix64(seed: a &+ UInt64(truncatingIfNeeded: draw) &* 0xD1B5_4A32_D192_ED03)
        self.init(seed: mix.next())
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// Uniform on (0, 1): 53 random bits, offset by half a step so 0 and 1 never occur.
    @inline(__always)
    public mutating func uniform() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }
}
