import SeededRandom
import Foundation

/// Where each per-draw number sits in a draw's value vector: every ``PriorKey``, the three
/// diffusion weights (w_pub, w_dist, w_open) of the Dirichlet prior, each lag domain's
/// ``DomainParameter``s, then each scenario's direct cost (USD/yr; 0 without a prior).
public struct ParameterLayout: Sendable, Equatable {
    public let domains: Int, scenarios: Int
    public var tauBase: Int { PriorKey.count }
    public var domainBase: Int { PriorKey.count + 3 }
    public var costBase: Int { domainBase + domains * DomainParameter.count }
    public var count: Int { costBase + scenarios }
    @inline(__always) public func domain(_ d: Int, _ p: DomainParameter) -> Int {
        domainBase + d * DomainParameter.count + DomainParameter.allCases.firstIndex(of: p)!
    }
    @inline(__always) public func cost(_ s: Int) -> Int { costBase + s }
}

/// Turns the prior set, the domains' priors and the levers' cost priors into a fast sampler
/// (distributions resolved once).
public struct PriorSampler: Sendable {
    let dists: [Dist]
    let alpha: [Double]
    /// Domain priors then lever-cost priors, in value-vector order (after the Dirichlet weights).
    let extra: [Dist]
    public let priorSet: PriorSet
    public let layout: ParameterLayout
    /// Name of every entry of a draw's value vector.
    public let names: [String]
    /// Whether each entry is graded ASSUMPTION (the tornado marks them).
    public let assumption: [Bool]

    public init(_ set: PriorSet, domains: [CapabilityDomain] = [], scenarios: [Scenario] = []) {
        priorSet = set
        dists = PriorKey.allCases.map { set.priors[$0.rawValue]?.dist ?? .constant(0) }
        alpha = set.priors[PriorKey.tauWeights.rawValue]?.dirichlet?.alpha ?? [1, 1, 1]
        layout = ParameterLayout(domains: domains.count, scenarios: scenarios.count)
        var extra: [Dist] = [], names = PriorKey.allCases.map(\.rawValue) + ["tau_weight_publications", "tau_weight_distillation", "tau_weight_open_weights"]
        var assumption = PriorKey.allCases.map { set.priors[$0.rawValue]?.isAssumption ?? false } + [true, true, true]
        for d in domains {
            for (p, prior) in zip(DomainParameter.allCases, d.parameterPriors) {
                extra.append(prior?.dist ?? .constant(0)); names.append("domain:\(d.id):\(p.rawValue)")
                assumption.append(prior?.isAssumption ?? false)
            }
        }
        for s in scenarios {
            extra.append(s.direct_cost_usd_per_yr?.dist ?? .constant(0)); names.append("direct_cost:\(s.name)")
            assumption.append(s.direct_cost_usd_per_yr?.isAssumption ?? false)
        }
        self.extra = extra; self.names = names; self.assumption = assumption
    }

    /// Samples every prior by inverse CDF, one uniform each in `PriorKey` order, then the Dirichlet
    /// weights and the domain and lever-cost numbers from generators derived from the same stream
    /// (so the number of uniforms the rest of the draw uses never depends on parameter values or on
    /// how many levers run).
    public func sample(_ rng: inout Xoshiro256StarStar, into values: inout [Double]) {
        if values.count != layout.count { values = [Double](repeating: 0, count: layout.count) }
        for i in 0..<dists.count { values[i] = dists[i].quantile(rng.uniform()) }
        var sub = Xoshiro256StarStar(seed: rng.next())
        var g = [0.0, 0.0, 0.0]
        for i in 0..<3 { g[i] = gammaSample(alpha: alpha[i], &sub) }
        let total = g[0] + g[1] + g[2]
        for i in 0..<3 { values[layout.tauBase + i] = g[i] / total }
        // The tau entry in the prior vector carries no value of its own.
        values[PriorKey.tauWeights.index] = 0
        var more = Xoshiro256StarStar(seed: rng.next())
        for i in 0..<extra.count { values[layout.domainBase + i] = extra[i].quantile(more.uniform()) }
    }

    /// Central values (mode / median / fixed; Dirichlet mean) for the worked example and the
    /// reference demand at which rule packs are screened.
    public func central() -> DrawParameters {
        var v = dists.map(\.central)
        let total = alpha.reduce(0, +)
        v += alpha.map { $0 / total }
        v[PriorKey.tauWeights.index] = 0
        v += extra.map(\.central)
        return DrawParameters(values: v)
    }
}

/// The sampled values of one Monte Carlo draw (see ``ParameterLayout``).
public struct DrawParameters: Sendable, Equatable {
    public var values: [Double]
    public subscript(key: PriorKey) -> Double {
        get { values[key.index] }
        set { values[key.index] = newValue }
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
