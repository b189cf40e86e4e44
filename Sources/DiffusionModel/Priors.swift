import Foundation

/// One uncertain input: a distribution plus its unit, source and grade (spec §3.6).
///
/// ```yaml
/// alg_halving_months:
///   triangular: {min: 5, mode: 8, max: 14}
///   unit: months
///   source: "Ho et al. 2024, arXiv 2403.05812"
///   grade: A
/// ```
/// `assumption: true` marks a value with no published estimate; reports show it as ASSUMPTION.
public struct Prior: Codable, Sendable, Equatable {
    public var triangular: Dist.Triangular?
    public var lognormal: Dist.Lognormal?
    public var uniform: Dist.Uniform?
    public var fixed: Double?
    /// Dirichlet weights (only for `tau_weights_pub_dist_open`): `dirichlet: {alpha: [2, 2, 2]}`.
    public var dirichlet: Dirichlet?
    public var unit: String
    public var source: String
    /// A, B, C (spec grades), "derived", or "ASSUMPTION".
    public var grade: String
    public var assumption: Bool?
    public var note: String?

    public struct Dirichlet: Codable, Sendable, Equatable { public var alpha: [Double] }

    public var dist: Dist { Dist(triangular: triangular, lognormal: lognormal, uniform: uniform, fixed: fixed) }
    public var isAssumption: Bool { assumption ?? false || grade.uppercased() == "ASSUMPTION" }

    public func validate() throws(ValidationIssue) {
        if let d = dirichlet {
            guard triangular == nil, lognormal == nil, uniform == nil, fixed == nil else {
                throw ValidationIssue(path: ["dirichlet"], message: "a dirichlet prior takes no other distribution")
            }
            guard d.alpha.count >= 2 else { throw ValidationIssue(path: ["dirichlet", "alpha"], message: "needs at least two weights") }
            for (i, a) in d.alpha.enumerated() where !(a > 0) {
                throw ValidationIssue(path: ["dirichlet", "alpha", "[\(i)]"], message: "alpha must be positive (got \(formatNumber(a)))")
            }
        } else {
            try dist.validate()
        }
        if source.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationIssue(path: ["source"], message: "every prior needs a source") }
    }

    /// Human-readable distribution.
    public var summary: String {
        if let d = dirichlet { return "dirichlet(alpha: \(d.alpha.map { formatNumber($0) }.joined(separator: ", ")))" }
        return dist.summary
    }
}

/// The names of every prior the engine reads. The priors file must define each exactly once;
/// any other name is rejected.
public enum PriorKey: String, CaseIterable, Sendable {
    // frontier trends and the world
    case frontierComputeGrowth = "g_c_frontier_compute_growth"
    case algHalvingMonths = "alg_halving_months"
    case rMaxCatchup = "r_max_catchup_oom_per_yr"
    case globalComputeGrowth = "global_compute_growth"
    case growthDecay = "compute_growth_decay_per_yr"
    case pricePerfDoubling = "gpu_price_perf_doubling_yr"
    case worldStockJan2026 = "world_stock_anchor_jan2026_h100e"
    case depreciation = "depreciation_delta"
    // training-run conversion
    case mfu = "mfu"
    case runDays = "run_days"
    case kappaUS = "kappa_us"
    case kappaCN = "kappa_cn"
    case kappaOther = "kappa_other"
    // initial conditions and demand (from the Epoch cluster summary)
    case cnClusterShareBias = "cn_cluster_share_bias"
    case plannedPipelineWeight = "planned_pipeline_weight"
    case cnUnconstrainedDemandShare = "cn_unconstrained_demand_share"
    case ruDemandShare = "ru_demand_share"
    case ruLeakShare = "ru_leak_share"
    // China hardware
    case huaweiPackages2025 = "huawei_packages_2025"
    case ascendH100ePerPackage = "ascend_h100e_per_package"
    case domGrowthCN = "dom_growth_cn"
    case hbmStacks2026 = "hbm_stacks_available_2026"
    case hbmStacksPerPackage = "hbm_stacks_per_package"
    case h800AccessShare = "h800_access_share"
    case h20Units2024 = "h20_units_2024"
    case h20TrainH100e = "h20_train_h100e"
    case h200AccessShare = "h200_access_share"
    case b30aAccessShare = "b30a_access_share"
    case acceptCN = "accept_cn_nvidia"
    case smuggledChips2024 = "smuggled_chips_2024"
    case smuggledH100ePerChip = "smuggled_h100e_per_chip"
    case smuggleHubElasticity = "smuggle_hub_elasticity_psi"
    case enforcementEffect = "enforcement_effect_e_enf"
    // cloud
    case offshoreCloudCN2025 = "offshore_cloud_cn_h100e_2025"
    case cloudTrainWeight = "cloud_train_weight_phi"
    case kycEffectiveness = "kyc_effectiveness"
    // diffusion and talent
    case tauWeights = "tau_weights_pub_dist_open"
    case distillationAccessCN = "distillation_access_cn"
    case talentElasticity = "talent_elasticity_eta"
    case stayRateCN = "stay_rate_cn_in_us"
    case usGradShareCN = "us_grad_share_cn_undergrads"
    case cnOriginShare = "cn_origin_share_of_new_researchers"
    case newResearcherRate = "new_researcher_rate_per_yr"
    case talentShareUS = "talent_share_us"
    case talentShareCN = "talent_share_cn"
    // weights
    case theftRate = "theft_rate_per_yr_sl2_3"
    case theftMultiplierSL45 = "theft_rate_multiplier_sl4_5"
    case openPropensityCN = "open_release_propensity_cn"
    case openPropensityUS = "open_release_propensity_us"
    case openWithholdOOM = "open_withhold_oom"
    case adoptDelayMonths = "adopt_delay_months"
    // minerals
    case mineralsPenalty = "minerals_penalty_m_min"
    case mineralsTailPenalty = "minerals_tail_penalty"
    case mineralsGDPLoss = "minerals_gdp_loss_usd_per_yr"
    // economics
    case pricePerH100e = "price_per_h100e_usd"
    case h20Price = "h20_price_usd"
    case h200Price = "h200_price_usd"
    // added in the calibration revision (kept last so existing indices stay put)
    case openGapPreOpenFrontier = "open_gap_pre_open_frontier_oom"
    case huaweiOutput2023Share = "huawei_output_2023_share"
    case smugglingH800EraFactor = "smuggling_h800_era_factor"

