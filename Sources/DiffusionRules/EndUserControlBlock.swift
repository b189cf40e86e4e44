/// Part 744 end-user and end-use controls carried by a rule layer (`end_user_controls:`): what a
/// match on each restricted-party list means, the end uses that need a licence, and the Affiliates
/// Rule. Evaluated per row, after the chip rules, by the `PartyScreening` module; the stricter
/// outcome wins.
///
/// ```yaml
/// end_user_controls:
///   list_policies:
///     - list: dpl
///       then: {authorization: LICENSE, review_policy: policy_of_denial}
///       reason: "party is on the Denied Persons List: its export privileges are denied"
///       citation: "15 CFR 736.2(b)(4) (General Prohibition Four)"
///       source: "..."
///       confidence: high
///   end_uses:
///     - id: 744.21/military-end-use
///       end_use_in: [military]
///       destination_in: military_end_use_744_21
///       then: {authorization: LICENSE, review_policy: presumption_of_denial}
///       ...
/// ```
public struct EndUserControlBlock: Codable, Sendable, Hashable {
    /// What a match on a list means; a later layer's policy for the same list and programmes replaces an earlier one.
    public var listPolicies: [ListPolicy]?
    /// Phrases of a list entry's `license_policy` text and the review policy each names (the one
    /// written first in the text wins).
    public var reviewPolicyPhrases: [ReviewPolicyPhrase]?
    /// Foreign-direct-product paragraphs an entry's licence requirement may name (§ 734.9).
    public var foreignDirectProductRules: [ForeignDirectProductRule]?
    /// Phrases that make an entry's licence requirement cover every item subject to the EAR.
    public var allItemsPhrases: [String]?
    public var endUses: [EndUseRule]?
    public var affiliates: AffiliatesRule?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case listPolicies = "list_policies"
        case reviewPolicyPhrases = "review_policy_phrases"
        case foreignDirectProductRules = "foreign_direct_product_rules"
        case allItemsPhrases = "all_items_phrases"
        case endUses = "end_uses"
        case affiliates
    }
}

/// What a match on one list (optionally only entries under some programmes) means.
public struct ListPolicy: Codable, Sendable, Hashable {
    /// List code (`entity_list`, `meu`, `dpl`, `sdn`, `uvl`, ...; see `parties/lists.yaml`).
    public var list: String
    /// Only entries under one of these programmes (SDN: § 744.8(a)(1) programmes); nil = every entry.
    public var programs: [String]?
    /// The licence outcome; nil when a match only warns (lists without an EAR licence requirement).
    public var then: RuleOutcome?
    /// Read the entry's own `license_policy` text (Entity List entries state their policy).
    public var entryPolicy: Bool?
    /// Authorizations not available to the party (§ 744.15, Unverified List: licence exceptions);
    /// a chip outcome that uses one becomes `when_unavailable`.
    public var unavailableAuthorizations: [Authorization]?
    public var whenUnavailable: RuleOutcome?
    public var reason: String
    public var warning: String?
    public var citation: String
    public var source: String
    public var confidence: Confidence

    enum CodingKeys: String, CodingKey {
        case list, programs, then
        case entryPolicy = "entry_policy"
        case unavailableAuthorizations = "unavailable_authorizations"
        case whenUnavailable = "when_unavailable"
        case reason, warning, citation, source, confidence
    }
}

/// `{phrase: "presumption of denial", review_policy: presumption_of_denial}`.
public struct ReviewPolicyPhrase: Codable, Sendable, Hashable {
    public var phrase: String
    public var reviewPolicy: ReviewPolicy

    enum CodingKeys: String, CodingKey {
        case phrase
        case reviewPolicy = "review_policy"
    }
}

/// A § 734.9 paragraph and what to say when an entry's licence requirement names it.
public struct ForeignDirectProductRule: Codable, Sendable, Hashable {
    /// As written in entries, e.g. `734.9(e)`.
    public var reference: String
    public var text: String
    public var source: String
    public var confidence: Confidence
}

