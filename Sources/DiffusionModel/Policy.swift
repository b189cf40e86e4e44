import Foundation

/// Which US AI chips China may legally buy (spec §3.4 eq. 1, `q_allowed`).
public enum ChinaChipRegime: String, Codable, Sendable, CaseIterable {
    /// No controls: China buys its unconstrained demand share of world additions.
    case full
    /// Oct 2022 - Nov 2023: A800/H800 allowed (`h800_access_share` of unconstrained demand, in H100e).
    case h800
    /// Nov 2023 onward: only the H20 (`h20_units_2024` units/yr at `h20_train_h100e`).
    case h20
    /// Licence required and not granted (Apr 2025; or a full ban lever).
    case none
    /// Dec 2025 / Jan 2026: H200 case-by-case with a 50% volume cap (`h200_access_share`).
    case h200
    /// Hypothetical: a cut-down Blackwell (B30A) allowed (`b30a_access_share`).
    case b30a
}

/// China's export controls on critical minerals that matter for AI hardware (regulation-facts §7).
/// Raw values are the YAML keys under `minerals:`.
public enum Mineral: String, CaseIterable, Sendable {
    case galliumGermanium = "gallium_germanium"
    case graphite
    case antimony
    case rareEarths = "rare_earths"
    public var index: Int {
        switch self {
        case .galliumGermanium: 0
        case .graphite: 1
        case .antimony: 2
        case .rareEarths: 3
        }
    }
    public static let count = 4
}

/// How tightly China controls one mineral (regulation-facts §7).
public enum MineralControl: String, Codable, Sendable {
    /// No control.
    case none
    /// Export licensing for every destination (Ga/Ge Aug 2023, graphite Dec 2023, antimony Sep 2024,
    /// rare earths Apr 2025): `minerals_licensing_severity` of a ban's effect, everywhere but China and Russia.
    case licensing
    /// Exports to the US "in principle not permitted" (Announcement No. 46 [2024]): a full ban for the
    /// US, licensing for everyone else.
    case usBan = "us_ban"
    /// Extraterritorial controls (Announcement No. 61 [2025]: foreign items with >= 0.1% Chinese rare
    /// earths need a MOFCOM licence): a full ban's effect on every importer.
    case extraterritorial
}

/// What frontier outputs carry for distillation (the environment, not policy; dated by model releases).
public enum DistillationSource: String, Codable, Sendable {
    /// No strong API model to distil from.
    case none
    /// Final answers of chat models (ChatGPT API, Mar 2023): `distillation_answers_share` of the effect.
    case answers
    /// Visible reasoning traces (Gemini 2.0 Flash Thinking, Dec 2024; DeepSeek-R1 open, Jan 2025; Claude 3.7, Feb 2025): the full effect.
    case reasoning
}

