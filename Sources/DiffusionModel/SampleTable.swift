/// Every metric of every kept draw, stored exactly (the calibrated ensemble: the accepted draws,
/// a few hundred to a few thousand). Quantiles are exact order statistics with linear
/// interpolation (type 7), so a lever's paired differences keep their real size however small.
/// Rows are stored in draw order and chunks are appended in draw order, so the table (and every
/// quantile) is the same whatever the thread count.
public struct SampleTable: Sendable {
    public let layout: MetricLayout
    /// Row-major: `values[row * layout.count + metric]`.
    public private(set) var values: [Double] = []
    public private(set) var rows = 0

    public init(layout: MetricLayout) { self.layout = layout }

    /// Appends one draw's metric vector (length `layout.count`).
    public mutating func add(_ row: UnsafeBufferPointer<Double>) {
        values.append(contentsOf: row)
        rows += 1
    }

    /// Appends the rows of `other` (the next chunk of draws).
    public mutating func append(_ other: SampleTable) {
        values.append(contentsOf: other.values)
        rows += other.rows
    }

    /// Metric `index` in every row, NaN (undefined) values left out.
    public func column(_ index: Int) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(rows)
        var k = index
        for _ in 0..<rows {
            let x = values[k]
            if !x.isNaN { out.append(x) }
            k += layout.count
        }
        return out
    }

    /// Number of rows where metric `index` is defined.
    public func definedCount(_ index: Int) -> Int { column(index).count }

    /// Exact quantiles `ps` of metric `index` (NaN when no row defines it).
    public func quantiles(_ index: Int, _ ps: [Double]) -> [Double] {
        let sorted = column(index).sorted()
        return ps.map { sortedQuantile(sorted, $0) }
    }
}

/// Type-7 quantile of sorted values (linear interpolation between order statistics).
func sortedQuantile(_ v: [Double], _ p: Double) -> Double {
    guard !v.isEmpty else { return .nan }
    let h = p * Double(v.count - 1)
    let lo = Int(h.rounded(.down)), hi = min(lo + 1, v.count - 1)
    return v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
}

/// Type-7 quantile of unsorted values, NaN left out.
public func empiricalQuantile(_ values: [Double], _ p: Double) -> Double {
    sortedQuantile(values.filter { !$0.isNaN }.sorted(), p)
}
