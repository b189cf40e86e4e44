/// One dated regulatory act encoded as data: when it takes effect, when compliance is due, when
/// enforcement stopped, its citation, and what it adds or replaces (classification prongs, named
/// country sets, tiers, licensing rules, caps, red flags).
///
/// Layers are YAML files bundled with the `RuleData` module (one per act, e.g.
/// `ai-diffusion-2025.yaml`); a user's pack may add layers or override fields of built-in ones.
/// Every number carries a source and a confidence (``SourcedNumber``, or a block-level `source` and
/// `confidence`); low-confidence facts and assumptions become warnings in determinations.
///
/// ```yaml
/// id: ear-2025-04-h20
/// title: "Is-informed" licence requirement for H20-class chips
/// citation: BIS is-informed letters of 9-14 Apr 2025
/// effective_from: 2025-04-15
/// licensing:
///   mode: prepend
///   rules:
///     - id: h20/china-d5
///       when: {item_in: [NVIDIA HGX H20], destination_in: china_macau_d5}
///       then: {authorization: LICENSE, review_policy: presumption_of_denial}
///       ...
/// ```
public struct RuleLayer: Codable, Sendable, Hashable {
    public var id: String
    public var title: String
    /// Federal Register or CFR citation of the act.
    public var citation: String
    public var effectiveFrom: Day
    /// When compliance became mandatory, if later than `effectiveFrom`.
    public var complianceFrom: Day?
    /// Last day the act was enforced (non-enforcement or rescission), if any.
    public var enforcedUntil: Day?
    /// First day the act's content is replaced by a later act (it stops applying in every regime).
    public var supersededOn: Day?
    /// Free text on status (e.g. the May 2025 non-enforcement announcement).
    public var statusNote: String?
    public var sources: [String]?
    public var countrySets: [String: CountrySetDefinition]?
    public var tiers: TierDefinition?
    public var classification: ClassificationBlock?
    public var licensing: LicensingBlock?
    public var caps: [String: CapDefinition]?
    public var flags: [RedFlag]?
    /// ECCN 4E091 (model weights): thresholds, exclusions and licensing (AI Diffusion layer only).
    public var modelWeights: ModelWeightsBlock?
    /// Periods in which the act is in effect as written but not enforced (the Affiliates Rule's
    /// one-year suspension); the `enforced` selection skips them.
    public var suspensions: [LayerSuspension]?
    /// Part 744 end-user and end-use controls (restricted-party lists, the Affiliates Rule, end uses).
    public var endUserControls: EndUserControlBlock?

    public init(id: String, title: String, citation: String, effectiveFrom: Day, complianceFrom: Day? = nil,
                enforcedUntil: Day? = nil, supersededOn: Day? = nil, classification: ClassificationBlock? = nil) {
        self.id = id
        self.title = title
        self.citation = citation
        self.effectiveFrom = effectiveFrom
        self.complianceFrom = complianceFrom
        self.enforcedUntil = enforcedUntil
        self.supersededOn = supersededOn
        self.classification = classification
    }

    enum CodingKeys: String, CodingKey {
        case id, title, citation
        case effectiveFrom = "effective_from"
        case complianceFrom = "compliance_from"
        case enforcedUntil = "enforced_until"
        case supersededOn = "superseded_on"
        case statusNote = "status_note"
        case sources
        case countrySets = "country_sets"
        case tiers, classification, licensing, caps, flags
        case modelWeights = "model_weights"
        case suspensions
        case endUserControls = "end_user_controls"
    }
}

/// A named set of countries: the union of listed countries, Country Groups (on the row's date) and
/// other named sets, minus an exception set.
///
/// ```yaml
/// licence_destinations_2023:
///   description: D:1, D:4 and D:5 destinations except A:5 and A:6, plus Macau
///   groups: ["D:1", "D:4", "D:5"]
///   countries: [MO]
///   except: {groups: ["A:5", "A:6"]}
/// ```
public struct CountrySetDefinition: Codable, Sendable, Hashable {
    public var description: String?
    public var countries: [CountryCode]?
    public var groups: [String]?
    public var sets: [String]?
    public var except: CountrySetExclusion?
    public var source: String?
    public var confidence: Confidence?
}

/// The part of a ``CountrySetDefinition`` after `except:`.
public struct CountrySetExclusion: Codable, Sendable, Hashable {
    public var countries: [CountryCode]?
    public var groups: [String]?
    public var sets: [String]?
}

/// The AI Diffusion tiers: Tier 1 and Tier 3 as named sets, Tier 2 = every other country.
public struct TierDefinition: Codable, Sendable, Hashable {
    public var tier1: String
    public var tier3: String
    public var source: String
    public var confidence: Confidence
}

