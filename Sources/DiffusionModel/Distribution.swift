import Foundation

/// A prior distribution as written in the priors YAML. Exactly one shape key is present:
///
/// ```yaml
/// triangular: {min: 5, mode: 8, max: 14}
/// lognormal: {median: 4.5, p05: 3.5, p95: 5.5}   # σ = ln(p95/median)/1.645 (upper tail)
/// uniform: {min: 0, max: 1}
/// fixed: 0.25
/// ```
///
/// Sampling is by inverse CDF from one uniform number, so an input's rank in the draws equals
/// the rank of its uniform (used by the tornado's Spearman ranks).
public struct Dist: Codable, Sendable, Equatable {
    public struct Triangular: Codable, Sendable, Equatable { public var min: Double; public var mode: Double; public var max: Double }
    public struct Lognormal: Codable, Sendable, Equatable { public var median: Double; public var p05: Double; public var p95: Double }
    public struct Uniform: Codable, Sendable, Equatable { public var min: Double; public var max: Double }

    public var triangular: Triangular?
    public var lognormal: Lognormal?
    public var uniform: Uniform?
    public var fixed: Double?

    public init(triangular: Triangular? = nil, lognormal: Lognormal? = nil, uniform: Uniform? = nil, fixed: Double? = nil) {
        self.triangular = triangular; self.lognormal = lognormal; self.uniform = uniform; self.fixed = fixed
    }

    public static func tri(_ a: Double, _ m: Double, _ b: Double) -> Dist { Dist(triangular: .init(min: a, mode: m, max: b)) }
    public static func logn(median: Double, p05: Double, p95: Double) -> Dist { Dist(lognormal: .init(median: median, p05: p05, p95: p95)) }
    public static func constant(_ v: Double) -> Dist { Dist(fixed: v) }

    /// The value at cumulative probability `u` in (0, 1).
    public func quantile(_ u: Double) -> Double {
        if let t = triangular {
            let width = t.max - t.min
            guard width > 0 else { return t.min }
            let fc = (t.mode - t.min) / width
            if u < fc { return t.min + (u * width * (t.mode - t.min)).squareRoot() }
            return t.max - ((1 - u) * width * (t.max - t.mode)).squareRoot()
        }
        if let l = lognormal {
            // σ from the upper tail as the spec states; the lower quantile is documentation and is checked
            // only for ordering (the published p05 and p95 are rarely symmetric in log space).
            let sigma = Foundation.log(l.p95 / l.median) / 1.6448536269514722
            return l.median * Foundation.exp(sigma * inverseNormalCDF(u))
        }
        if let un = uniform { return un.min + u * (un.max - un.min) }
        return fixed ?? 0
    }

    /// Central value (mode, median, midpoint or the fixed value), used for the worked example.
    public var central: Double {
        if let t = triangular { return t.mode }
        if let l = lognormal { return l.median }
        if let u = uniform { return (u.min + u.max) / 2 }
        return fixed ?? 0
    }

    /// Short human form, e.g. `triangular(5, 8, 14)`.
    public var summary: String {
        func f(_ x: Double) -> String { formatNumber(x) }
        if let t = triangular { return "triangular(\(f(t.min)), \(f(t.mode)), \(f(t.max)))" }
        if let l = lognormal { return "lognormal(median \(f(l.median)), p05 \(f(l.p05)), p95 \(f(l.p95)))" }
        if let u = uniform { return "uniform(\(f(u.min)), \(f(u.max)))" }
        return "fixed(\(f(fixed ?? 0)))"
    }

    /// Checks: exactly one shape; ordering (min <= mode <= max, min < max, p05 < median < p95);
    /// no negative values unless `allowNegative`.
    public func validate(allowNegative: Bool = false) throws(ValidationIssue) {
        let shapes = [triangular != nil, lognormal != nil, uniform != nil, fixed != nil].filter { $0 }.count
        guard shapes == 1 else {
            throw ValidationIssue(path: [], message: shapes == 0
                ? "needs one distribution: triangular, lognormal, uniform or fixed"
                : "has more than one distribution; give exactly one")
        }
        func nonNegative(_ value: Double, _ path: [String]) throws(ValidationIssue) {
            guard value.isFinite else { throw ValidationIssue(path: path, message: "must be a finite number") }
            if !allowNegative && value < 0 {
                throw ValidationIssue(path: path, message: "must not be negative (got \(formatNumber(value)))")
            }
        }
        if let t = triangular {
            try nonNegative(t.min, ["triangular", "min"]); try nonNegative(t.mode, ["triangular", "mode"]); try nonNegative(t.max, ["triangular", "max"])
            guard t.min < t.max else { throw ValidationIssue(path: ["triangular", "min"], message: "min \(formatNumber(t.min)) must be below max \(formatNumber(t.max))") }
            guard t.min <= t.mode, t.mode <= t.max else { throw ValidationIssue(path: ["triangular", "mode"], message: "mode \(formatNumber(t.mode)) must lie between min and max") }
        }
        if let l = lognormal {
            try nonNegative(l.p05, ["lognormal", "p05"]); try nonNegative(l.median, ["lognormal", "median"]); try nonNegative(l.p95, ["lognormal", "p95"])
            guard l.median > 0 else { throw ValidationIssue(path: ["lognormal", "median"], message: "median must be positive") }
            guard l.p05 < l.median else { throw ValidationIssue(path: ["lognormal", "p05"], message: "p05 \(formatNumber(l.p05)) must be below the median \(formatNumber(l.median))") }
            guard l.median < l.p95 else { throw ValidationIssue(path: ["lognormal", "p95"], message: "p95 \(formatNumber(l.p95)) must be above the median \(formatNumber(l.median))") }
        }
        if let u = uniform {
            try nonNegative(u.min, ["uniform", "min"]); try nonNegative(u.max, ["uniform", "max"])
            guard u.min < u.max else { throw ValidationIssue(path: ["uniform", "min"], message: "min \(formatNumber(u.min)) must be below max \(formatNumber(u.max))") }
        }
        if let v = fixed { try nonNegative(v, ["fixed"]) }
    }
}

/// A semantic problem in an input value, with the key path below the value that was checked.
/// The input layer turns it into a file:line:key error (StrictYAML's `ValidationFailure`).
public struct ValidationIssue: Error, Sendable, Equatable {
    public var path: [String]
    public var message: String
    public init(path: [String], message: String) { self.path = path; self.message = message }
    public func nested(_ key: String) -> ValidationIssue { ValidationIssue(path: [key] + path, message: message) }
}

/// Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.15e-9).
public func inverseNormalCDF(_ p: Double) -> Double {
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let pLow = 0.02425
    if p < pLow {
        let q = (-2 * Foundation.log(p)).squareRoot()
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    if p > 1 - pLow {
        let q = (-2 * Foundation.log(1 - p)).squareRoot()
        return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    let q = p - 0.5, r = q * q
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
}

/// Compact, locale-independent number formatting used in messages and reports (up to 4 significant digits).
public func formatNumber(_ x: Double, significant: Int = 4) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == 0 { return "0" }
    let magnitude = abs(x)
    if magnitude >= 1e6 || magnitude < 1e-3 {
        return String(format: "%.\(max(0, significant - 1))e", x)
    }
    var s = String(format: "%.\(significant)g", x)
    if s.contains("e") { s = String(format: "%.\(max(0, significant - 1))f", x) }
    return s
}
