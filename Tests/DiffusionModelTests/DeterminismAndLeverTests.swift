import DiffusionModel
import SimulationInputs
import SimulationReport
import Testing

@Suite struct DeterminismTests {
    @Test func sameSeedSameBytesWhateverTheThreadCount() throws {
        let model = try testModel()
        let scenarios = try BundledSimulationInputs.scenarios().filter { $0.tier2_cap_structure == nil }
        let priors = try BundledSimulationInputs.priors(), calibration = try BundledSimulationInputs.calibration()
        func files(threads: Int) -> [String] {
            let r = runMonteCarlo(model: model, config: MonteCarloConfig(draws: 400, seed: 7, threads: threads))
            let v = ResultView(result: r, scenarios: scenarios, priors: priors, calibration: calibration, tierCaps: nil)
            return [ResultFiles.trajectories(v), ResultFiles.levers(v), ResultFiles.json(v), ResultFiles.tornado(v), SVGCharts.lagFan(v), HTMLReport.render(v)]
        }
        let a = files(threads: 2), b = files(threads: 2), c = files(threads: 1)
        #expect(a == b)
        #expect(a == c)
        let d = runMonteCarlo(model: model, config: MonteCarloConfig(draws: 400, seed: 8, threads: 2))
        #expect(d.parameters != runMonteCarlo(model: model, config: MonteCarloConfig(draws: 400, seed: 7, threads: 2)).parameters)
    }
}

/// Paired draws (common random numbers): a stronger control never shortens China's lag, removing
/// all controls never lengthens it.
@Suite struct LeverMonotonicityTests {
    @Test func enforcementNeverShortensAndNoControlsNeverLengthensChinasLag() throws {
        let model = try testModel(scenarioNames: ["baseline", "enforcement", "no-controls", "full-ban", "cloud-kyc"])
        let idx = { (n: String) in model.scenarioNames.firstIndex(of: n)! }
        let sim = DrawSimulator(model: model)
        for draw in 0..<300 {
            sim.run(draw: draw, seed: 99)
            let o = sim.outcome
            for year in 0..<model.calendar.years {
                for m in [ActorMetric.lag, .lagOwn] {
                    let base = o.value(0, year, .cn, m)
                    for stronger in ["enforcement", "full-ban", "cloud-kyc"] {
                        #expect(o.value(idx(stronger), year, .cn, m) >= base - 1e-9, "draw \(draw) \(stronger) year \(year)")
                    }
                    #expect(o.value(idx("no-controls"), year, .cn, m) <= base + 1e-9, "draw \(draw) no-controls year \(year)")
                }
            }
        }
    }
}
