/// Jaro-Winkler similarity over Unicode scalars (Jaro 1989; Winkler 1990), in [0, 1].
///
/// Jaro: with `m` characters matching within a window of `max(|a|, |b|) / 2 - 1` and `t` half the
/// transpositions, `(m/|a| + m/|b| + (m - t)/m) / 3`. Winkler adds `l * p * (1 - jaro)` for a common
/// prefix of `l <= prefixLength` characters when the Jaro similarity exceeds `boostThreshold`.
///
/// ```swift
/// let jw = JaroWinkler(JaroWinklerParameters(prefixScale: 0.1, prefixLength: 4, boostThreshold: 0.7))
/// jw.similarity(Array("martha".unicodeScalars.map(\.value)), Array("marhta".unicodeScalars.map(\.value)))  // 0.9611
/// ```
public struct JaroWinkler: Sendable {
    public let parameters: JaroWinklerParameters

    public init(_ parameters: JaroWinklerParameters) { self.parameters = parameters }

    public func similarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in similarity(pa, pb) } }
    }

    public func similarity(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Double {
        let jaro = JaroWinkler.jaro(a, b)
        guard jaro > parameters.boostThreshold else { return jaro }
        var prefix = 0
        let limit = min(parameters.prefixLength, a.count, b.count)
        while prefix < limit && a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * parameters.prefixScale * (1 - jaro)
    }

    /// The Jaro similarity.
    public static func jaro(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Double {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty ? 1 : 0 }
        if a.count == b.count && memcmp(a.baseAddress!, b.baseAddress!, a.count * 4) == 0 { return 1 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        // Flags on the stack for names of ordinary length.
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: a.count + b.count) { flags in
            flags.initialize(repeating: false)
            var matches = 0
            for i in 0..<a.count {
                let low = max(0, i - window), high = min(b.count - 1, i + window)
                if low > high { continue }
                for j in low...high where !flags[a.count + j] && a[i] == b[j] {
                    flags[i] = true
                    flags[a.count + j] = true
                    matches += 1
                    break
                }
            }
            if matches == 0 { return 0 }
            var transpositions = 0
            var k = 0
            for i in 0..<a.count where flags[i] {
                while !flags[a.count + k] { k += 1 }
                if a[i] != b[k] { transpositions += 1 }
                k += 1
            }
            let m = Double(matches)
            return (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions) / 2) / m) / 3
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