/// How a layer's block combines with the same block of earlier layers in a regime.
public enum MergeMode: String, Codable, Sendable {
    /// Earlier layers' entries are dropped.
    case replace
    /// Entries are evaluated before the earlier ones (licensing) or added after them (classification).
    case prepend
    case extend
}

/// Classification prongs (e.g. 3A090.a.1, .a.2, .b.1, .b.2, .c), tried in order; first match wins.
public struct ClassificationBlock: Codable, Sendable, Hashable {
    public var mode: MergeMode
    public var prongs: [ClassificationProng]

    public init(mode: MergeMode, prongs: [ClassificationProng]) {
        self.mode = mode
        self.prongs = prongs
    }
}

/// One paragraph of an ECCN as thresholds on an item's figures.
///
/// All given ranges must hold. A prong whose metric is unknown for the item (e.g. no die area)
/// cannot fire, and the classification says so.
public struct ClassificationProng: Codable, Sendable, Hashable {
    public enum Applicability: String, Codable, Sendable {
        /// Any item.
        case all
        /// Only items designed or marketed for datacenters (Note 2 to 3A090).
        case datacenter
    }

    public var id: String
    /// ECCN reported when the prong fires (`3A090.a`).
    public var eccn: String
    public var appliesTo: Applicability
    /// Item kinds the prong applies to (default: integrated circuits).
    public var kinds: [String]?
    public var tpp: ThresholdRange?
    public var performanceDensity: ThresholdRange?
    public var interconnectBandwidth: ThresholdRange?
    public var dramBandwidth: ThresholdRange?
    public var memoryBandwidthDensity: ThresholdRange?
    public var citation: String
    public var source: String
    public var confidence: Confidence
    /// Said in the reasons when a non-datacenter item is not caught because of `applies_to`.
    public var nonDatacenterNote: String?
    /// The product's reading where the text is unclear; emitted as a warning when it decides.
    public var assumption: String?

    public init(id: String, eccn: String, appliesTo: Applicability, kinds: [String]?, tpp: ThresholdRange?,
                performanceDensity: ThresholdRange?, interconnectBandwidth: ThresholdRange?, dramBandwidth: ThresholdRange?,
                memoryBandwidthDensity: ThresholdRange?, citation: String, source: String, confidence: Confidence,
                nonDatacenterNote: String?, assumption: String?) {
        self.id = id
        self.eccn = eccn
        self.appliesTo = appliesTo
        self.kinds = kinds
        self.tpp = tpp
        self.performanceDensity = performanceDensity
        self.interconnectBandwidth = interconnectBandwidth
        self.dramBandwidth = dramBandwidth
        self.memoryBandwidthDensity = memoryBandwidthDensity
        self.citation = citation
        self.source = source
        self.confidence = confidence
        self.nonDatacenterNote = nonDatacenterNote
        self.assumption = assumption
    }

    enum CodingKeys: String, CodingKey {
        case id, eccn
        case appliesTo = "applies_to"
        case kinds, tpp
        case performanceDensity = "performance_density"
        case interconnectBandwidth = "interconnect_bandwidth"
        case dramBandwidth = "dram_bandwidth"
        case memoryBandwidthDensity = "memory_bandwidth_density"
        case citation, source, confidence
        case nonDatacenterNote = "non_datacenter_note"
        case assumption
    }
}

/// Bounds on one figure: `min` (≥), `above` (>), `below` (<), `max` (≤). Units are the figure's.
public struct ThresholdRange: Codable, Sendable, Hashable {
    public var min: Double?
    public var above: Double?
    public var below: Double?
    public var max: Double?

    public init(min: Double? = nil, above: Double? = nil, below: Double? = nil, max: Double? = nil) {
        self.min = min
        self.above = above
        self.below = below
        self.max = max
    }

    public func contains(_ value: Double) -> Bool {
        if let min, value < min { return false }
        if let above, value <= above { return false }
        if let below, value >= below { return false }
        if let max, value > max { return false }
        return true
    }

    /// Human form, e.g. `>= 1600 and < 4800`.
    public var text: String {
        var parts: [String] = []
        if let min { parts.append(">= \(NumberText.plain(min))") }
        if let above { parts.append("> \(NumberText.plain(above))") }
        if let below { parts.append("< \(NumberText.plain(below))") }
        if let max { parts.append("<= \(NumberText.plain(max))") }
        return parts.joined(separator: " and ")
    }
}