/// A part 744 end-use control: a declared `end_use` to some destinations needs a licence.
public struct EndUseRule: Codable, Sendable, Hashable {
    public var id: String
    public var endUseIn: [String]
    /// A named country set (the layer's or the regime's `country_sets`); nil = any destination.
    public var destinationIn: String?
    /// First and last day the rule applies, when narrower than its layer.
    public var from: Day?
    public var through: Day?
    public var then: RuleOutcome
    public var reason: String
    public var citation: String
    public var source: String
    public var confidence: Confidence
    public var assumption: String?

    enum CodingKeys: String, CodingKey {
        case id
        case endUseIn = "end_use_in"
        case destinationIn = "destination_in"
        case from, through, then, reason, citation, source, confidence, assumption
    }

    public func applies(on day: Day) -> Bool {
        if let from, day < from { return false }
        if let through, day > through { return false }
        return true
    }
}

/// The Affiliates Rule: an entity owned `threshold` or more, directly or indirectly, individually
/// or in aggregate, by parties on the `owner_lists`, is subject to the most restrictive requirement
/// of those owners.
public struct AffiliatesRule: Codable, Sendable, Hashable {
    public var id: String
    public var threshold: SourcedNumber
    /// Lists (and programmes) whose entries' affiliates are covered.
    public var ownerLists: [ListSelector]
    public var reason: String
    public var citation: String
    public var source: String
    public var confidence: Confidence
    /// Warned when listed owners hold a share above zero but below the threshold (Red Flag 29).
    public var redFlag: RedFlagText?
    /// Temporary general licences that may authorize affiliate transactions (warned, not applied).
    public var temporaryGeneralLicences: [TemporaryGeneralLicence]?

    enum CodingKeys: String, CodingKey {
        case id, threshold, reason, citation, source, confidence
        case ownerLists = "owner_lists"
        case redFlag = "red_flag"
        case temporaryGeneralLicences = "temporary_general_licences"
    }
}

/// A list, optionally narrowed to entries under some programmes.
public struct ListSelector: Codable, Sendable, Hashable {
    public var list: String
    public var programs: [String]?

    /// Whether an entry on `list` under `programs` is selected.
    public func selects(list code: String, programs entryPrograms: [String]) -> Bool {
        guard code == list else { return false }
        guard let programs else { return true }
        return entryPrograms.contains(where: programs.contains)
    }
}

/// A red flag's warning and citation.
public struct RedFlagText: Codable, Sendable, Hashable {
    public var id: String
    public var warning: String
    public var citation: String
    public var source: String
    public var confidence: Confidence
}

/// A temporary general licence with its validity; the tool warns that it may apply and does not
/// decide its conditions.
public struct TemporaryGeneralLicence: Codable, Sendable, Hashable {
    public var id: String
    public var from: Day
    public var through: Day
    public var warning: String
    public var citation: String
    public var source: String
    public var confidence: Confidence
}

/// A period in which a layer is not enforced (`enforced` regime) although in effect as written.
///
/// ```yaml
/// suspensions:
///   - from: 2025-11-10
///     through: 2026-11-09
///     citation: "final rule of Nov. 10, 2025 (90 FR, No. 216, Nov. 12, 2025)"
///     source: "..."
///     confidence: high
///     reimposition_confidence: low
///     reimposition_warning: "applied again from 2026-11-10 as the suspension rule provides; whether BIS extended the suspension is not known here"
/// ```
public struct LayerSuspension: Codable, Sendable, Hashable {
    public var from: Day
    public var through: Day
    public var citation: String
    public var source: String
    public var confidence: Confidence
    /// How sure we are that enforcement resumed the day after `through`.
    public var reimpositionConfidence: Confidence
    /// Warned on every determination that depends on the layer after the suspension, when
    /// `reimposition_confidence` is not high.
    public var reimpositionWarning: String?
    /// Warned when the layer would have applied but is suspended on the row's date.
    public var suspendedNote: String?

    enum CodingKeys: String, CodingKey {
        case from, through, citation, source, confidence
        case reimpositionConfidence = "reimposition_confidence"
        case reimpositionWarning = "reimposition_warning"
        case suspendedNote = "suspended_note"
    }

    public func contains(_ day: Day) -> Bool { day >= from && day <= through }
}
