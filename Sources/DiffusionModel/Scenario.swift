import Foundation

/// One scenario file: the baseline or one lever. Its events are applied on top of the historical
/// timeline; levers start in the projection (2026 onward) so every scenario shares the hindcast.
///
/// ```yaml
/// name: enforcement
/// title: Chip enforcement (registry, location verification)
/// meaning: >
///   What the lever means for an analyst...
/// events:
///   - date: 2026-01-01
///     title: Chip registry and location verification in force
///     source: "spec §3.5"
///     confidence: ASSUMPTION
///     set: {chip_enforcement: true}
/// ```
public struct Scenario: Codable, Sendable, Equatable {
    /// Short id used in outputs and on the command line (`baseline`, `tier2-caps`, ...).
    public var name: String
    public var title: String
    /// What the lever means, in plain words (shown in the README and the HTML report).
    public var meaning: String
    public var events: [PolicyEvent]
    /// Only for scenarios that turn on `tier2_caps`: how the caps apply to each Tier-2 actor.
    public var tier2_cap_structure: Tier2CapStructure?

    public init(name: String, title: String, meaning: String, events: [PolicyEvent], tier2_cap_structure: Tier2CapStructure? = nil) {
        self.name = name; self.title = title; self.meaning = meaning; self.events = events; self.tier2_cap_structure = tier2_cap_structure
    }

    public var isBaseline: Bool { name == "baseline" }

    public func validate() throws(ValidationIssue) {
        if name.isEmpty || name.contains(where: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            throw ValidationIssue(path: ["name"], message: "name must be letters, digits, '-' or '_'")
        }
        for (i, e) in events.enumerated() {
            do { try e.validate() } catch { throw error.nested("[\(i)]").nested("events") }
        }
        let turnsOnCaps = events.contains { $0.set.tier2_caps == true }
        if turnsOnCaps && tier2_cap_structure == nil {
            throw ValidationIssue(path: ["events"], message: "tier2_caps: true needs a tier2_cap_structure section")
        }
        if let s = tier2_cap_structure {
            do { try s.validate() } catch { throw error.nested("tier2_cap_structure") }
        }
    }
}

/// The numbers of the AI Diffusion Rule's Tier-2 caps, filled at the CLI edge from the rule data
/// (the `ai-diffusion-2025` layer), never copied into the simulator.
public struct TierCapsInput: Sendable, Equatable {
    /// Country allocation in TPP (790,000,000 in the 2025 rule) over `allocationPeriodYears`.
    public var countryAllocationTPP: Double
    /// Years the allocation covers (2025-2027 = 3).
    public var allocationPeriodYears: Double
    /// License Exception LPP: TPP per ultimate parent per calendar year (26,900,000).
    public var lppTPPPerParentYear: Double
    /// TPP of one H100 (15,832).
    public var h100EquivalentTPP: Double
    /// Where the numbers came from (rule layer id and citation), shown in outputs.
    public var provenance: String

    public init(countryAllocationTPP: Double, allocationPeriodYears: Double, lppTPPPerParentYear: Double, h100EquivalentTPP: Double, provenance: String) {
        self.countryAllocationTPP = countryAllocationTPP; self.allocationPeriodYears = allocationPeriodYears
        self.lppTPPPerParentYear = lppTPPPerParentYear; self.h100EquivalentTPP = h100EquivalentTPP; self.provenance = provenance
    }

    /// Country allocation per year in H100e.
    public var allocationH100ePerYear: Double { countryAllocationTPP / allocationPeriodYears / h100EquivalentTPP }
    /// LPP per parent per year in H100e.
    public var lppH100ePerYear: Double { lppTPPPerParentYear / h100EquivalentTPP }
}

/// How the Tier-2 caps bind on each Tier-2 actor (all ASSUMPTION-graded structure; the cap numbers
/// themselves come from ``TierCapsInput``).
public struct Tier2CapStructure: Codable, Sendable, Equatable {
    public var source: String
    public var actors: [String: ActorCap]

    public struct ActorCap: Codable, Sendable, Equatable {
        /// Countries of this actor whose allocation binds.
        public var countries: Double
        /// Multiplier for a government-to-government agreement (2 doubles the allocation).
        public var g2g_multiplier: Double
        /// Ultimate parents buying under LPP each year.
        public var lpp_parents: Double
        /// Share of the actor's demand served by Universal VEUs (US hyperscalers), outside the caps.
        public var exempt_share: Double
    }

    func validate() throws(ValidationIssue) {
        for (name, cap) in actors.sorted(by: { $0.key < $1.key }) {
            guard let actor = Actor(rawValue: name), [.gulf, .india, .row].contains(actor) else {
                throw ValidationIssue(path: ["actors", name], message: "Tier-2 caps apply to GULF, IN or ROW, not \"\(name)\"")
            }
            for (key, v) in [("countries", cap.countries), ("g2g_multiplier", cap.g2g_multiplier), ("lpp_parents", cap.lpp_parents)] where v < 0 {
                throw ValidationIssue(path: ["actors", name, key], message: "must not be negative (got \(formatNumber(v)))")
            }
            if !(cap.exempt_share >= 0 && cap.exempt_share <= 1) {
                throw ValidationIssue(path: ["actors", name, "exempt_share"], message: "must be between 0 and 1")
            }
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

    func vector(_ d: [String: Double]) -> [Double] { Actor.allCases.map { d[$0.rawValue] ?? 0 } }
}
