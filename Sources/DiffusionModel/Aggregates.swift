import Foundation

/// How a metric is binned: values are transformed, then counted in `bins` equal bins on [lo, hi]
/// (values outside are clamped into the edge bins). Quantiles interpolate within a bin.
public struct MetricSpec: Sendable, Equatable {
    public enum Transform: Sendable, Equatable {
        case linear
        /// sign(x) * log10(1 + |x| / scale): money and percentages spanning many orders.
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
        if !(y == y) { return 0 }
        let i = Int(((y - lo) / (hi - lo) * Double(Self.bins)).rounded(.down))
        return i < 0 ? 0 : (i >= Self.bins ? Self.bins - 1 : i)
    }

    static let lagMonths = MetricSpec(lo: 0, hi: 60, transform: .linear)
    static let log10Value = MetricSpec(lo: 0, hi: 33, transform: .linear)
    static let share = MetricSpec(lo: 0, hi: 1, transform: .linear)
    static let deltaMonths = MetricSpec(lo: -30, hi: 30, transform: .linear)
    static let smallMonths = MetricSpec(lo: -3, hi: 3, transform: .linear)
    static let dollars = MetricSpec(lo: -9, hi: 9, transform: .signedLog(scale: 1e6))
    static let percent = MetricSpec(lo: -4, hi: 6, transform: .signedLog(scale: 1))
}

/// Lever outputs per (lever scenario s >= 1, year, actor) and per (s, year) and per s.
public enum LeverActorMetric: Int, CaseIterable, Sendable {
    /// Months bought = lag(lever) - lag(baseline), same draw (sovereign lag).
    case monthsBought
    /// Same for the own-development lag.
    case monthsBoughtOwn
    public static let count = 2
}
public enum LeverYearMetric: Int, CaseIterable, Sendable {
    /// % change in China's effective deployable compute vs baseline.
    case cnComputeChangePct
    /// Months of US frontier progress lost (self-harm): -12 * d(log10 US effective compute) / (G_c + G_A).
    case usSelfHarmMonths
    public static let count = 2
}
public enum LeverMetric: Int, CaseIterable, Sendable {
    /// Vendor revenue forgone, net of revenue share, mean per year 2026-2030 (USD/yr).
    case vendorCostPerYear
    /// Minerals GDP loss vs baseline, mean per year over the projection (USD/yr).
    case mineralsCostPerYear
    public static let count = 2
}

/// Where each metric lives in the flat histogram table.
public struct MetricLayout: Sendable {
    public let scenarios: Int, years: Int
    public let actorBase: Int, scenarioBase: Int, leverActorBase: Int, leverYearBase: Int, leverBase: Int, count: Int
    public let specs: [MetricSpec]

    public init(scenarios: Int, years: Int) {
        self.scenarios = scenarios; self.years = years
        let a = Actor.count, levers = max(0, scenarios - 1)
        actorBase = 0
        scenarioBase = scenarios * years * a * ActorMetric.count
        leverActorBase = scenarioBase + scenarios * years * ScenarioMetric.count
        leverYearBase = leverActorBase + levers * years * a * LeverActorMetric.count
        leverBase = leverYearBase + levers * years * LeverYearMetric.count
        count = leverBase + levers * LeverMetric.count
        var specs = [MetricSpec](repeating: .lagMonths, count: count)
        for s in 0..<scenarios { for y in 0..<years {
            for ac in 0..<a { for m in ActorMetric.allCases {
                let i = actorBase + ((s * years + y) * a + ac) * ActorMetric.count + m.rawValue
                switch m {
                case .lag, .lagOwn: specs[i] = .lagMonths
                case .log10Compute, .log10LargestRun: specs[i] = .log10Value
                case .worldShare: specs[i] = .share
                }
            } }
            for m in ScenarioMetric.allCases {
                let i = scenarioBase + (s * years + y) * ScenarioMetric.count + m.rawValue
                switch m {
                case .cnDomestic, .cnImports, .cnSmuggled, .cnCloud, .usEffectiveLog: specs[i] = .log10Value
                case .openLag: specs[i] = .lagMonths
                case .vendorNetRevenue, .mineralsGDPLoss: specs[i] = .dollars
                }
            }
        } }
        for l in 0..<levers {
            for y in 0..<years {
                for ac in 0..<a { for m in LeverActorMetric.allCases { specs[leverActorBase + ((l * years + y) * a + ac) * LeverActorMetric.count + m.rawValue] = .deltaMonths } }
                specs[leverYearBase + (l * years + y) * LeverYearMetric.count + LeverYearMetric.cnComputeChangePct.rawValue] = .percent
                specs[leverYearBase + (l * years + y) * LeverYearMetric.count + LeverYearMetric.usSelfHarmMonths.rawValue] = .smallMonths
            }
            for m in LeverMetric.allCases { specs[leverBase + l * LeverMetric.count + m.rawValue] = .dollars }
        }
        self.specs = specs
    }