/// A change to the policy state. Every field is optional; an event sets only what it names.
public struct PolicyChange: Codable, Sendable, Equatable {
    /// Which chips China may buy legally.
    public var cn_chip_regime: ChinaChipRegime?
    /// Share of China chip revenue paid to the US government (0.15 Aug 2025, 0.25 Dec 2025).
    public var cn_revenue_share: Double?
    /// Beijing discourages or bans purchases of allowed NVIDIA chips (applies `accept_cn_nvidia`).
    public var beijing_discourages_purchases: Bool?
    /// HBM export controls (Dec 2024): China's domestic packages are capped by HBM stacks from 2026.
    public var hbm_controls: Bool?
    /// Chip registry / location verification: smuggling and diversion cut by `enforcement_effect_e_enf`.
    public var chip_enforcement: Bool?
    /// Cloud KYC (IaaS CIP / Remote Access Security Act): offshore cloud and distillation access cut by `kyc_effectiveness`.
    public var cloud_kyc: Bool?
    /// Frontier-lab security level: `sl3` (today) or `sl45` (theft rate times `theft_rate_multiplier_sl4_5`).
    public var lab_security: LabSecurity?
    /// Actors allowed to host closed US frontier weights locally (their lag is then at most their adoption delay).
    public var weight_hosting_allowed: [Actor]?
    /// Publication openness of frontier labs, P in eq. (4) (1 = today's norms); also divides the
    /// domains' replication floors.
    public var publication_openness: Double?
    /// Share of the Chinese-origin researcher inflow to the US that visa policy diverts to China (0..1).
    public var visa_restriction: Double?
    /// Environment, not policy: what frontier outputs carry for distillation (dated model releases).
    public var distillation: DistillationSource?
    /// A US open-weight release in this quarter, this many OOM of effective compute below the US
    /// frontier run (times `us_open_gap_scale`). The release then ages one month per month.
    public var us_open_release_gap_oom: Double?
    /// The model behind `us_open_release_gap_oom` (documentation).
    public var us_open_release_model: String?
    /// From this date the US releases open weights every `us_open_release_interval_months`, at
    /// `us_open_release_gap_projection_oom` below its frontier (projection assumption).
    public var us_periodic_open_releases: Bool?
    /// Multiplier on the gap of periodic US open releases (1 = today; a weights lever raises it).
    public var us_open_release_gap_multiplier: Double?
    /// China's mineral controls, by mineral (keys: gallium_germanium, graphite, antimony, rare_earths).
    public var minerals: [String: MineralControl]?
    /// A rule pack governs legal chip exports from this date: its id as given to the engine
    /// (``PackGrants``); `none` returns to the modelled baseline.
    public var rule_pack: String?

    public init() {}

    func validate() throws(ValidationIssue) {
        func unit(_ v: Double?, _ key: String) throws(ValidationIssue) {
            if let v, !(v >= 0 && v <= 1) { throw ValidationIssue(path: [key], message: "must be between 0 and 1 (got \(formatNumber(v)))") }
        }
        try unit(cn_revenue_share, "cn_revenue_share")
        try unit(publication_openness, "publication_openness")
        try unit(visa_restriction, "visa_restriction")
        if let v = us_open_release_gap_oom, !(v >= 0 && v <= 5) {
            throw ValidationIssue(path: ["us_open_release_gap_oom"], message: "must be between 0 and 5 OOM (got \(formatNumber(v)))")
        }
        if let v = us_open_release_gap_multiplier, !(v >= 0 && v <= 10) {
            throw ValidationIssue(path: ["us_open_release_gap_multiplier"], message: "must be between 0 and 10 (got \(formatNumber(v)))")
        }
        for key in (minerals ?? [:]).keys.sorted() where Mineral(rawValue: key) == nil {
            throw ValidationIssue(path: ["minerals", key], message: "unknown mineral \"\(key)\" (known: \(Mineral.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
    }
}

public enum LabSecurity: String, Codable, Sendable { case sl3, sl45 }

/// A dated policy event: historical (in the timeline file) or a scenario's lever.
public struct PolicyEvent: Codable, Sendable, Equatable {
    /// `YYYY-MM-DD`; the change applies from the quarter whose middle is on or after this date.
    public var date: String
    public var title: String
    public var source: String
    /// high / medium / low (regulation-facts grades), A/B/C, or ASSUMPTION.
    public var confidence: String
    public var set: PolicyChange

    public init(date: String, title: String, source: String, confidence: String, set: PolicyChange) {
        self.date = date; self.title = title; self.source = source; self.confidence = confidence; self.set = set
    }

    /// Decimal year of `date`, or nil if malformed.
    public var decimalYear: Double? {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let dayOfYear = cumulative[parts[1] - 1] + parts[2] - 1
        return Double(parts[0]) + Double(dayOfYear) / 365.0
    }

    func validate() throws(ValidationIssue) {
        guard decimalYear != nil else { throw ValidationIssue(path: ["date"], message: "date \"\(date)\" is not YYYY-MM-DD") }
        if source.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationIssue(path: ["source"], message: "every event needs a source") }
        do { try set.validate() } catch { throw error.nested("set") }
    }
}

/// The historical policy timeline 2022-2026 (spec §3.8 step 2), as dated events, including China's
/// mineral counter-measures and their suspensions.
public struct PolicyTimeline: Codable, Sendable, Equatable {
    public var title: String
    public var events: [PolicyEvent]

