import Foundation

/// The statistics computed on each draw's hindcast (spec §4, issue 8). Raw values are the YAML ids.
public enum CheckStatistic: String, Codable, Sendable, CaseIterable {
    /// Mean of China's own-development lag over 2024-2025 (months).
    case cnLag2024to2025 = "cn_lag_2024_2025_months"
    /// Mean of China's own-development lag over 2023 (months).
    case cnLag2023 = "cn_lag_2023_months"
    /// Mean open-weight lag over 2024-2025 (months).
    case openLag2024to2025 = "open_lag_2024_2025_months"
    /// Mean open-weight lag over 2023 (months): the earlier ~1-year gap (spec §4 item 2).
    case openLag2023 = "open_lag_2023_months"
    /// Mean open-weight lag over 2025 (months): Epoch ECI, ~3 months.
    case openLag2025 = "open_lag_2025_months"
    /// Share of 2023's quarters in which the best open model is from the US (Llama 2).
    case openOriginUS2023 = "open_origin_us_share_2023"
    /// Share of 2024's quarters in which the best open model is from the US (Llama 3.1 405B).
    case openOriginUS2024 = "open_origin_us_share_2024"
    /// Share of 2025's quarters in which the best open model is from China (DeepSeek-R1, Qwen3, Kimi K2).
    case openOriginCN2025 = "open_origin_cn_share_2025"
    /// China compute-trend lag / capability lag, mean over 2024-2025.
    case computeToCapabilityLagRatio = "compute_to_capability_lag_ratio"
    /// China's share of world effective compute, mid-2025.
    case cnShare2025 = "cn_share_2025"
    /// World installed stock at the start of 2026 (H100e).
    case worldStockJan2026 = "world_stock_jan_2026_h100e"
    /// Lag of a 3.3e24 FLOP run by a Chinese lab in Dec 2024 (months).
    case deepseekV3Lag = "deepseek_v3_lag_months"
    /// Smuggled share of China's training compute at end-2024.
    case smuggledShare2024 = "smuggled_share_2024"
    /// Vendor revenue a full China ban forgoes in 2025, vs no controls (USD/yr).
    case vendorCostFullBan2025 = "vendor_cost_full_ban_2025_usd"
    /// |Change in the US frontier (months)| from China's 2023-2025 minerals measures.
    case mineralsUSFrontierMonths = "minerals_us_frontier_abs_months"

    public var index: Int { Self.indexTable[self]! }
    static let indexTable: [CheckStatistic: Int] = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
    public static let count = 15
}

/// A spec §4 sanity check (must pass on the accepted draws and held out of the calibration) or a
/// calibration target added by issue 8 (the open frontier's origin by year, its 2025 lag).
public enum CheckKind: String, Codable, Sendable {
    case sanityCheck = "sanity_check"
    case calibrationTarget = "calibration_target"
}

/// Whether a check takes part in the rejection step.
public enum CheckRole: String, Codable, Sendable {
    /// Draws outside `accept` are rejected (the check is a calibration target).
    case calibrated
    /// Never used to accept or reject: reported over the accepted draws as an out-of-sample test.
    case heldOut = "held_out"
}

/// One sanity check: a per-draw acceptance band (rejection ABC) and a band the calibrated
/// ensemble's quantile must fall in (the unit test, spec §4 tolerances).
public struct SanityCheck: Codable, Sendable, Equatable {
    /// Spec §4 item number (1-8).
    public var spec_item: Int
    public var statistic: CheckStatistic
    public var description: String
    public var source: String
    /// Band a single draw must meet to be accepted.
    public var accept: Band
    /// Band the ensemble quantile `test_quantile` must meet (the spec's bracketed tolerance).
    public var test: Band
    /// Quantile tested, 0.5 unless stated.
    public var test_quantile: Double?
    /// `calibrated` (default) or `held_out`.
    public var role: CheckRole?
    /// `sanity_check` (default) or `calibration_target`.
    public var kind: CheckKind?

    public var isSanityCheck: Bool { (kind ?? .sanityCheck) == .sanityCheck }

    public var isCalibrated: Bool { (role ?? .calibrated) == .calibrated }

    public struct Band: Codable, Sendable, Equatable {
        public var min: Double?
        public var max: Double?
        public func contains(_ x: Double) -> Bool {
            guard x.isFinite else { return false }
            if let lo = min, x < lo { return false }
            if let hi = max, x > hi { return false }
            return true
        }
        public var summary: String {
            switch (min, max) {
            case let (lo?, hi?): "\(formatNumber(lo))..\(formatNumber(hi))"
            case let (lo?, nil): ">= \(formatNumber(lo))"
            case let (nil, hi?): "<= \(formatNumber(hi))"
            default: "any"
            }
        }
    }
}

/// The calibration file: the checks and the DeepSeek-V3 reference run.
public struct CalibrationTargets: Codable, Sendable, Equatable {
    public var title: String
    public var checks: [SanityCheck]
    /// Training compute of DeepSeek-V3 (FLOP) and its date, for check 5.
    public var deepseek_v3_flop: Double
    public var deepseek_v3_date: String

    public func validate() throws(ValidationIssue) {
        for (i, c) in checks.enumerated() {
            for (name, band) in [("accept", c.accept), ("test", c.test)] {
                if let lo = band.min, let hi = band.max, lo > hi {
                    throw ValidationIssue(path: ["checks", "[\(i)]", name, "min"], message: "min \(formatNumber(lo)) is above max \(formatNumber(hi))")
                }
            }
            if let q = c.test_quantile, !(q > 0 && q < 1) {
                throw ValidationIssue(path: ["checks", "[\(i)]", "test_quantile"], message: "must be between 0 and 1")
            }
        }
        if !(deepseek_v3_flop > 0) { throw ValidationIssue(path: ["deepseek_v3_flop"], message: "must be positive") }
    }
}

extension SimulationResult {
    /// Whether draw `d` meets the accept band of every check in `checks` except those on `statistic`.
    public func acceptedWithout(_ statistic: CheckStatistic?, draw d: Int, checks: [SanityCheck]) -> Bool {
        let k = CheckStatistic.count
        for c in checks where c.statistic != statistic && c.isCalibrated {
            if !c.accept.contains(statistics[d * k + c.statistic.index]) { return false }
        }
        return true
    }

    /// Held-out value of a check: its quantile over the draws accepted by all the *other* checks.
    /// Unlike the calibrated value, it is not forced into the accept band by the rejection step,
    /// so it shows whether the rest of the calibration reproduces the check (a test that can fail).
    public func heldOutQuantile(_ check: SanityCheck, checks: [SanityCheck]) -> (value: Double, draws: Int) {
        var kept = 0
        let value = statisticQuantile(check.statistic, check.test_quantile ?? 0.5) { d in
            let ok = self.acceptedWithout(check.statistic, draw: d, checks: checks)
            if ok { kept += 1 }
            return ok
        }
        return (value, kept)
    }
}
