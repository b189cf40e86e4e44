import DiffusionModel
import SimulationInputs
import Testing

/// Spec §4: each sanity check on the calibrated hindcast, with the tolerance of
/// `calibration.yaml` (the spec's bracket). Two values per check:
/// - calibrated: the quantile over the accepted draws (what the spec asks for). Where a check's
///   accept band lies inside its tolerance this passes by construction of rejection ABC;
/// - held-out: the quantile over the draws accepted by all *other* checks. Nothing forces it into
///   the tolerance, so it tests whether the rest of the calibrated model reproduces the check.
@Suite struct SanityCheckTests {
    static let result: SimulationResult = {
        let model = try! testModel(scenarioNames: ["baseline"])
        return runMonteCarlo(model: model, config: MonteCarloConfig(draws: 6000, seed: 20_260_101))
    }()
    static let checks = try! BundledSimulationInputs.calibration().checks

    /// Asserts the calibrated value of every check on `statistic`, and the held-out value unless
    /// `heldOut` is false.
    func check(_ statistic: CheckStatistic, heldOut: Bool = true) {
        let r = Self.result
        #expect(r.acceptedCount >= 100, "too few accepted draws: \(r.acceptedCount)")
        let mine = Self.checks.filter { $0.statistic == statistic }
        #expect(!mine.isEmpty, "no check on \(statistic.rawValue) in calibration.yaml")
        for c in mine {
            let value = r.statisticQuantile(statistic, c.test_quantile ?? 0.5)
            #expect(c.test.contains(value), "calibrated \(statistic.rawValue) = \(value), tolerance \(c.test.summary)")
            if heldOut {
                let held = r.heldOutQuantile(c, checks: Self.checks)
                #expect(c.test.contains(held.value), "held-out \(statistic.rawValue) = \(held.value), tolerance \(c.test.summary)")
            }
        }
    }

    @Test("1. China-US lag (own development): P50 2024-25 in 5-10 months")
    func chinaLag2024to2025() { check(.cnLag2024to2025) }

    @Test("1. China-US lag in 2023 above 10 months (held-out: known limitation)")
    func chinaLag2023() {
        check(.cnLag2023, heldOut: false)
        // Without the 2023 check, accepted draws barely narrow (P50 ~8 months in 2023): the
        // narrowing of 2023-2025 is selected by calibration (draws whose catch-up rises with open
        // weights and distillation), not forced by the model's structure. Flags a fix when it happens.
        let c = Self.checks.first { $0.statistic == .cnLag2023 }!
        let held = Self.result.heldOutQuantile(c, checks: Self.checks)
        withKnownIssue("model does not narrow China's lag 2023->2025 unless calibrated to") {
            #expect(c.test.contains(held.value), "held-out 2023 lag \(held.value)")
        }
    }

    @Test("1. China's lag narrows from 2023 to 2024-25 in the calibrated hindcast")
    func chinaLagNarrows() {
        let r = Self.result
        #expect(r.statisticQuantile(.cnLag2024to2025, 0.5) < r.statisticQuantile(.cnLag2023, 0.5) - 1)
    }

    @Test("2. Open-weight lag: P50 2-6 months in 2024-25, and the earlier ~1-year gap in 2023")
    func openLag() { check(.openLag2024to2025); check(.openLag2023) }

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

    @Test("8. Minerals: |change in US frontier| < 0.2 months (P90)")
    func minerals() { check(.mineralsUSFrontierMonths) }

    @Test func everyCheckStatisticIsCheckedAndEverySpecItemCovered() {
        let checked = Set(Self.checks.map(\.statistic))
        #expect(checked == Set(CheckStatistic.allCases))
        #expect(Set(Self.checks.map(\.spec_item)) == Set(1...8))
    }

    /// Spec §3.8: under ~2% means the structure is mis-specified; the target is at least 5%.
    @Test func acceptanceRateIsHealthy() {
        let r = Self.result
        #expect(r.acceptanceRate >= 0.05, "acceptance \(r.acceptanceRate)")
        #expect(r.acceptanceRate < 0.5, "acceptance \(r.acceptanceRate): checks too loose to calibrate anything")
    }
}
