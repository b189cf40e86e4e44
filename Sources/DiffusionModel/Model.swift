import Foundation

/// Everything the simulator reads, as plain values (the input layer loads them from YAML/CSV).
public struct ModelInputs: Sendable {
    public var priors: PriorSet
    public var timeline: PolicyTimeline
    /// The baseline first, then the levers.
    public var scenarios: [Scenario]
    public var shares: ActorShares
    public var calibration: CalibrationTargets
    /// Cap numbers from the rule data; needed only when a scenario turns on `tier2_caps`.
    public var tierCaps: TierCapsInput?
    public var calendar: SimulationCalendar

    public init(priors: PriorSet, timeline: PolicyTimeline, scenarios: [Scenario], shares: ActorShares,
                calibration: CalibrationTargets, tierCaps: TierCapsInput?, calendar: SimulationCalendar = SimulationCalendar()) {
        self.priors = priors; self.timeline = timeline; self.scenarios = scenarios; self.shares = shares
        self.calibration = calibration; self.tierCaps = tierCaps; self.calendar = calendar
    }
}

public enum ModelError: Error, CustomStringConvertible, Sendable {
    case noBaseline
    case missingTierCaps(scenario: String)
    case duplicateScenario(String)
    public var description: String {
        switch self {
        case .noBaseline: "the first scenario must be the baseline (name: baseline)"
        case let .missingTierCaps(s): "scenario \(s) turns on tier2_caps but no rule data (country allocation, LPP) was provided"
        case let .duplicateScenario(s): "scenario \(s) is given twice"
        }
    }
}

/// Physical constant: dense BF16 peak of one H100 SXM, FLOP/s (NVIDIA datasheet; spec §1).
public let h100DenseBF16FLOPs = 9.89e14
/// Seconds per day.
let secondsPerDay = 86_400.0

/// Inputs resolved for fast simulation: per-scenario, per-quarter policy in flat arrays.
public struct CompiledModel: Sendable {
    public let inputs: ModelInputs
    public let sampler: PriorSampler
    public let calendar: SimulationCalendar
    public let scenarioNames: [String]
    /// policy[s][q]
    let policy: [[PolicyState]]
    /// Per-scenario Tier-2 cap (H100e/yr fixed part) and exempt share, by actor index.
    let capFixed: [[Double]]
    let capExempt: [[Double]]
    let initialShare: [Double]
    let additionsShare: [Double]
    let plannedShare: [Double]
    let checkIndexByStatistic: [CheckStatistic: Int]

    public init(_ inputs: ModelInputs) throws(ModelError) {
        guard let first = inputs.scenarios.first, first.isBaseline else { throw ModelError.noBaseline }
        var seen = Set<String>()
        for s in inputs.scenarios where !seen.insert(s.name).inserted { throw ModelError.duplicateScenario(s.name) }
        self.inputs = inputs
        self.calendar = inputs.calendar
        self.sampler = PriorSampler(inputs.priors)
        self.scenarioNames = inputs.scenarios.map(\.name)
        let hindcastEnd = Double(inputs.calendar.startYear) + Double(inputs.calendar.hindcastQuarters) * SimulationCalendar.dt
        var policy: [[PolicyState]] = []
        var capFixed: [[Double]] = [], capExempt: [[Double]] = []
        for s in inputs.scenarios {
            // Scenario events never rewrite the hindcast: they count from the projection start.
            let events = inputs.timeline.events + s.events.map { e -> PolicyEvent in
                var e = e
                if let y = e.decimalYear, y < hindcastEnd { e.date = "\(inputs.calendar.firstProjectionYear)-01-01" }
                return e
            }
            policy.append(PolicyState.perQuarter(events: events, calendar: inputs.calendar))
            var fixed = [Double](repeating: .infinity, count: Actor.count)
            var exempt = [Double](repeating: 0, count: Actor.count)
            if let structure = s.tier2_cap_structure {
                guard let caps = inputs.tierCaps else { throw ModelError.missingTierCaps(scenario: s.name) }
                for (code, cap) in structure.actors {
                    guard let a = Actor(rawValue: code) else { continue }
                    fixed[a.index] = cap.countries * caps.allocationH100ePerYear * cap.g2g_multiplier + cap.lpp_parents * caps.lppH100ePerYear
                    exempt[a.index] = cap.exempt_share
                }
            } else if s.events.contains(where: { $0.set.tier2_caps == true }) {
                throw ModelError.missingTierCaps(scenario: s.name)
            }
            capFixed.append(fixed); capExempt.append(exempt)
        }
        self.policy = policy
        self.capFixed = capFixed
        self.capExempt = capExempt
        initialShare = inputs.shares.vector(inputs.shares.initial_stock_share)
        additionsShare = inputs.shares.vector(inputs.shares.additions_share_2023_2025)
        plannedShare = inputs.shares.vector(inputs.shares.planned_share)
        var idx: [CheckStatistic: Int] = [:]
        for (i, c) in inputs.calibration.checks.enumerated() where idx[c.statistic] == nil { idx[c.statistic] = i }
        checkIndexByStatistic = idx
    }

    public var scenarioCount: Int { scenarioNames.count }
}

/// Per-(scenario, year, actor) output metrics.
public enum ActorMetric: Int, CaseIterable, Sendable {
    /// Capability lag (months): min of own development, open weights, stolen and hosted weights.
    case lag
    /// Own-development lag (months), eq. (6).
    case lagOwn
    /// Effective deployable compute E = S + R (H100e), end of year, log10.
    case log10Compute
    /// Share of world effective compute, end of year.
    case worldShare
    /// Largest feasible training run (FLOP), end of year, log10.
    case log10LargestRun
    public static let count = 5
    public static let list: [ActorMetric] = allCases
}

/// Per-(scenario, year) output metrics.
public enum ScenarioMetric: Int, CaseIterable, Sendable {
    case cnDomestic, cnImports, cnSmuggled, cnCloud   // H100e at end of year, by source
    case openLag                                       // months, annual mean
    case vendorNetRevenue                              // USD in the year (China + Tier-2 sales, net of revenue share)
    case usEffectiveLog                                // log10 US training compute + algorithmic deviation
    case mineralsGDPLoss                               // USD in the year
    public static let count = 8
    public static let list: [ScenarioMetric] = allCases
}
