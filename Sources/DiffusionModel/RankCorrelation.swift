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