    /// Position in `PriorKey.allCases` (and in a draw's value vector).
    public var index: Int {
        switch self {
        case .frontierComputeGrowth: 0
        case .algHalvingMonths: 1
        case .rMaxCatchup: 2
        case .globalComputeGrowth: 3
        case .growthDecay: 4
        case .pricePerfDoubling: 5
        case .worldStockJan2026: 6
        case .depreciation: 7
        case .mfu: 8
        case .runDays: 9
        case .kappaUS: 10
        case .kappaCN: 11
        case .kappaOther: 12
        case .cnClusterShareBias: 13
        case .plannedPipelineWeight: 14
        case .cnUnconstrainedDemandShare: 15
        case .ruDemandShare: 16
        case .ruLeakShare: 17
        case .huaweiPackages2025: 18
        case .ascendH100ePerPackage: 19
        case .domGrowthCN: 20
        case .hbmStacks2026: 21
        case .hbmStacksPerPackage: 22
        case .h800AccessShare: 23
        case .h20Units2024: 24
        case .h20TrainH100e: 25
        case .h200AccessShare: 26
        case .b30aAccessShare: 27
        case .acceptCN: 28
        case .smuggledChips2024: 29
        case .smuggledH100ePerChip: 30
        case .smuggleHubElasticity: 31
        case .enforcementEffect: 32
        case .offshoreCloudCN2025: 33
        case .cloudTrainWeight: 34
        case .kycEffectiveness: 35
        case .tauWeights: 36
        case .distillationAccessCN: 37
        case .talentElasticity: 38
        case .stayRateCN: 39
        case .usGradShareCN: 40
        case .cnOriginShare: 41
        case .newResearcherRate: 42
        case .talentShareUS: 43
        case .talentShareCN: 44
        case .theftRate: 45
        case .theftMultiplierSL45: 46
        case .openPropensityCN: 47
        case .openPropensityUS: 48
        case .openWithholdOOM: 49
        case .adoptDelayMonths: 50
        case .mineralsPenalty: 51
        case .mineralsTailPenalty: 52
        case .mineralsGDPLoss: 53
        case .pricePerH100e: 54
        case .h20Price: 55
        case .h200Price: 56
        case .openGapPreOpenFrontier: 57
        case .huaweiOutput2023Share: 58
        case .smugglingH800EraFactor: 59
        }
    }
    public static let count = 60
}

/// The priors file: a title and one entry per ``PriorKey``.
public struct PriorSet: Codable, Sendable, Equatable {
    public var title: String
    public var conventions: String?
    public var priors: [String: Prior]

    public init(title: String, conventions: String? = nil, priors: [String: Prior]) {
        self.title = title; self.conventions = conventions; self.priors = priors
    }

    public subscript(key: PriorKey) -> Prior { priors[key.rawValue]! }

    /// Every known name present, no unknown names, each prior valid.
    public func validate() throws(ValidationIssue) {
        for name in priors.keys.sorted() where PriorKey(rawValue: name) == nil {
            let hint = PriorKey.allCases.map(\.rawValue).min { levenshtein($0, name) < levenshtein($1, name) }
            throw ValidationIssue(path: ["priors", name], message: "unknown prior \"\(name)\"" + (hint.map { " (did you mean \($0)?)" } ?? ""))
        }
        for key in PriorKey.allCases {
            guard let prior = priors[key.rawValue] else {
                throw ValidationIssue(path: ["priors"], message: "missing required prior \"\(key.rawValue)\"")
            }
            do { try prior.validate() } catch { throw error.nested(key.rawValue).nested("priors") }
        }
        guard let w = priors[PriorKey.tauWeights.rawValue]?.dirichlet, w.alpha.count == 3 else {
            throw ValidationIssue(path: ["priors", PriorKey.tauWeights.rawValue], message: "needs dirichlet: {alpha: [w_pub, w_dist, w_open]}")
        }
    }
}

func levenshtein(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty { return b.count }
    var prev = Array(0...b.count), cur = prev
    for i in 1...a.count {
        cur[0] = i
        for j in 1...max(1, b.count) where b.count > 0 {
            cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}
