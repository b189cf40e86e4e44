import Foundation

/// What a scenario is, for the where-to-slow ranking: only `lever`s (US measures that slow
/// diffusion) are ranked; `loosening` levers and China's `counter_measure`s are reported beside them.
public enum ScenarioKind: String, Codable, Sendable {
    case baseline, lever, loosening
    case counterMeasure = "counter_measure"
}

/// One scenario file: the baseline or one lever. Its events are applied on top of the historical
/// timeline; levers start in the projection (2026 onward) so every scenario shares the hindcast.
///
/// ```yaml
/// name: enforcement
/// title: Chip enforcement (registry, location verification)
/// kind: lever
/// meaning: >
///   What the lever means for an analyst...
/// direct_cost_usd_per_yr:
///   triangular: {min: 100000000, mode: 500000000, max: 2000000000}
///   unit: USD/yr
///   source: "..."
///   grade: ASSUMPTION
/// events:
///   - date: 2026-01-01
///     title: Chip registry and location verification in force
///     source: "spec §3.5"
///     confidence: ASSUMPTION
///     set: {chip_enforcement: true}
/// ```
///
/// A lever's cost per year is the vendor revenue it forgoes, China's minerals GDP loss it causes,
/// and `direct_cost_usd_per_yr` (programme and compliance cost; a prior, sampled per draw).
public struct Scenario: Codable, Sendable, Equatable {
    /// Short id used in outputs and on the command line (`baseline`, `enforcement`, ...).
    public var name: String
    public var title: String
    /// `baseline`, `lever` (ranked), `loosening` or `counter_measure`; omitted means `lever` (the
    /// baseline is always `baseline`), so first-version scenario files need no change for it.
    public var kind: ScenarioKind?
    /// What the lever means, in plain words (shown in the docs and the HTML report).
    public var meaning: String
    public var direct_cost_usd_per_yr: Prior?
    public var events: [PolicyEvent]

    public init(name: String, title: String, kind: ScenarioKind, meaning: String, direct_cost_usd_per_yr: Prior? = nil, events: [PolicyEvent]) {
        self.name = name; self.title = title; self.kind = kind; self.meaning = meaning
        self.direct_cost_usd_per_yr = direct_cost_usd_per_yr; self.events = events
    }

    public var isBaseline: Bool { name == "baseline" }
    /// The kind in effect.
    public var role: ScenarioKind { kind ?? (isBaseline ? .baseline : .lever) }

    public func validate() throws(ValidationIssue) {
        if name.isEmpty || name.contains(where: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            throw ValidationIssue(path: ["name"], message: "name must be letters, digits, '-' or '_'")
        }
        if (name == "baseline") != (role == .baseline) {
            throw ValidationIssue(path: ["kind"], message: "only the scenario named baseline has kind baseline")
        }
        for (i, e) in events.enumerated() {
            do { try e.validate() } catch { throw error.nested("[\(i)]").nested("events") }
        }
        if let c = direct_cost_usd_per_yr {
            do { try c.validate() } catch { throw error.nested("direct_cost_usd_per_yr") }
        }
    }
}

/// Initial compute shares and demand shares by actor, derived from Epoch's GPU clusters data
/// (see `SimulationInputs.ClusterSummary`).
public struct ActorShares: Codable, Sendable, Equatable {
    /// Share of installed H100e at the start (2023-01-01), by actor code.
    public var initial_stock_share: [String: Double]
    /// Share of H100e that became operational 2023-2025, by actor code (demand for 2023-2025).
    public var additions_share_2023_2025: [String: Double]
    /// Share of H100e in planned clusters, by actor code (pipeline demand for 2026+).
    public var planned_share: [String: Double]

    public init(initial_stock_share: [String: Double], additions_share_2023_2025: [String: Double], planned_share: [String: Double]) {
        self.initial_stock_share = initial_stock_share
        self.additions_share_2023_2025 = additions_share_2023_2025
        self.planned_share = planned_share
    }

    public func vector(_ d: [String: Double]) -> [Double] { Actor.allCases.map { d[$0.rawValue] ?? 0 } }
}
