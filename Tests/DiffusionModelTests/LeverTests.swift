import DiffusionModel
import Foundation
import RulePackLevers
import Simulation
import SimulationInputs
import Testing

/// Lever effects are paired per-draw differences (common random numbers).
@Suite struct LeverTests {
    /// With the endogenous responses off, a stronger control never shortens China's lag (own
    /// development or capability, any lag domain) and removing the controls never lengthens it.
    @Test func strongerControlsNeverShortenChinasLagWithResponsesOff() throws {
        let off = ResponseSwitches(domesticSubstitution: false, smugglingResponse: false, efficiencyResponse: false)
        let model = try testModel(scenarioNames: ["baseline", "enforcement", "no-controls", "full-ban", "cloud-kyc", "weights-security"], responses: off)
        let idx = { (n: String) in model.scenarioNames.firstIndex(of: n)! }
        let sim = DrawSimulator(model: model)
        var strictlyLonger = 0
        for draw in 0..<150 {
            sim.run(draw: draw, seed: 99)
            let o = sim.outcome
            for year in 0..<model.calendar.years {
                for d in 0..<model.lagDomains.count {
                    let base = o.lag(0, year, .cn, domain: d)
                    for stronger in ["enforcement", "full-ban", "cloud-kyc", "weights-security"] {
                        #expect(o.lag(idx(stronger), year, .cn, domain: d) >= base - 1e-9, "draw \(draw) \(stronger) year \(year) domain \(d)")
                    }
                    #expect(o.lag(idx("no-controls"), year, .cn, domain: d) <= base + 1e-9, "draw \(draw) no-controls year \(year)")
                }
                if o.value(idx("full-ban"), year, .cn, .lagOwn) > o.value(0, year, .cn, .lagOwn) + 1e-6 { strictlyLonger += 1 }
            }
        }
        #expect(strictlyLonger > 150, "the property is not vacuous: the ban lengthens China's own-development lag")
    }

    /// The calibrated ensemble's months bought are the exact order statistics of the per-draw paired
    /// differences, recomputed here by simulating each accepted draw again.
    @Test func monthsBoughtAreExactQuantilesOfPairedDifferences() throws {
        let model = try testModel(scenarioNames: ["baseline", "enforcement", "cloud-kyc"])
        let config = MonteCarloConfig(draws: 3000, seed: 4242, threads: 2)
        let r = runMonteCarlo(model: model, config: config)
        #expect(r.acceptedCount >= 10)
        let y = model.calendar.yearIndex(2028)!
        let sim = DrawSimulator(model: model)
        for (s, name) in model.scenarioNames.enumerated() where s > 0 {
            for d in 0..<model.lagDomains.count {
                var exact: [Double] = []
                for draw in 0..<config.draws where r.accepted[draw] {
                    sim.run(draw: draw, seed: config.seed)
                    exact.append(sim.outcome.lag(s, y, .ru, domain: d) - sim.outcome.lag(0, y, .ru, domain: d))
                }
                let got = r.quantiles(r.layout.monthsBought(s, y, .ru, domain: d), [0.1, 0.5, 0.9], calibrated: true)
                for (p, g) in zip([0.1, 0.5, 0.9], got) { #expect(abs(g - empiricalQuantile(exact, p)) < 1e-12, "\(name) d\(d) P\(p)") }
            }
        }
    }

    /// Levers that do not touch sales cost vendors exactly nothing; their cost is their programme cost.
    @Test func leversThatDoNotTouchSalesCostExactlyTheirProgrammeCost() throws {
        let model = try testModel(scenarioNames: ["baseline", "enforcement", "publication-norms", "full-ban"])
        let r = runMonteCarlo(model: model, config: MonteCarloConfig(draws: 400, seed: 7))
        for lever in ["enforcement", "publication-norms"] {
            let s = model.scenarioNames.firstIndex(of: lever)!
            #expect(r.quantiles(r.layout.lever(s, .vendorCostPerYear), [0.1, 0.5, 0.9], calibrated: false) == [0, 0, 0])
            let direct = r.quantiles(r.layout.lever(s, .directCostPerYear), [0.5], calibrated: false)[0]
            #expect(direct == r.quantiles(r.layout.lever(s, .totalCostPerYear), [0.5], calibrated: false)[0])
        }
        let ban = model.scenarioNames.firstIndex(of: "full-ban")!
        #expect(r.quantiles(r.layout.lever(ban, .vendorCostPerYear), [0.1], calibrated: false)[0] > 1e8)
    }
}

/// Rule packs as levers: generated shipments through DiffusionRules.Screener.
@Suite struct RulePackLeverTests {
    static let inputs = try! testInputs(scenarioNames: ["baseline"])
    static let built = try! RulePackLevers.build(names: ["enforced", "ai-diffusion-2025", repositoryRoot.appendingPathComponent("examples/packs/gulf-g2g.yaml").path], inputs: inputs)

