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
    /// `true` for a quantity that may be negative (otherwise negative values are rejected).
    public var signed: Bool?
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
            try dist.validate(allowNegative: signed ?? false)
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
/// any other name is rejected. Sections: frontier and world, training runs, demand, China's
/// hardware, cloud, diffusion and talent, weights and open releases, endogenous responses,
/// licence approvals, minerals (China's counter-measures), economics.
public enum PriorKey: String, CaseIterable, Sendable {
    case frontierComputeGrowth = "g_c_frontier_compute_growth"
    case algHalvingMonths = "alg_halving_months"
    case rMaxCatchup = "r_max_catchup_oom_per_yr"
    case globalComputeGrowth = "global_compute_growth"
    case growthDecay = "compute_growth_decay_per_yr"
    case pricePerfDoubling = "gpu_price_perf_doubling_yr"
    case worldStockJan2026 = "world_stock_anchor_jan2026_h100e"
    case depreciation = "depreciation_delta"
    case mfu = "mfu"
    case runDays = "run_days"
    case kappaUS = "kappa_us"
    case kappaCN = "kappa_cn"
    case kappaOther = "kappa_other"
    case cnClusterShareBias = "cn_cluster_share_bias"
    case plannedPipelineWeight = "planned_pipeline_weight"
    case cnUnconstrainedDemandShare = "cn_unconstrained_demand_share"
    case ruDemandShare = "ru_demand_share"
    case ruLeakShare = "ru_leak_share"
    case huaweiPackages2025 = "huawei_packages_2025"
    case ascendH100ePerPackage = "ascend_h100e_per_package"
    case domGrowthCN = "dom_growth_cn"
    case huaweiOutput2023Share = "huawei_output_2023_share"
    case hbmStacks2026 = "hbm_stacks_available_2026"
    case hbmStacksPerPackage = "hbm_stacks_per_package"
    case h800AccessShare = "h800_access_share"
    case h20Units2024 = "h20_units_2024"
    case h20TrainH100e = "h20_train_h100e"
    case h200AccessShare = "h200_access_share"
    case b30aAccessShare = "b30a_access_share"
    case acceptCN = "accept_cn_nvidia"
    case smuggledChips2024 = "smuggled_chips_2024"
    case smugglingH800EraFactor = "smuggling_h800_era_factor"
    case smuggledH100ePerChip = "smuggled_h100e_per_chip"
    case smuggleHubElasticity = "smuggle_hub_elasticity_psi"
    case smugglingMaxUnmetShare = "smuggling_max_unmet_share"
    case enforcementEffect = "enforcement_effect_e_enf"
    case offshoreCloudCN2025 = "offshore_cloud_cn_h100e_2025"
    case cloudTrainWeight = "cloud_train_weight_phi"
    case kycEffectiveness = "kyc_effectiveness"
    case tauWeights = "tau_weights_pub_dist_open"
    case distillationAccessCN = "distillation_access_cn"
    case distillationAnswersShare = "distillation_answers_share"
    case followerEfficiencyBoost = "follower_efficiency_boost_oom"
    case cnEfficiencyLongRun = "cn_efficiency_long_run_oom"
    case efficiencyAdjustmentYears = "cn_efficiency_adjustment_years"
    case cnEfficiencyInitial = "cn_efficiency_initial_oom"
    case efficiencyScarcityResponse = "cn_efficiency_scarcity_response_oom"
    case openProximityScale = "open_proximity_scale_months"
    case absorptiveT1 = "absorptive_capacity_t1"
    case absorptiveGulf = "absorptive_capacity_gulf"
    case absorptiveIN = "absorptive_capacity_in"
    case absorptiveRU = "absorptive_capacity_ru"
    case absorptiveRow = "absorptive_capacity_row"
    case talentElasticity = "talent_elasticity_eta"
    case stayRateCN = "stay_rate_cn_in_us"
    case usGradShareCN = "us_grad_share_cn_undergrads"
    case cnOriginShare = "cn_origin_share_of_new_researchers"
    case newResearcherRate = "new_researcher_rate_per_yr"
    case talentShareUS = "talent_share_us"
    case talentShareCN = "talent_share_cn"
    case theftRate = "theft_rate_per_yr_sl2_3"
    case theftMultiplierSL45 = "theft_rate_multiplier_sl4_5"
    case openPropensityCN = "open_release_propensity_cn"
    case openWithholdOOM = "open_withhold_oom"
    case openLagInitial = "open_lag_initial_months"
    case usOpenGapScale = "us_open_gap_scale"
    case usOpenGapProjection = "us_open_release_gap_projection_oom"
    case usOpenInterval = "us_open_release_interval_months"
    case openGapT1 = "open_release_gap_t1_oom"
    case openGapGulf = "open_release_gap_gulf_oom"
    case adoptDelay = "adopt_delay_months"
    case adoptDelayIN = "adopt_delay_in_months"
    case adoptDelayRURow = "adopt_delay_ru_row_months"
    case frictionT1 = "cn_weights_friction_t1_months"
    case frictionGulf = "cn_weights_friction_gulf_months"
    case frictionIN = "cn_weights_friction_in_months"
    case frictionRow = "cn_weights_friction_row_months"
    case substitutionElasticity = "domestic_substitution_elasticity"
    case smugglingDeniedElasticity = "smuggling_denied_elasticity_chi"
    case smugglingAdaptation = "smuggling_adaptation_per_yr"
    case deniedDiversionShare = "denied_diversion_share"
    case approvalPresumptionApproval = "licence_approval_presumption_of_approval"
    case approvalCaseByCase = "licence_approval_case_by_case"
    case approvalPresumptionDenial = "licence_approval_presumption_of_denial"
    case mineralsPenalty = "minerals_penalty_ga_ge"
    case mineralsPenaltySbGraphite = "minerals_penalty_sb_graphite"
    case mineralsTailPenalty = "minerals_penalty_rare_earths"
    case mineralsLicensingSeverity = "minerals_licensing_severity"
    case mineralsGDPLoss = "minerals_gdp_loss_ga_ge_usd_per_yr"
    case mineralsGDPLossSbGraphite = "minerals_gdp_loss_sb_graphite_usd_per_yr"
    case mineralsGDPLossRareEarths = "minerals_gdp_loss_rare_earths_usd_per_yr"
    case pricePerH100e = "price_per_h100e_usd"
    case h20Price = "h20_price_usd"
    case h200Price = "h200_price_usd"