/// Licensing rules, tried in order; the first that matches (and whose cap admits the shipment)
/// decides.
public struct LicensingBlock: Codable, Sendable, Hashable {
    public var mode: MergeMode
    /// With `mode: replace`, the layers whose rules are dropped (default: every earlier layer).
    public var replaces: [String]?
    public var rules: [LicenseRule]
}

/// A rule: conditions, an outcome, optionally a cap the outcome draws on, and its provenance.
public struct LicenseRule: Codable, Sendable, Hashable {
    public var id: String
    public var when: RuleCondition?
    public var then: RuleOutcome
    /// A cap the shipment must fit; on failure either `when_exceeded` applies or the next rule is tried.
    public var cap: CapCheck?
    /// Review policy that changes over time (e.g. H20: denial, then case-by-case from 2025-08-08).
    public var reviewPolicySchedule: [ScheduledReviewPolicy]?
    public var reason: String
    public var citation: String
    public var source: String
    public var confidence: Confidence
    public var assumption: String?

    enum CodingKeys: String, CodingKey {
        case id, when, then, cap
        case reviewPolicySchedule = "review_policy_schedule"
        case reason, citation, source, confidence, assumption
    }
}

/// A review policy in force from a date.
public struct ScheduledReviewPolicy: Codable, Sendable, Hashable {
    public var from: Day
    public var reviewPolicy: ReviewPolicy
    public var source: String
    public var confidence: Confidence

    enum CodingKeys: String, CodingKey {
        case from
        case reviewPolicy = "review_policy"
        case source, confidence
    }
}

/// What a rule decides.
public struct RuleOutcome: Codable, Sendable, Hashable {
    public var authorization: Authorization
    public var reviewPolicy: ReviewPolicy?
    /// Extra reason text appended when this outcome applies (e.g. after a cap is exhausted).
    public var reason: String?
    public var warning: String?

    public init(authorization: Authorization, reviewPolicy: ReviewPolicy?, reason: String? = nil, warning: String? = nil) {
        self.authorization = authorization
        self.reviewPolicy = reviewPolicy
        self.reason = reason
        self.warning = warning
    }

    enum CodingKeys: String, CodingKey {
        case authorization
        case reviewPolicy = "review_policy"
        case reason, warning
    }
}

/// The cap a rule draws on and what happens when it does not admit the shipment.
public struct CapCheck: Codable, Sendable, Hashable {
    /// Key into the regime's `caps`.
    public var cap: String
    /// Outcome when the cap is exceeded; nil = try the next rule.
    public var whenExceeded: RuleOutcome?
    /// Outcome for rows dated after the cap's window; nil = try the next rule.
    public var afterWindow: RuleOutcome?

    enum CodingKeys: String, CodingKey {
        case cap
        case whenExceeded = "when_exceeded"
        case afterWindow = "after_window"
    }
}

/// Conditions on a transaction; all given fields must hold. Set names refer to `country_sets`.
public struct RuleCondition: Codable, Sendable, Hashable {
    public var eccnIn: [String]?
    public var datacenter: Bool?
    public var destinationIn: String?
    public var destinationNotIn: String?
    public var consigneeHqIn: String?
    public var consigneeHqNotIn: String?
    public var exporterIn: String?
    public var exporterNotIn: String?
    /// Catalog names (or aliases) of items, e.g. H20-class chips named in is-informed letters.
    public var itemIn: [String]?
    /// `UVEU` or `NVEU`.
    public var veu: String?
    public var endUseIn: [String]?
    /// Per-unit TPP bounds.
    public var tpp: ThresholdRange?
    /// Per-unit DRAM bandwidth bounds, GB/s; unknown bandwidth never matches.
    public var dramBandwidth: ThresholdRange?
    public var anyOf: [RuleCondition]?
    public var allOf: [RuleCondition]?
    public var noneOf: [RuleCondition]?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case eccnIn = "eccn_in"
        case datacenter
        case destinationIn = "destination_in"
        case destinationNotIn = "destination_not_in"
        case consigneeHqIn = "consignee_hq_in"
        case consigneeHqNotIn = "consignee_hq_not_in"
        case exporterIn = "exporter_in"
        case exporterNotIn = "exporter_not_in"
        case itemIn = "item_in"
        case veu
        case endUseIn = "end_use_in"
        case tpp
        case dramBandwidth = "dram_bandwidth"
        case anyOf = "any_of"
        case allOf = "all_of"
        case noneOf = "none_of"
    }
}

