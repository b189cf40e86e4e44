import Foundation

/// What a capability domain measures.
public enum DomainMetric: String, Codable, Sendable {
    /// Months behind the US frontier in the domain (spec eq. 6-7 on the domain's compute scale).
    case lagMonths = "lag_months"
    /// Deployable AI compute (H100e, stock plus rentable cloud); levers are read as months of delay
    /// in reaching the baseline's level.
    case deployableCompute = "deployable_compute"
}

/// One capability domain, as data (`domains.yaml`): which compute scale matters and which
/// diffusion channels move it, each number with its source and grade.
///
/// ```yaml
/// - id: bio-design
///   title: Biological design tools
///   metric: lag_months
///   compute_scale: "..."
///   frontier_offset_oom: {triangular: {min: 2.0, mode: 2.5, max: 3.2}, unit: OOM, source: "...", grade: derived}
///   publications: {fixed: 1.5, unit: multiplier, source: "...", grade: ASSUMPTION}
///   distillation: {fixed: 0.5, ...}
///   open_weights: {fixed: 1, ...}
///   open_release_gap_factor: {fixed: 0.5, ...}
///   replication_floor_months: {triangular: {min: 1, mode: 3, max: 6}, ...}
/// ```
///
/// For a `lag_months` domain the engine solves eq. 6 on the frontier path shifted down by
/// `frontier_offset_oom` (the domain's frontier model needs that much less training compute), with
/// each actor's compute capped at the domain frontier (more compute does not help beyond it). The
/// channel multipliers scale the publication, distillation and open-weight terms of the catch-up
/// index tau and the distillation level boost. Own development (and a releaser's open weights)
/// can be no closer than `replication_floor_months / P` (P = publication openness).
public struct CapabilityDomain: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var metric: DomainMetric
    /// Plain words: the compute scale that matters, and why (shown in reports).
    public var compute_scale: String
    /// Levers expected to matter, in plain words (documentation).
    public var channels_note: String
    public var frontier_offset_oom: Prior?
    public var publications: Prior?
    public var distillation: Prior?
    public var open_weights: Prior?
    public var open_release_gap_factor: Prior?
    public var replication_floor_months: Prior?

    /// The domain's priors in engine order (``DomainParameter``); nil entries for `deployable_compute`.
    public var parameterPriors: [Prior?] {
        [frontier_offset_oom, publications, distillation, open_weights, open_release_gap_factor, replication_floor_months]
    }

    public func validate() throws(ValidationIssue) {
        if id.isEmpty || id.contains(where: { !($0.isLetter || $0.isNumber || $0 == "-") }) {
            throw ValidationIssue(path: ["id"], message: "id must be letters, digits or '-'")
        }
        let names = DomainParameter.allCases.map(\.rawValue)
        for (name, prior) in zip(names, parameterPriors) {
            switch (metric, prior) {
            case (.lagMonths, nil):
                throw ValidationIssue(path: [name], message: "a lag_months domain needs \(name)")
            case (.deployableCompute, .some):
                throw ValidationIssue(path: [name], message: "a deployable_compute domain takes no \(name)")
            case let (_, .some(p)):
                do { try p.validate() } catch { throw error.nested(name) }
            default: break
            }
        }
    }
}

/// The per-domain numbers each draw samples, in this order.
public enum DomainParameter: String, CaseIterable, Sendable {
    case frontierOffset = "frontier_offset_oom"
    case publications
    case distillation
    case openWeights = "open_weights"
    case releaseGapFactor = "open_release_gap_factor"
    case replicationFloor = "replication_floor_months"
    public static let count = 6
}

/// The domains file: at least `frontier-general` (first) and the domains the issue names.
public struct DomainSet: Codable, Sendable, Equatable {
    public var title: String
    public var domains: [CapabilityDomain]

    public init(title: String, domains: [CapabilityDomain]) { self.title = title; self.domains = domains }

    /// Training-compute domains (lags), in file order; the first is `frontier-general`.
    public var lagDomains: [CapabilityDomain] { domains.filter { $0.metric == .lagMonths } }

    public func validate() throws(ValidationIssue) {
        for (i, d) in domains.enumerated() {
            do { try d.validate() } catch { throw error.nested("[\(i)]").nested("domains") }
        }
        guard domains.first?.id == "frontier-general", domains.first?.metric == .lagMonths else {
            throw ValidationIssue(path: ["domains", "[0]", "id"], message: "the first domain must be frontier-general (metric lag_months)")
        }
        var seen = Set<String>()
        for (i, d) in domains.enumerated() where !seen.insert(d.id).inserted {
            throw ValidationIssue(path: ["domains", "[\(i)]", "id"], message: "domain \(d.id) is given twice")
        }
        if domains.filter({ $0.metric == .deployableCompute }).count > 1 {
            throw ValidationIssue(path: ["domains"], message: "at most one deployable_compute domain")
        }
        if lagDomains.count > DomainSet.maximumLagDomains {
            throw ValidationIssue(path: ["domains"], message: "at most \(DomainSet.maximumLagDomains) lag_months domains")
        }
    }
    public static let maximumLagDomains = 6
}
