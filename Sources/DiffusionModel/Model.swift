import Foundation

/// Endogenous responses that can be switched off to show their contribution (issue 8 item 4).
/// Responses act in the projection; the hindcast is the same with any switch.
///
/// ```swift
/// var inputs = try BundledSimulationInputs.modelInputs()
/// inputs.responses = ResponseSwitches(smugglingResponse: false)   // = --without-response smuggling
/// ```
public struct ResponseSwitches: Sendable, Equatable {
    /// China's domestic chip output grows faster while imports are blocked
    /// (`domestic_substitution_elasticity`).
    public var domesticSubstitution = true
    /// Smuggling grows with the volume China is denied (`smuggling_denied_elasticity_chi`) and
    /// routes adapt to enforcement (`smuggling_adaptation_per_yr`).
    public var smugglingResponse = true
    /// Chinese labs' efficiency target rises with the blocked share of their demand
    /// (`cn_efficiency_scarcity_response_oom`). Off: the projection keeps the 2024-2025 blocked share.
    public var efficiencyResponse = true
    public init(domesticSubstitution: Bool = true, smugglingResponse: Bool = true, efficiencyResponse: Bool = true) {
        self.domesticSubstitution = domesticSubstitution; self.smugglingResponse = smugglingResponse; self.efficiencyResponse = efficiencyResponse
    }
    /// Names accepted on the command line (`--without-response NAME`).
    public static let names = ["domestic-substitution", "smuggling", "efficiency"]
}

/// Everything the simulator reads, as plain values (the input layer loads them from YAML/CSV).
public struct ModelInputs: Sendable {
    public var priors: PriorSet
    public var timeline: PolicyTimeline
    /// The baseline first, then the levers.
    public var scenarios: [Scenario]
    public var shares: ActorShares
    public var calibration: CalibrationTargets
    public var domains: DomainSet
    /// Screened rule packs that scenarios may name in `rule_pack:` events.
    public var packs: [PackGrants]
    /// The rules actually enforced, screened the same way: a pack's legal flows are read relative to
    /// these, so a pack identical to the enforced rules changes nothing.
    public var referencePack: PackGrants?
    public var responses: ResponseSwitches
    public var calendar: SimulationCalendar

    public init(priors: PriorSet, timeline: PolicyTimeline, scenarios: [Scenario], shares: ActorShares,
                calibration: CalibrationTargets, domains: DomainSet, packs: [PackGrants] = [], referencePack: PackGrants? = nil,
                responses: ResponseSwitches = ResponseSwitches(), calendar: SimulationCalendar = SimulationCalendar()) {
        self.priors = priors; self.timeline = timeline; self.scenarios = scenarios; self.shares = shares
        self.calibration = calibration; self.domains = domains; self.packs = packs; self.referencePack = referencePack
        self.responses = responses; self.calendar = calendar
    }
}

public enum ModelError: Error, CustomStringConvertible, Sendable {
    case noBaseline
    case duplicateScenario(String)
    case unknownPack(scenario: String, pack: String)
    case missingReferencePack(scenario: String)
    public var description: String {
        switch self {
        case .noBaseline: "the first scenario must be the baseline (name: baseline)"
        case let .duplicateScenario(s): "scenario \(s) is given twice"
        case let .unknownPack(s, p): "scenario \(s) names rule pack \"\(p)\", which was not screened (give it with --lever-pack)"
        case let .missingReferencePack(s): "scenario \(s) uses a rule pack but the enforced rules were not screened as a reference"
        }
    }
}

/// Physical constant: dense BF16 peak of one H100 SXM, FLOP/s (NVIDIA datasheet; spec §1).
public let h100DenseBF16FLOPs = 9.89e14
/// Seconds per day.
let secondsPerDay = 86_400.0

/// Inputs resolved for fast simulation: per-scenario, per-quarter policy in flat arrays, the
/// sampler for every per-draw number (priors, Dirichlet weights, domain numbers, lever costs).
public struct CompiledModel: Sendable {
    public let inputs: ModelInputs
    public let sampler: PriorSampler
    public let calendar: SimulationCalendar
    public let scenarioNames: [String]
    public let scenarioKinds: [ScenarioKind]
    /// Training-compute domains (lags), `frontier-general` first.
    public let lagDomains: [CapabilityDomain]
    /// Every domain in output order: the lag domains, then the deployable-compute domain if any.
    public let domainIDs: [String]
    public let hasDeploymentDomain: Bool
    /// The policy in force, per scenario and quarter, as written (public read-outs, trace).
    let states: [[PolicyState]]
    /// The same, flattened into plain values for the engine: policy[s][q].
    let policy: [[QuarterPolicy]]
    let initialShare: [Double]
    let additionsShare: [Double]
    let plannedShare: [Double]
    /// Demand with every prior at its central value (H100e/yr, `[q * Actor.count + a]`): the level
    /// at which rule packs screen shipments; a draw's demand is read as a multiple of it.
    public private(set) var referenceDemand: [Double] = []