/// A red flag: when its condition holds it adds a warning and may make authorizations unavailable
/// (e.g. red flag 28 removes AIA and UVEU for frontier training by a non-Tier-1 party).
public struct RedFlag: Codable, Sendable, Hashable {
    public var id: String
    public var when: RuleCondition
    public var warning: String
    public var removes: [Authorization]?
    public var citation: String
    public var source: String
    public var confidence: Confidence
}

/// How an allocation is counted. The mechanism is code; every number is in the definition.
public enum CapMechanism: String, Codable, Sendable {
    /// LPP: cumulative TPP per ultimate parent per calendar year (§ 740.29(d)).
    case perParentCalendarYear = "per_parent_calendar_year"
    /// Country allocation: cumulative licensed TPP per destination over a window (§ 742.6(b)(10)(iii)(B)).
    case perDestinationWindow = "per_destination_window"
    /// UVEU geographic distribution limits on the holder's installed base (Supp. 10 to part 748 ¶6).
    case uveuDistribution = "uveu_distribution"
    /// NVEU installed base per holder per country against a quarterly schedule (§ 748.15(a)(2)(iii)(B)).
    case nveuSchedule = "nveu_schedule"
}

/// A cap and its numbers. Which fields are required depends on ``mechanism``.
public struct CapDefinition: Codable, Sendable, Hashable {
    public var mechanism: CapMechanism
    public var description: String?
    public var citation: String
    /// Limit in TPP (LPP per parent-year; country allocation per window).
    public var limit: SourcedNumber?
    /// First and last day counted (country allocation: 2025-01-01 … 2027-12-31).
    public var window: DayWindow?
    /// Multipliers by named country set (Supplement No. 5(b): up to double).
    public var multipliers: [CapMultiplier]?
    /// UVEU: largest share of the installed base outside Tier 1.
    public var maxShareOutsideTier1: SourcedNumber?
    /// UVEU: largest share in any single non-Tier-1 country.
    public var maxShareSingleCountry: SourcedNumber?
    /// UVEU, US-headquartered holders: largest share outside the US.
    public var maxShareOutsideUSForUSHeadquartered: SourcedNumber?
    /// NVEU: permitted cumulative installed base per quarter.
    public var schedule: [QuarterAllocation]?
    public var scheduleSource: String?
    public var scheduleConfidence: Confidence?
    public var assumption: String?

    enum CodingKeys: String, CodingKey {
        case mechanism, description, citation, limit, window, multipliers
        case maxShareOutsideTier1 = "max_share_outside_tier1"
        case maxShareSingleCountry = "max_share_single_country"
        case maxShareOutsideUSForUSHeadquartered = "max_share_outside_us_for_us_headquartered"
        case schedule
        case scheduleSource = "schedule_source"
        case scheduleConfidence = "schedule_confidence"
        case assumption
    }
}

/// Inclusive range of days.
public struct DayWindow: Codable, Sendable, Hashable {
    public var from: Day
    public var through: Day

    public func contains(_ day: Day) -> Bool { day >= from && day <= through }
}

/// A multiplier for countries in a named set.
public struct CapMultiplier: Codable, Sendable, Hashable {
    public var set: String
    public var factor: Double
    public var source: String
    public var confidence: Confidence
}

/// NVEU permitted cumulative installed base for one quarter (`2025Q1`).
public struct QuarterAllocation: Codable, Sendable, Hashable {
    public var quarter: String
    public var installedBaseTPP: Double

    enum CodingKeys: String, CodingKey {
        case quarter
        case installedBaseTPP = "installed_base_tpp"
    }
}

/// The authorization a determination names (screening.md §6).
public enum Authorization: String, Codable, Sendable, CaseIterable {
    case NLR, AIA, LPP, ACA, NAC, UVEU, NVEU, LICENSE

    /// Whether a licence must be obtained (`LICENSE`); the others are exceptions, VEU or no licence.
    public var licenseRequired: Bool { self == .LICENSE }
}

/// Licence review policy (screening.md §6).
public enum ReviewPolicy: String, Codable, Sendable, CaseIterable {
    case presumptionOfApproval = "presumption_of_approval"
    case caseByCase = "case_by_case"
    case presumptionOfDenial = "presumption_of_denial"
    case policyOfDenial = "policy_of_denial"

    /// Denials do not grow a holder's installed base (screening.md §5).
    public var isDenial: Bool { self == .presumptionOfDenial || self == .policyOfDenial }
}

/// Plain number text without exponent: `4800`, `5.92`, `0.07`.
public enum NumberText {
    public static func plain(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(value)
        if text.contains("e") {
            // Fall back to fixed notation with enough digits for thresholds.
            let scaled = (value * 1_000_000).rounded() / 1_000_000
            text = String(scaled)
        }
        return text
    }
}
