import DiffusionModel
import SimulationInputs
import Testing

/// Spec §4 sanity checks and the issue 8 calibration targets, on the calibrated hindcast, with the
/// tolerances of `calibration.yaml`. Two values per check:
/// - calibrated: the quantile over the accepted draws;
/// - held out: the quantile over the draws accepted by every *other* calibrated check. Nothing forces
///   it into the tolerance, so it tests whether the rest of the calibrated model reproduces the check.
/// Sanity checks must pass both; calibration targets (the open frontier's origin by year and its 2025
/// lag) pass calibrated by construction, and their held-out values are only reported.
@Suite struct SanityCheckTests {
    static let result: SimulationResult = {
        let model = try! testModel(scenarioNames: ["baseline"])
        return runMonteCarlo(model: model, config: MonteCarloConfig(draws: 12_000, seed: 20_260_101))
    }()
    static let checks = try! BundledSimulationInputs.calibration().checks

    func check(_ statistic: CheckStatistic) {
        let r = Self.result
        #expect(r.acceptedCount >= 80, "too few accepted draws: \(r.acceptedCount)")
        let mine = Self.checks.filter { $0.statistic == statistic }
        #expect(!mine.isEmpty, "no check on \(statistic.rawValue) in calibration.yaml")
        for c in mine {
            let value = r.statisticQuantile(statistic, c.test_quantile ?? 0.5)
            #expect(c.test.contains(value), "calibrated \(statistic.rawValue) = \(value), tolerance \(c.test.summary)")
            if c.isSanityCheck {
                let held = r.heldOutQuantile(c, checks: Self.checks)
                #expect(c.test.contains(held.value), "held-out \(statistic.rawValue) = \(held.value), tolerance \(c.test.summary)")
            }
        }
    }

    @Test("1. China-US lag (own development): P50 2024-25 in 5-10 months")
    func chinaLag2024to2025() { check(.cnLag2024to2025) }

    /// The 2023 lag takes no part in the rejection step (role: held_out): the narrowing to 2024-25
    /// comes from the dynamics (efficiency, reasoning-trace distillation, open weights, compute).
    @Test("1. China-US lag in 2023 above 10 months, held out of the calibration")
    func chinaLag2023() {
        let c = Self.checks.first { $0.statistic == .cnLag2023 }!
        #expect(!c.isCalibrated, "the 2023 lag must be held out of the calibration")
        check(.cnLag2023)
    }

    @Test("1. China's lag narrows from 2023 to 2024-25 by at least 3 months")
    func chinaLagNarrows() {
        let r = Self.result
        #expect(r.statisticQuantile(.cnLag2024to2025, 0.5) < r.statisticQuantile(.cnLag2023, 0.5) - 3)
    }

    @Test("2. Open-weight lag: P50 2-6 months in 2024-25, 2-5 in 2025, the earlier ~1-year gap in 2023")
    func openLag() { check(.openLag2024to2025); check(.openLag2025); check(.openLag2023) }

    @Test("Issue 8: origin of the best open model: US in 2023 and 2024, China in 2025")
    func openOrigins() { check(.openOriginUS2023); check(.openOriginUS2024); check(.openOriginCN2025) }

    @Test("3. Compute lag / capability lag in 2.5-6")
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
        #expect(Set(Self.checks.map(\.statistic)) == Set(CheckStatistic.allCases))
        #expect(Set(Self.checks.filter(\.isSanityCheck).map(\.spec_item)) == Set(1...8))
        #expect(Self.checks.filter { !$0.isCalibrated }.map(\.statistic).contains(.cnLag2023))
    }

    /// Spec §3.8 warns below ~2%; this version's extra targets (2023 origin against the 2025 open
    /// lag) bring it to about 1% (docs/simulator.md, "Calibration"). Guard against collapse and
    /// against checks too loose to calibrate anything.
    @Test func acceptanceRateIsNotDegenerate() {
        let r = Self.result
        #expect(r.acceptanceRate >= 0.006, "acceptance \(r.acceptanceRate)")
        #expect(r.acceptanceRate < 0.5, "acceptance \(r.acceptanceRate)")
    }

    /// The open frontier (issue 8 must-show): 2025 Chinese in most quarters with a lag of 2-5
    /// months (Epoch ECI ~3), 2024 American.
    @Test func openFrontierByYear() {
        let r = Self.result
        let y2024 = r.calendar.yearIndex(2024)!, y2025 = r.calendar.yearIndex(2025)!
        let cn2025 = r.mean(r.layout.scenario(0, y2025, .originCN), calibrated: true)
        let us2024 = r.mean(r.layout.scenario(0, y2024, .originUS), calibrated: true)
        let lag2025 = r.quantiles(r.layout.scenario(0, y2025, .openLag), [0.5], calibrated: true)[0]
        #expect(cn2025 > 0.5, "2025 CN origin share \(cn2025)")
        #expect(us2024 > 0.5, "2024 US origin share \(us2024)")
        #expect(lag2025 >= 2 && lag2025 <= 5, "2025 open lag P50 \(lag2025)")
    }
}
