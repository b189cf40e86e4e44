import DiffusionModel
import SimulationInputs
import Testing

/// Spec §4: each sanity check on the calibrated hindcast, with the stated tolerance.
@Suite struct SanityCheckTests {
    static let result: SimulationResult = {
        let model = try! testModel(scenarioNames: ["baseline"])
        return runMonteCarlo(model: model, config: MonteCarloConfig(draws: 6000, seed: 20_260_101))
    }()
    static let checks = try! BundledSimulationInputs.calibration().checks

    func check(_ statistic: CheckStatistic) {
        let r = Self.result
        #expect(r.acceptedCount >= 30, "too few accepted draws: \(r.acceptedCount)")
        for c in Self.checks where c.statistic == statistic {
            let value = r.statisticQuantile(statistic, c.test_quantile ?? 0.5)
            #expect(c.test.contains(value), "\(statistic.rawValue) = \(value), tolerance \(c.test.summary)")
        }
    }

    @Test("1. China-US lag: P50 2024-25 in 5-10 months, 2023 above 10")
    func chinaLag() { check(.cnLag2024to2025); check(.cnLag2023) }
    @Test("2. Open-weight lag P50 in 2-6 months (2024-25)")
    func openLag() { check(.openLag2024to2025) }
    @Test("3. Compute lag / capability lag in 2.5-4")
    func computeVsCapabilityLag() { check(.computeToCapabilityLagRatio) }
    @Test("4. China share 4-18%, world 10-20M H100e")
    func computeShares() { check(.cnShare2025); check(.worldStockJan2026) }
    @Test("5. DeepSeek-V3 (3.3e24 FLOP, Dec 2024) lag in 4-12 months")
    func deepseek() { check(.deepseekV3Lag) }
    @Test("6. Smuggled share of China's 2024 training compute P50 in 3-20%")
    func smuggling() { check(.smuggledShare2024) }
    @Test("7. Vendor cost of a full ban $15-50B/yr")
    func vendorCost() { check(.vendorCostFullBan2025) }
    @Test("8. Minerals: |change in US frontier| < 0.2 months")
    func minerals() { check(.mineralsUSFrontierMonths) }

    @Test func acceptanceRateIsReported() {
        let r = Self.result
        #expect(r.acceptanceRate > 0.005 && r.acceptanceRate < 0.5, "acceptance \(r.acceptanceRate)")
    }
}
