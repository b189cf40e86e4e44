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
    /// AI Diffusion Rule Tier-2 country caps are enforced (numbers come from the rule data).
    public var tier2_caps: Bool?
    /// Chip registry / location verification: smuggling and diversion cut by `enforcement_effect_e_enf`.
    public var chip_enforcement: Bool?
    /// Cloud KYC (IaaS CIP / Remote Access Security Act): offshore cloud and distillation access cut by `kyc_effectiveness`.
    public var cloud_kyc: Bool?
    /// Frontier-lab security level: `sl3` (today) or `sl45` (theft rate times `theft_rate_multiplier_sl4_5`).
    public var lab_security: LabSecurity?
    /// Actors allowed to host closed US frontier weights locally (their lag is then at most the adoption delay).
    public var weight_hosting_allowed: [Actor]?
    /// Multiplier on the US open-release propensity (1 = today; 0 = no open release of near-frontier weights).
    public var us_open_release_multiplier: Double?
    /// Publication openness of frontier labs, P in eq. (4) (1 = today's norms).
    public var publication_openness: Double?
    /// Share of the Chinese-origin researcher inflow to the US that visa policy diverts to China (0..1).
    public var visa_restriction: Double?
    /// China's gallium/germanium ban level against the US (0..1).
    public var minerals_ban: Double?
    /// Rare-earth escalation on top of the minerals ban (adds `minerals_tail_penalty`).
    public var minerals_tail: Bool?
    /// Environment, not policy: availability of strong open-weight base models, O in eq. (4) (0..1). ASSUMPTION path.
    public var open_weight_availability: Double?
    /// Environment: how much frontier outputs (reasoning traces, APIs) can be distilled (0..1). ASSUMPTION path.
    public var distillation_environment: Double?

    public init() {}

    func validate() throws(ValidationIssue) {
        func unit(_ v: Double?, _ key: String) throws(ValidationIssue) {
            if let v, !(v >= 0 && v <= 1) { throw ValidationIssue(path: [key], message: "must be between 0 and 1 (got \(formatNumber(v)))") }
        }
        try unit(cn_revenue_share, "cn_revenue_share")
        try unit(publication_openness, "publication_openness")
        try unit(visa_restriction, "visa_restriction")
        try unit(minerals_ban, "minerals_ban")
        try unit(open_weight_availability, "open_weight_availability")
        try unit(distillation_environment, "distillation_environment")
        if let v = us_open_release_multiplier, !(v >= 0 && v <= 2) {
            throw ValidationIssue(path: ["us_open_release_multiplier"], message: "must be between 0 and 2 (got \(formatNumber(v)))")
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
    /// high / medium / low (regulation-facts grades) or A/B/C.
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

/// The historical policy timeline 2022-2026 (spec §3.8 step 2), as dated events.
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
    public var tier2Caps = false
    public var chipEnforcement = false
    public var cloudKYC = false
    public var labSecurity: LabSecurity = .sl3
    /// Indexed by `Actor.index`.
    public var weightHosting = [Bool](repeating: false, count: Actor.count)
    public var usOpenReleaseMultiplier = 1.0
    public var publicationOpenness = 1.0
    public var visaRestriction = 0.0
    public var mineralsBan = 0.0
    public var mineralsTail = false
    public var openWeightAvailability = 1.0
    public var distillationEnvironment = 1.0

    public init() {}

    public mutating func apply(_ c: PolicyChange) {
        if let v = c.cn_chip_regime { cnChipRegime = v }
        if let v = c.cn_revenue_share { cnRevenueShare = v }
        if let v = c.beijing_discourages_purchases { beijingDiscourages = v }
        if let v = c.hbm_controls { hbmControls = v }
        if let v = c.tier2_caps { tier2Caps = v }
        if let v = c.chip_enforcement { chipEnforcement = v }
        if let v = c.cloud_kyc { cloudKYC = v }
        if let v = c.lab_security { labSecurity = v }
        if let v = c.weight_hosting_allowed {
            weightHosting = Actor.allCases.map { v.contains($0) }
        }
        if let v = c.us_open_release_multiplier { usOpenReleaseMultiplier = v }
        if let v = c.publication_openness { publicationOpenness = v }
        if let v = c.visa_restriction { visaRestriction = v }
        if let v = c.minerals_ban { mineralsBan = v }
        if let v = c.minerals_tail { mineralsTail = v }
        if let v = c.open_weight_availability { openWeightAvailability = v }
        if let v = c.distillation_environment { distillationEnvironment = v }
    }

    /// The state in each quarter of `calendar` after applying `events` in order; an event counts
    /// from the first quarter whose midpoint is on or after its date.
    public static func perQuarter(events: [PolicyEvent], calendar: SimulationCalendar) -> [PolicyState] {
        let sorted = events.enumerated().sorted { ($0.element.decimalYear ?? 0, $0.offset) < ($1.element.decimalYear ?? 0, $1.offset) }.map(\.element)
        var result: [PolicyState] = []
        var state = PolicyState()
        var next = 0
        for q in 0..<calendar.totalQuarters {
            let mid = calendar.midTime(q)
            while next < sorted.count, let y = sorted[next].decimalYear, y <= mid {
                state.apply(sorted[next].set)
                next += 1
            }
            result.append(state)
        }
        return result
    }
}
