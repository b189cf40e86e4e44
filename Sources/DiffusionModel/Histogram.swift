import Foundation

/// How the prior-predictive histogram bins a metric: values are transformed, then counted in
/// `bins` equal bins on [lo, hi] (values outside are clamped into the edge bins). Values that are
/// exactly zero and undefined values (NaN) have their own counts, so a lever that does not touch a
/// metric reads exactly 0, not the middle of the bin around 0.
///
/// Error bound of a quantile read from the histogram (interpolation within one bin):
/// - `linear`: at most one bin width, (hi - lo) / 1024 (0.059 months for lags, 0.032 OOM for log10 values);
/// - `signedLog(scale)`: the bin spans a factor 10^((hi - lo)/1024) in 1 + |x|/scale, so the error is at
///   most 2.3% of (|x| + scale) for the ±5-decade specs (months: scale 0.001 months) and 4.1% for dollars.
/// The calibrated ensemble does not use histograms: its quantiles are exact (``SampleTable``).
public struct MetricSpec: Sendable, Equatable {
    public enum Transform: Sendable, Equatable {
        case linear
        /// sign(x) * log10(1 + |x| / scale): differences, money and percentages spanning many orders.
        case signedLog(scale: Double)
    }
    public var lo: Double, hi: Double, transform: Transform
    public static let bins = 1024

    @inline(__always) func forward(_ x: Double) -> Double {
        switch transform {
        case .linear: return x
        case let .signedLog(scale): return x < 0 ? -Foundation.log10(1 - x / scale) : Foundation.log10(1 + x / scale)
        }
    }
    func inverse(_ y: Double) -> Double {
        switch transform {
        case .linear: return y
        case let .signedLog(scale): return y < 0 ? -(Foundation.pow(10, -y) - 1) * scale : (Foundation.pow(10, y) - 1) * scale
        }
    }
    @inline(__always) func bin(_ x: Double) -> Int {
        let y = forward(x)
        let i = Int(((y - lo) / (hi - lo) * Double(Self.bins)).rounded(.down))
        return i < 0 ? 0 : (i >= Self.bins ? Self.bins - 1 : i)
    }
    /// Index of the bin edge at value 0 (every spec puts 0 on an edge).
    var zeroEdge: Int { Int(((forward(0) - lo) / (hi - lo) * Double(Self.bins)).rounded()) }
    /// Worst-case quantile error, for reports.
    public var errorBound: String {
        let width = (hi - lo) / Double(Self.bins)
        switch transform {
        case .linear: return "±\(formatNumber(width)) (one bin)"
        case let .signedLog(scale): return "±\(formatNumber(100 * (Foundation.pow(10, width) - 1), significant: 2))% of (|x| + \(formatNumber(scale)))"
        }
    }

    static let lagMonths = MetricSpec(lo: 0, hi: 60, transform: .linear)
    static let log10Value = MetricSpec(lo: 0, hi: 33, transform: .linear)
    static let share = MetricSpec(lo: 0, hi: 1, transform: .linear)
    /// Paired differences in months: ±100 months, exact zero.
    static let deltaMonths = MetricSpec(lo: -5, hi: 5, transform: .signedLog(scale: 1e-3))
    /// USD: ±$1e15.
    static let dollars = MetricSpec(lo: -9, hi: 9, transform: .signedLog(scale: 1e6))
    /// Percent change: ±1e6 %.
    static let percent = MetricSpec(lo: -6, hi: 6, transform: .signedLog(scale: 1))
    /// Months per $10B: ±1000.
    static let ratio = MetricSpec(lo: -6, hi: 6, transform: .signedLog(scale: 1e-3))
}

/// Integer-count histograms for every metric (the prior-predictive ensemble, all draws); merging
/// is exact, so results do not depend on how draws were split across threads.
public struct HistogramTable: Sendable {
    public let layout: MetricLayout
    /// Per metric: `bins` regular counts, then the exact-zero count, then the undefined (NaN) count.
    public private(set) var counts: [UInt32]
    public private(set) var total: Int = 0
    static let stride = MetricSpec.bins + 2

    public init(layout: MetricLayout) {
        self.layout = layout
        counts = [UInt32](repeating: 0, count: layout.count * Self.stride)
    }

    /// Adds one draw's metric vector (length `layout.count`).
    public mutating func add(_ values: UnsafeBufferPointer<Double>) {
        total += 1
        let specs = layout.specs
        counts.withUnsafeMutableBufferPointer { c in
            for i in 0..<layout.count {
                let x = values[i]
                let slot: Int
                if x.isNaN { slot = MetricSpec.bins + 1 } else if x == 0 { slot = MetricSpec.bins } else { slot = specs[i].bin(x) }
                c[i * Self.stride + slot] &+= 1
            }
        }
    }

    public mutating func merge(_ other: HistogramTable) {
        total += other.total
        for i in 0..<counts.count { counts[i] &+= other.counts[i] }
    }

    /// Number of draws in which metric `index` is defined (not NaN).
    public func definedCount(_ index: Int) -> Int { total - Int(counts[index * Self.stride + MetricSpec.bins + 1]) }

    /// Quantile `p` of metric `index` over the draws where it is defined (NaN when none).
    public func quantile(_ index: Int, _ p: Double) -> Double {
        let n = definedCount(index)
        guard n > 0 else { return .nan }
        let spec = layout.specs[index]
        let base = index * Self.stride
        let zeros = Double(counts[base + MetricSpec.bins])
        let zeroEdge = spec.zeroEdge
        let target = p * Double(n)
        var cum = 0.0
        let width = (spec.hi - spec.lo) / Double(MetricSpec.bins)
        for b in 0...MetricSpec.bins {
            if b == zeroEdge && zeros > 0 {
                if cum + zeros >= target { return 0 }
                cum += zeros
            }
            guard b < MetricSpec.bins else { break }
            let c = Double(counts[base + b])
            if c > 0 && cum + c >= target {
                let frac = (target - cum) / c
                return spec.inverse(spec.lo + (Double(b) + frac) * width)
            }
            cum += c
        }
        return spec.inverse(spec.hi)
    }
}