    /// The pack that states the baseline's own rules changes nothing, for any actor, domain or year:
    /// the simulator reads the enforced rules the way the screening engine does.
    @Test func theEnforcedRulesAsALeverBuyNothing() throws {
        var inputs = Self.inputs
        inputs.packs = Self.built.packs; inputs.referencePack = Self.built.reference
        inputs.scenarios.append(Self.built.scenarios[0])
        #expect(inputs.scenarios[1].name == "enforced")
        let model = try CompiledModel(inputs)
        let sim = DrawSimulator(model: model)
        for draw in 0..<40 {
            sim.run(draw: draw, seed: 5)
            for y in 0..<model.calendar.years { for a in Actor.list {
                for d in 0..<model.lagDomains.count { #expect(sim.outcome.lag(1, y, a, domain: d) == sim.outcome.lag(0, y, a, domain: d)) }
                #expect(sim.outcome.value(1, y, a, .log10Compute) == sim.outcome.value(0, y, a, .log10Compute))
            } }
        }
    }

    /// 15 CFR 742.6(b)(10)(iii)(C): a Supplement No. 5(b) destination's allocation may double, so the
    /// gulf-g2g pack grants the Gulf at least the share ai-diffusion-2025 grants, and strictly more
    /// once the allocation binds; the other actors are unchanged.
    @Test func gulfG2GGrantsTheGulfMoreThanTheFrameworkAsWritten() {
        let aidf = Self.built.packs[1], g2g = Self.built.packs[2]
        #expect(aidf.id == "ai-diffusion-2025" && g2g.id == "gulf-g2g")
        let p: [Double] = [1, 1, 0.5, 0, 0]
        var strictly = 0
        for q in 12..<52 { for m in aidf.demandLevels {
            let a = p.withUnsafeBufferPointer { aidf.grantedShare(q: q, actor: Actor.gulf.index, demandMultiple: m, approval: $0.baseAddress!) }
            let g = p.withUnsafeBufferPointer { g2g.grantedShare(q: q, actor: Actor.gulf.index, demandMultiple: m, approval: $0.baseAddress!) }
            #expect(g >= a - 1e-12, "q \(q) m \(m): \(g) < \(a)")
            if g > a + 1e-6 { strictly += 1 }
            let ia = p.withUnsafeBufferPointer { aidf.grantedShare(q: q, actor: Actor.india.index, demandMultiple: m, approval: $0.baseAddress!) }
            let ig = p.withUnsafeBufferPointer { g2g.grantedShare(q: q, actor: Actor.india.index, demandMultiple: m, approval: $0.baseAddress!) }
            #expect(ia == ig)
        } }
        #expect(strictly > 0)
        #expect(g2g.rowsScreened > 1000)
    }

    /// Under the framework as written, China's best legal chip is the H20 (the H200 is Tier 3,
    /// presumption of denial); under the enforced rules of 2026, the H200 (case by case).
    @Test func chinasLegalChipFollowsTheScreening() {
        #expect(Self.built.packs[1].chinaRegime[16] == .h20)
        #expect(Self.built.reference.chinaRegime[16] == .h200)
    }

    /// `simulate --lever-pack examples/packs/gulf-g2g.yaml` runs through the application layer.
    @Test func gulfG2GRunsAsALever() throws {
        var options = SimulationOptions()
        options.allLevers = false; options.draws = 300; options.seed = 9; options.robustnessSeeds = []
        options.leverPacks = [repositoryRoot.appendingPathComponent("examples/packs/gulf-g2g.yaml").path]
        let output = try SimulationRunner.run(options)
        #expect(output.result.scenarioNames == ["baseline", "gulf-g2g"])
        let files = output.files()
        #expect(files.map(\.name).contains("where-to-slow.csv"))
        #expect(files.first { $0.name == "summary.json" }!.text.contains("\"id\": \"gulf-g2g\""))
    }
}
