import SeededRandom
import Foundation

/// The sampled values of one Monte Carlo draw: one value per ``PriorKey`` plus the three
/// diffusion weights (w_pub, w_dist, w_open) of the Dirichlet prior.
public struct DrawParameters: Sendable, Equatable {
    public var values: [Double]
    public var tauWeights: (pub: Double, dist: Double, open: Double) { (values[PriorKey.count], values[PriorKey.count + 1], values[PriorKey.count + 2]) }
    public subscript(key: PriorKey) -> Double {
        get { values[key.index] }
        set { values[key.index] = newValue }
    }
    public static func == (a: DrawParameters, b: DrawParameters) -> Bool { a.values == b.values }

    /// Names of every entry of `values`, in order (priors, then the three weights). Used by the tornado.
    public static let names: [String] = PriorKey.allCases.map(\.rawValue) + ["tau_weight_publications", "tau_weight_distillation", "tau_weight_open_weights"]
    public static let count = PriorKey.count + 3
}

/// Turns the prior set into a fast sampler (distributions resolved once).
public struct PriorSampler: Sendable {
    let dists: [Dist]
    let alpha: [Double]
    public let priorSet: PriorSet

    public init(_ set: PriorSet) {
        priorSet = set
        dists = PriorKey.allCases.map { set.priors[$0.rawValue]?.dist ?? .constant(0) }
        alpha = set.priors[PriorKey.tauWeights.rawValue]?.dirichlet?.alpha ?? [2, 2, 2]
    }

    /// Samples every prior by inverse CDF, one uniform each in `PriorKey` order, then the Dirichlet
    /// weights from a generator derived from the same stream (so the number of uniforms used by the
    /// rest of the draw never depends on parameter values).
    public func sample(_ rng: inout Xoshiro256StarStar, into values: inout [Double]) {
        if values.count != DrawParameters.count { values = [Double](repeating: 0, count: DrawParameters.count) }
        for i in 0..<dists.count { values[i] = dists[i].quantile(rng.uniform()) }
        var sub = Xoshiro256StarStar(seed: rng.next())
        var g = [0.0, 0.0, 0.0]
        for i in 0..<3 { g[i] = gammaSample(alpha: alpha[i], &sub) }
        let total = g[0] + g[1] + g[2]
        for i in 0..<3 { values[PriorKey.count + i] = g[i] / total }
        // The tau entry in the prior vector carries no value of its own.
        values[PriorKey.tauWeights.index] = 0
    }

    /// Central values (mode / median / fixed; Dirichlet mean) for the worked example.
    public func central() -> DrawParameters {
        var v = dists.map(\.central)
        let total = alpha.reduce(0, +)
        v += alpha.map { $0 / total }
        v[PriorKey.tauWeights.index] = 0
        return DrawParameters(values: v)
    }
}

/// Gamma(alpha, 1) by Marsaglia & Tsang (2000), with the alpha < 1 boost.
func gammaSample(alpha: Double, _ rng: inout Xoshiro256StarStar) -> Double {
    if alpha < 1 {
        let u = rng.uniform()
        return gammaSample(alpha: alpha + 1, &rng) * Foundation.pow(u, 1 / alpha)
    }
    let d = alpha - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
    while true {
        let x = inverseNormalCDF(rng.uniform())
        let v0 = 1 + c * x
        if v0 <= 0 { continue }
        let v = v0 * v0 * v0
        let u = rng.uniform()
        if Foundation.log(u) < 0.5 * x * x + d - d * v + d * Foundation.log(v) { return d * v }
    }
}