    public func actor(_ s: Int, _ y: Int, _ a: Actor, _ m: ActorMetric) -> Int { actorBase + ((s * years + y) * Actor.count + a.index) * ActorMetric.count + m.rawValue }
    public func scenario(_ s: Int, _ y: Int, _ m: ScenarioMetric) -> Int { scenarioBase + (s * years + y) * ScenarioMetric.count + m.rawValue }
    /// `s` is the scenario index (>= 1).
    public func lever(_ s: Int, _ y: Int, _ a: Actor, _ m: LeverActorMetric) -> Int { leverActorBase + (((s - 1) * years + y) * Actor.count + a.index) * LeverActorMetric.count + m.rawValue }
    public func lever(_ s: Int, _ y: Int, _ m: LeverYearMetric) -> Int { leverYearBase + ((s - 1) * years + y) * LeverYearMetric.count + m.rawValue }
    public func lever(_ s: Int, _ m: LeverMetric) -> Int { leverBase + (s - 1) * LeverMetric.count + m.rawValue }
}

/// Integer-count histograms for every metric; merging is exact, so results do not depend on how
/// draws were split across threads.
public struct HistogramTable: Sendable {
    public let layout: MetricLayout
    public private(set) var counts: [UInt32]
    public private(set) var total: Int = 0

    public init(layout: MetricLayout) {
        self.layout = layout
        counts = [UInt32](repeating: 0, count: layout.count * MetricSpec.bins)
    }

    /// Adds one draw's metric vector (length `layout.count`).
    public mutating func add(_ values: UnsafeBufferPointer<Double>) {
        total += 1
        let specs = layout.specs
        counts.withUnsafeMutableBufferPointer { c in
            for i in 0..<layout.count {
                c[i * MetricSpec.bins + specs[i].bin(values[i])] &+= 1
            }
        }
    }

    public mutating func merge(_ other: HistogramTable) {
        total += other.total
        for i in 0..<counts.count { counts[i] &+= other.counts[i] }
    }

    /// Quantile `p` of metric `index` (NaN when empty).
    public func quantile(_ index: Int, _ p: Double) -> Double {
        guard total > 0 else { return .nan }
        let spec = layout.specs[index]
        let base = index * MetricSpec.bins
        let target = p * Double(total)
        var cum = 0.0
        let width = (spec.hi - spec.lo) / Double(MetricSpec.bins)
        for b in 0..<MetricSpec.bins {
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

/// Spearman rank correlation (average ranks for ties).
public func spearman(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count)
    let n = x.count
    guard n > 2 else { return .nan }
    let rx = ranks(x), ry = ranks(y)
    let mx = rx.reduce(0, +) / Double(n), my = ry.reduce(0, +) / Double(n)
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in 0..<n {
        let dx = rx[i] - mx, dy = ry[i] - my
        sxy += dx * dy; sxx += dx * dx; syy += dy * dy
    }
    return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
}

func ranks(_ v: [Double]) -> [Double] {
    let order = v.indices.sorted { v[$0] < v[$1] || (v[$0] == v[$1] && $0 < $1) }
    var r = [Double](repeating: 0, count: v.count)
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
        let avg = Double(i + j) / 2 + 1
        for k in i...j { r[order[k]] = avg }
        i = j + 1
    }
    return r
}