    /// Position in `PriorKey.allCases` (and in a draw's value vector). A switch, not a table
    /// lookup: the engine reads priors in its per-draw set-up.
    @inline(__always) public var index: Int {
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
        case .huaweiOutput2023Share: 21
        case .hbmStacks2026: 22
        case .hbmStacksPerPackage: 23
        case .h800AccessShare: 24
        case .h20Units2024: 25
        case .h20TrainH100e: 26
        case .h200AccessShare: 27
        case .b30aAccessShare: 28
        case .acceptCN: 29
        case .smuggledChips2024: 30
        case .smugglingH800EraFactor: 31
        case .smuggledH100ePerChip: 32
        case .smuggleHubElasticity: 33
        case .smugglingMaxUnmetShare: 34
        case .enforcementEffect: 35
        case .offshoreCloudCN2025: 36
        case .cloudTrainWeight: 37
        case .kycEffectiveness: 38
        case .tauWeights: 39
        case .distillationAccessCN: 40
        case .distillationAnswersShare: 41
        case .followerEfficiencyBoost: 42
        case .cnEfficiencyLongRun: 43
        case .efficiencyAdjustmentYears: 44
        case .cnEfficiencyInitial: 45
        case .efficiencyScarcityResponse: 46
        case .openProximityScale: 47
        case .absorptiveT1: 48
        case .absorptiveGulf: 49
        case .absorptiveIN: 50
        case .absorptiveRU: 51
        case .absorptiveRow: 52
        case .talentElasticity: 53
        case .stayRateCN: 54
        case .usGradShareCN: 55
        case .cnOriginShare: 56
        case .newResearcherRate: 57
        case .talentShareUS: 58
        case .talentShareCN: 59
        case .theftRate: 60
        case .theftMultiplierSL45: 61
        case .openPropensityCN: 62
        case .openWithholdOOM: 63
        case .openLagInitial: 64
        case .usOpenGapScale: 65
        case .usOpenGapProjection: 66
        case .usOpenInterval: 67
        case .openGapT1: 68
        case .openGapGulf: 69
        case .adoptDelay: 70
        case .adoptDelayIN: 71
        case .adoptDelayRURow: 72
        case .frictionT1: 73
        case .frictionGulf: 74
        case .frictionIN: 75
        case .frictionRow: 76
        case .substitutionElasticity: 77
        case .smugglingDeniedElasticity: 78
        case .smugglingAdaptation: 79
        case .deniedDiversionShare: 80
        case .approvalPresumptionApproval: 81
        case .approvalCaseByCase: 82
        case .approvalPresumptionDenial: 83
        case .mineralsPenalty: 84
        case .mineralsPenaltySbGraphite: 85
        case .mineralsTailPenalty: 86
        case .mineralsLicensingSeverity: 87
        case .mineralsGDPLoss: 88
        case .mineralsGDPLossSbGraphite: 89
        case .mineralsGDPLossRareEarths: 90
        case .pricePerH100e: 91
        case .h20Price: 92
        case .h200Price: 93
        }
    }
    public static let count = 94
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