    public init(title: String, events: [PolicyEvent]) { self.title = title; self.events = events }

    public func validate() throws(ValidationIssue) {
        for (i, e) in events.enumerated() {
            do { try e.validate() } catch { throw error.nested("[\(i)]").nested("events") }
        }
        var last = -Double.infinity
        for (i, e) in events.enumerated() {
            let y = e.decimalYear!
            if y < last { throw ValidationIssue(path: ["events", "[\(i)]", "date"], message: "events must be in date order") }
            last = y
        }
    }
}

/// The policy in force during one quarter (every field resolved).
public struct PolicyState: Sendable, Equatable {
    public var cnChipRegime: ChinaChipRegime = .full
    public var cnRevenueShare = 0.0
    public var beijingDiscourages = false
    public var hbmControls = false
    public var chipEnforcement = false
    public var cloudKYC = false
    public var labSecurity: LabSecurity = .sl3
    /// Indexed by `Actor.index`.
    public var weightHosting = [Bool](repeating: false, count: Actor.count)
    public var publicationOpenness = 1.0
    public var visaRestriction = 0.0
    public var distillation: DistillationSource = .none
    /// Gap (OOM, before `us_open_gap_scale`) of a one-off US open release in this quarter; NaN if none.
    public var usReleaseGap = Double.nan
    public var usPeriodicReleases = false
    public var usReleaseGapMultiplier = 1.0
    /// Indexed by `Mineral.index`.
    public var minerals = [MineralControl](repeating: .none, count: Mineral.count)
    /// Rule pack governing legal exports (id), nil for the modelled baseline.
    public var rulePack: String?

    public init() {}

    public mutating func apply(_ c: PolicyChange) {
        if let v = c.cn_chip_regime { cnChipRegime = v }
        if let v = c.cn_revenue_share { cnRevenueShare = v }
        if let v = c.beijing_discourages_purchases { beijingDiscourages = v }
        if let v = c.hbm_controls { hbmControls = v }
        if let v = c.chip_enforcement { chipEnforcement = v }
        if let v = c.cloud_kyc { cloudKYC = v }
        if let v = c.lab_security { labSecurity = v }
        if let v = c.weight_hosting_allowed { weightHosting = Actor.allCases.map { v.contains($0) } }
        if let v = c.publication_openness { publicationOpenness = v }
        if let v = c.visa_restriction { visaRestriction = v }
        if let v = c.distillation { distillation = v }
        if let v = c.us_open_release_gap_oom { usReleaseGap = usReleaseGap.isNaN ? v : min(usReleaseGap, v) }
        if let v = c.us_periodic_open_releases { usPeriodicReleases = v }
        if let v = c.us_open_release_gap_multiplier { usReleaseGapMultiplier = v }
        for (key, control) in c.minerals ?? [:] {
            if let m = Mineral(rawValue: key) { minerals[m.index] = control }
        }
        if let v = c.rule_pack { rulePack = v == "none" ? nil : v }
    }

    /// The state in each quarter of `calendar` after applying `events` in order; an event counts
    /// from the first quarter whose midpoint is on or after its date. A one-off US open release
    /// belongs to that quarter only.
    public static func perQuarter(events: [PolicyEvent], calendar: SimulationCalendar) -> [PolicyState] {
        let sorted = events.enumerated().sorted { ($0.element.decimalYear ?? 0, $0.offset) < ($1.element.decimalYear ?? 0, $1.offset) }.map(\.element)
        var result: [PolicyState] = []
        var state = PolicyState()
        var next = 0
        for q in 0..<calendar.totalQuarters {
            let mid = calendar.midTime(q)
            state.usReleaseGap = .nan
            while next < sorted.count, let y = sorted[next].decimalYear, y <= mid {
                state.apply(sorted[next].set)
                next += 1
            }
            result.append(state)
        }
        return result
    }
}
