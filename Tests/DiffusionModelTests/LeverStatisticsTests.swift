import DiffusionModel
import Foundation
import SimulationInputs
import Testing

/// Lever effects are paired per-draw differences (common random numbers). The calibrated
/// ensemble's quantiles must be the exact order statistics of those differences; the
/// prior-predictive histograms must stay within their stated error bound and read exact zeros.
@Suite struct LeverStatisticsTests {
    static let names = ["baseline", "enforcement", "weights-security", "full-ban"]
    static let model = try! testModel(scenarioNames: names)
    static let config = MonteCarloConfig(draws: 1500, seed: 4242)
    static let result = runMonteCarlo(model: model, config: config)
    static func index(_ name: String) -> Int { model.scenarioNames.firstIndex(of: name)! }
    static let year2027 = model.calendar.yearIndex(2027)!

    /// Every draw's paired difference, recomputed by simulating the draw again.
    static func differences(_ scenario: String, acceptedOnly: Bool, _ f: (DrawOutcome, Int) -> Double) -> [Double] {
        let sim = DrawSimulator(model: model)
        var out: [Double] = []
        for d in 0..<config.draws where !acceptedOnly || result.accepted[d] {
            sim.run(draw: d, seed: config.seed)
            out.append(f(sim.outcome, index(scenario)))
        }
        return out
    }

    @Test(arguments: ["enforcement", "full-ban", "weights-security"])
    func calibratedMonthsBoughtAreExactQuantilesOfPairedDifferences(lever: String) {
        let r = Self.result
        #expect(r.acceptedCount >= 50)
        let y = Self.year2027
        for metric in [LeverActorMetric.monthsBought, .monthsBoughtOwn] {
            let exact = Self.differences(lever, acceptedOnly: true) { o, s in
                metric == .monthsBought ? o.value(s, y, .cn, .lag) - o.value(0, y, .cn, .lag)
                                        : o.value(s, y, .cn, .lagOwn) - o.value(0, y, .cn, .lagOwn)
            }
            let got = r.quantiles(r.layout.lever(Self.index(lever), y, .cn, metric), [0.1, 0.5, 0.9], calibrated: true)
            for (p, g) in zip([0.1, 0.5, 0.9], got) {
                #expect(abs(g - empiricalQuantile(exact, p)) < 1e-12, "\(lever) \(metric) P\(Int(p * 100)): \(g) vs \(empiricalQuantile(exact, p))")
            }
        }
    }

    @Test func smallLeverEffectsKeepTheirSize() {
        // The old -30..30-month histogram read every small effect as ~0.03 months. Enforcement's
        // own-development effect is a fraction of a month and must not collapse to a bin midpoint.
        let r = Self.result
        let i = r.layout.lever(Self.index("enforcement"), Self.year2027, .cn, .monthsBoughtOwn)
        let q = r.quantiles(i, [0.1, 0.5, 0.9], calibrated: true)
        #expect(q[0] > 0 && q[0] < q[1] && q[1] < q[2], "\(q)")
        #expect(abs(q[1] - 0.0293) > 1e-3 && abs(q[1] - 0.0586) > 1e-3)
    }

    @Test func leversThatDoNotTouchSalesCostExactlyNothing() {
        let r = Self.result
        for lever in ["enforcement", "weights-security"] {
            let i = r.layout.lever(Self.index(lever), .vendorCostPerYear)
            #expect(r.quantiles(i, [0.1, 0.5, 0.9], calibrated: true) == [0, 0, 0], "\(lever)")
            #expect(r.quantiles(i, [0.1, 0.5, 0.9], calibrated: false) == [0, 0, 0], "\(lever), prior histogram")
            // Months per $10B is undefined without a cost, not a huge number.
            #expect(r.definedShare(r.layout.lever(Self.index(lever), .monthsPer10B), calibrated: true) == 0)
        }
        let ban = r.layout.lever(Self.index("full-ban"), .vendorCostPerYear)
        #expect(r.quantiles(ban, [0.1], calibrated: true)[0] > 1e9, "a full ban costs vendors billions a year")
        #expect(r.definedShare(r.layout.lever(Self.index("full-ban"), .monthsPer10B), calibrated: true) > 0.9)
    }

    /// The histogram quantile h of the prior ensemble must be a quantile of the exact values up to
    /// the stated bound: at most a share p of draws below h - bound, at least p at or below h + bound.
    @Test func priorHistogramQuantilesAreWithinTheStatedErrorBound() {
        let r = Self.result
        let y = Self.year2027
        let cases: [(index: Int, values: [Double], bound: (Double) -> Double)] = [
            (r.layout.lever(Self.index("full-ban"), y, .cn, .monthsBoughtOwn),
             Self.differences("full-ban", acceptedOnly: false) { o, s in o.value(s, y, .cn, .lagOwn) - o.value(0, y, .cn, .lagOwn) },
             { 0.025 * (abs($0) + 1e-3) }),
            (r.layout.actor(0, y, .cn, .lag),
             Self.differences("baseline", acceptedOnly: false) { o, _ in o.value(0, y, .cn, .lag) },
             { _ in 60.0 / 1024 }),
        ]
        for c in cases {
            let n = Double(c.values.count)
            for p in [0.1, 0.5, 0.9] {
                let h = r.prior.quantile(c.index, p)
                let below = Double(c.values.filter { $0 < h - c.bound(h) }.count)
                let atOrBelow = Double(c.values.filter { $0 <= h + c.bound(h) }.count)
                #expect(below <= p * n && atOrBelow >= p * n, "P\(Int(p * 100)) = \(h): \(below) below, \(atOrBelow) at or below, of \(n)")
            }
        }
    }

    @Test func sampleTableQuantilesAreTypeSeven() {
        let layout = MetricLayout(scenarios: 1, years: 1)
        var t = SampleTable(layout: layout)
        let rows: [Double] = [3, 1, 4, 1, 5, 9, 2, 6]
        for x in rows {
            var v = [Double](repeating: 0, count: layout.count)
            v[0] = x
            v[1] = x == 4 ? .nan : x
            v.withUnsafeBufferPointer { t.add($0) }
        }
        // Sorted 1 1 2 3 4 5 6 9: P50 = (3 + 4) / 2, P10 = 1 + 0.7 * 0, P90 = 6 + 0.3 * 3.
        for (got, want) in zip(t.quantiles(0, [0.1, 0.5, 0.9]), [1, 3.5, 6.9]) { #expect(abs(got - want) < 1e-12) }
        #expect(t.definedCount(1) == 7)
        #expect(t.quantiles(1, [0.5]) == [3])
    }
}