    public init(_ inputs: ModelInputs) throws(ModelError) {
        guard let first = inputs.scenarios.first, first.isBaseline else { throw ModelError.noBaseline }
        var seen = Set<String>()
        for s in inputs.scenarios where !seen.insert(s.name).inserted { throw ModelError.duplicateScenario(s.name) }
        self.inputs = inputs
        self.calendar = inputs.calendar
        self.lagDomains = inputs.domains.lagDomains
        self.hasDeploymentDomain = inputs.domains.domains.contains { $0.metric == .deployableCompute }
        self.domainIDs = lagDomains.map(\.id) + inputs.domains.domains.filter { $0.metric == .deployableCompute }.map(\.id)
        self.sampler = PriorSampler(inputs.priors, domains: lagDomains, scenarios: inputs.scenarios)
        self.scenarioNames = inputs.scenarios.map(\.name)
        self.scenarioKinds = inputs.scenarios.map(\.role)
        let hindcastEnd = Double(inputs.calendar.startYear) + Double(inputs.calendar.hindcastQuarters) * SimulationCalendar.dt
        var allStates: [[PolicyState]] = [], policy: [[QuarterPolicy]] = []
        let packIDs = inputs.packs.map(\.id)
        for s in inputs.scenarios {
            // Scenario events never rewrite the hindcast: they count from the projection start.
            let events = inputs.timeline.events + s.events.map { e -> PolicyEvent in
                var e = e
                if let y = e.decimalYear, y < hindcastEnd { e.date = "\(inputs.calendar.firstProjectionYear)-01-01" }
                return e
            }
            let states = PolicyState.perQuarter(events: events, calendar: inputs.calendar)
            var compiled: [QuarterPolicy] = []
            for st in states {
                var pack = -1
                if let id = st.rulePack {
                    guard let k = packIDs.firstIndex(of: id) else { throw ModelError.unknownPack(scenario: s.name, pack: id) }
                    guard inputs.referencePack != nil else { throw ModelError.missingReferencePack(scenario: s.name) }
                    pack = k
                }
                compiled.append(QuarterPolicy(st, pack: pack))
            }
            allStates.append(states)
            policy.append(compiled)
        }
        self.states = allStates
        self.policy = policy
        initialShare = inputs.shares.vector(inputs.shares.initial_stock_share)
        additionsShare = inputs.shares.vector(inputs.shares.additions_share_2023_2025)
        plannedShare = inputs.shares.vector(inputs.shares.planned_share)
        let sim = DrawSimulator(model: self)
        sim.params = sampler.central().values
        sim.setUp()
        var demand = [Double](repeating: 0, count: calendar.totalQuarters * Actor.count)
        for q in 0..<calendar.totalQuarters {
            let shares = q < calendar.hindcastQuarters ? sim.demandHist : sim.demandProj
            for a in 0..<Actor.count { demand[q * Actor.count + a] = sim.worldAdd[q] * shares[a] }
        }
        referenceDemand = demand
    }

    public var scenarioCount: Int { scenarioNames.count }
    public var domainCount: Int { domainIDs.count }

    /// The policy in force in quarter `q` of scenario `s` (tests, reports).
    public func policyState(scenario s: Int, quarter q: Int) -> PolicyState { states[s][q] }
    /// Index into `inputs.packs` of the rule pack governing quarter `q` of scenario `s`, -1 if none.
    public func packIndex(scenario s: Int, quarter q: Int) -> Int { policy[s][q].pack }
}

/// One quarter's policy as plain values (no arrays or strings), so the engine's quarter loop copies
/// it without reference counting. Built from ``PolicyState``.
struct QuarterPolicy {
    var cnChipRegime: ChinaChipRegime
    var cnRevenueShare: Double
    var beijingDiscourages: Bool
    var hbmControls: Bool
    var chipEnforcement: Bool
    var cloudKYC: Bool
    var labSecurity: LabSecurity
    var hostingMask: UInt8
    var publicationOpenness: Double
    var visaRestriction: Double
    var distillation: DistillationSource
    var usReleaseGap: Double
    var usPeriodicReleases: Bool
    var usReleaseGapMultiplier: Double
    var m0: MineralControl, m1: MineralControl, m2: MineralControl, m3: MineralControl
    /// Index into the model's packs, -1 when none governs.
    var pack: Int

    init(_ s: PolicyState, pack: Int) {
        cnChipRegime = s.cnChipRegime; cnRevenueShare = s.cnRevenueShare; beijingDiscourages = s.beijingDiscourages
        hbmControls = s.hbmControls; chipEnforcement = s.chipEnforcement; cloudKYC = s.cloudKYC; labSecurity = s.labSecurity
        var mask: UInt8 = 0
        for (a, allowed) in s.weightHosting.enumerated() where allowed { mask |= 1 << UInt8(a) }
        hostingMask = mask
        publicationOpenness = s.publicationOpenness; visaRestriction = s.visaRestriction; distillation = s.distillation
        usReleaseGap = s.usReleaseGap; usPeriodicReleases = s.usPeriodicReleases; usReleaseGapMultiplier = s.usReleaseGapMultiplier
        m0 = s.minerals[0]; m1 = s.minerals[1]; m2 = s.minerals[2]; m3 = s.minerals[3]
        self.pack = pack
    }

    @inline(__always) func hosts(_ a: Int) -> Bool { hostingMask & (1 << UInt8(a)) != 0 }
    @inline(__always) func mineral(_ k: Int) -> MineralControl { k == 0 ? m0 : (k == 1 ? m1 : (k == 2 ? m2 : m3)) }
}
