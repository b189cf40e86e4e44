import DiffusionModel
import SimulationInputs
import Testing

@Suite struct ModelStructureTests {
    @Test func priorIndicesFollowDeclarationOrder() throws {
        for (i, k) in PriorKey.allCases.enumerated() { #expect(k.index == i, "\(k.rawValue)") }
        #expect(PriorKey.allCases.count == PriorKey.count)
        let model = try testModel(scenarioNames: ["baseline", "enforcement"])
        #expect(model.sampler.names.count == model.sampler.layout.count)
    }

    @Test func everyNumberWithoutAPublishedValueIsFlaggedAsAnAssumption() throws {
        let priors = try BundledSimulationInputs.priors()
        for name in ["cn_efficiency_initial_oom", "cn_efficiency_scarcity_response_oom", "domestic_substitution_elasticity",
                     "smuggling_denied_elasticity_chi", "smuggling_adaptation_per_yr", "open_proximity_scale_months",
                     "distillation_answers_share", "tau_weights_pub_dist_open", "absorptive_capacity_gulf"] {
            #expect(priors.priors[name]?.isAssumption == true, "\(name)")
        }
        for p in priors.priors.values { #expect(!p.source.isEmpty) }
        for d in try BundledSimulationInputs.domains().domains {
            for prior in d.parameterPriors.compactMap({ $0 }) { #expect(!prior.source.isEmpty && !prior.grade.isEmpty, "\(d.id)") }
        }
    }

    /// Issue 8 item 3: at least these four domains, as data.
    @Test func theFourDomainsAreData() throws {
        let ids = try BundledSimulationInputs.domains().domains.map(\.id)
        for id in ["frontier-general", "bio-design", "cyber", "deployment-scale"] { #expect(ids.contains(id), "\(id)") }
        let model = try testModel(scenarioNames: ["baseline"])
        #expect(model.domainIDs == ["frontier-general", "bio-design", "cyber", "deployment-scale"])
    }

    /// Issue 8 item 9: China's counter-measures are dated history with their suspensions
    /// (regulation-facts §7), and the minerals lever acts on that history.
    @Test func mineralControlsFollowTheRecord() throws {
        let model = try testModel(scenarioNames: ["baseline", "minerals-ban"])
        let lever = model.scenarioNames.firstIndex(of: "minerals-ban")!
        func state(_ s: Int, _ year: Int, _ quarter: Int) -> PolicyState { model.policyState(scenario: s, quarter: (year - 2023) * 4 + quarter - 1) }
        let ga = Mineral.galliumGermanium.index, sb = Mineral.antimony.index, gr = Mineral.graphite.index, re = Mineral.rareEarths.index
        #expect(state(0, 2023, 2).minerals[ga] == MineralControl.none)
        #expect(state(0, 2023, 3).minerals[ga] == .licensing)          // Aug 2023
        #expect(state(0, 2024, 1).minerals[gr] == .licensing)          // Dec 2023
        #expect(state(0, 2024, 4).minerals[sb] == .licensing)          // Sep 2024
        #expect(state(0, 2025, 1).minerals[sb] == .usBan)              // the US ban of 3 Dec 2024 (from the quarter after)
        #expect(state(0, 2025, 1).minerals[ga] == .usBan)
        #expect(state(0, 2025, 2).minerals[re] == .licensing)          // Apr 2025
        #expect(state(0, 2025, 4).minerals[re] == .licensing)          // Oct 2025 package suspended 7 Nov
        #expect(state(0, 2025, 4).minerals[ga] == .licensing)          // US ban suspended 9 Nov
        #expect(state(0, 2027, 1).minerals[ga] == .licensing)          // baseline: suspensions extended
        #expect(state(lever, 2027, 1).minerals[ga] == .usBan)          // lever: they lapse (27 Nov 2026)
        #expect(state(lever, 2027, 1).minerals[re] == .extraterritorial)
    }

    /// The hindcast follows the record: no known theft of frontier weights in 2023-2025, so the
    /// theft rate cannot move hindcast lags; in the projection a theft sets China's lag to the stolen
    /// model's age.
    @Test func weightTheftOnlyInTheProjection() throws {
        let model = try testModel(scenarioNames: ["baseline"])
        let sim = DrawSimulator(model: model)
        let hindcastYears = model.calendar.hindcastQuarters / 4
        var projectionDips = 0
        for draw in 0..<40 {
            sim.run(draw: draw, seed: 11)
            var params = sim.outcome.parameters
            params[PriorKey.theftRate.index] = 0
            sim.run(parameters: params)
            let none = sim.outcome
            params[PriorKey.theftRate.index] = 400   // a theft every quarter
            sim.run(parameters: params)
            let always = sim.outcome
            for y in 0..<hindcastYears { #expect(always.lag(0, y, .cn) == none.lag(0, y, .cn), "draw \(draw) year \(y)") }
            let last = model.calendar.years - 1
            #expect(always.lag(0, last, .cn) <= none.lag(0, last, .cn))
            if always.lag(0, last, .cn) < none.lag(0, last, .cn) - 0.5 { projectionDips += 1 }
        }
        #expect(projectionDips > 10)
    }

    /// A US open release ages one month per month until the next release (Llama 3.1-405B, July
    /// 2024, to Llama 4, April 2025): read from a trace of the central draw.
    @Test func aUSOpenReleaseAgesOneMonthPerMonth() throws {
        let model = try testModel(scenarioNames: ["baseline"])
        let sim = DrawSimulator(model: model)
        sim.traceEnabled = true
        sim.run(parameters: model.sampler.central().values, theftUniforms: [Double](repeating: 1, count: model.calendar.totalQuarters))
        let i = traceNames(lagDomains: model.lagDomains.count).firstIndex(of: "d0_release_US")!
        let rows = sim.trace.filter { $0[0] == 0 }
        // Quarters 2024-Q4 .. 2025-Q1: no US release, so +3 months each.
        #expect(abs(rows[8][i] - rows[7][i] - 3) < 1e-9)
        #expect(rows[6][i] < rows[5][i])   // 2024-Q3: Llama 3.1-405B shortens it
    }

    /// Switching a response off shows its contribution: with domestic substitution off, a full ban
    /// leaves China with less domestic compute by 2030 than with it on.
    @Test func switchingAResponseOffChangesTheLeverEffect() throws {
        let on = try testModel(scenarioNames: ["baseline", "full-ban"])
        let off = try testModel(scenarioNames: ["baseline", "full-ban"], responses: ResponseSwitches(domesticSubstitution: false))
        let a = DrawSimulator(model: on), b = DrawSimulator(model: off)
        let y = on.calendar.yearIndex(2030)!
        var larger = 0
        for draw in 0..<30 {
            a.run(draw: draw, seed: 3); b.run(draw: draw, seed: 3)
            #expect(a.outcome.value(0, 2, .cnDomestic) == b.outcome.value(0, 2, .cnDomestic), "the hindcast is untouched")
            if a.outcome.value(1, y, .cnDomestic) > b.outcome.value(1, y, .cnDomestic) * 1.001 { larger += 1 }
        }
        #expect(larger > 20)
    }
}
