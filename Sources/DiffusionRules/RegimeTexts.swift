/// The constant texts of determinations (rule reasons, codes, citations, warnings of the rule pack),
/// each stored once and named by an `Int32` id, so that a decision refers to them by number and a
/// writer can keep each one ready in its own output encoding (escaped JSON, for example).
struct TextRegistry: Sendable {
    private(set) var strings: [String] = []
    private var ids: [String: Int32] = [:]

    /// The id of `text`, adding it when new.
    mutating func id(_ text: String) -> Int32 {
        if let id = ids[text] { return id }
        let id = Int32(strings.count)
        strings.append(text)
        ids[text] = id
        return id
    }
}

/// One reason as three text ids: `{code, text, citation}`.
public struct ReasonIDs: Sendable, Hashable {
    public var code: Int32, text: Int32, citation: Int32
}

/// What a rule decides when it applies, with its texts as ids: authorization, review policy, and the
/// extra reason and warning the outcome adds (`when_exceeded.reason`, `after_window.warning`, ...).
struct OutcomeTexts: Sendable {
    var authorization: Authorization
    var reviewPolicy: ReviewPolicy?
    var reason: Int32?
    var warning: Int32?

    init(_ outcome: RuleOutcome, _ texts: inout TextRegistry) {
        authorization = outcome.authorization
        reviewPolicy = outcome.reviewPolicy
        reason = outcome.reason.map { texts.id($0) }
        warning = outcome.warning.map { texts.id($0) }
    }
}

/// A compiled rule's texts and outcomes, by id (one per rule of an epoch).
struct RuleTexts: Sendable {
    /// `{rule id, rule reason, rule citation}`.
    var reason: ReasonIDs
    /// Codes of the cap outcomes: `<rule>/cap`, `<rule>/cap-exceeded`, `<rule>/no-window`, `<rule>/outcome`.
    var capCode: Int32, capExceededCode: Int32, noWindowCode: Int32, outcomeCode: Int32
    /// The cap definition's citation (reasons about the cap cite it), or -1.
    var capCitation: Int32
    /// `TPP unknown: the shipment cannot be counted against <cap>`.
    var tppUnknown: Int32
    var then: OutcomeTexts
    var whenExceeded: OutcomeTexts?
    var afterWindow: OutcomeTexts?
    /// Warnings always attached when the rule decides (low confidence, assumptions), then the cap's
    /// assumption.
    var warnings: [Int32]
    /// Whether the review policy follows a dated schedule (``CompiledRule/reviewPolicy(_:on:)``).
    var hasSchedule: Bool

    init(_ rule: CompiledRule, _ texts: inout TextRegistry) {
        let check = rule.rule.cap?.cap ?? rule.rule.id
        reason = ReasonIDs(code: texts.id(rule.reason.code), text: texts.id(rule.reason.text), citation: texts.id(rule.reason.citation))
        capCode = texts.id(rule.capCode)
        capExceededCode = texts.id(rule.capExceededCode)
        noWindowCode = texts.id(rule.noWindowCode)
        outcomeCode = texts.id(rule.outcomeCode)
        capCitation = rule.cap.map { texts.id($0.citation) } ?? -1
        tppUnknown = texts.id("TPP unknown: the shipment cannot be counted against \(check)")
        then = OutcomeTexts(rule.rule.then, &texts)
        whenExceeded = rule.rule.cap?.whenExceeded.map { OutcomeTexts($0, &texts) }
        afterWindow = rule.rule.cap?.afterWindow.map { OutcomeTexts($0, &texts) }
        var warnings = rule.warnings.map { texts.id($0) }
        if let assumption = rule.cap?.assumption { warnings.append(texts.id("assumption (\(check)): \(assumption)")) }
        self.warnings = warnings
        hasSchedule = !(rule.rule.reviewPolicySchedule ?? []).isEmpty
    }
}

/// Texts that do not belong to one rule.
struct CommonTexts: Sendable {
    /// The reason when no rule requires a licence.
    var noLicence: ReasonIDs

    init(_ texts: inout TextRegistry) {
        noLicence = ReasonIDs(
            code: texts.id("no-licence-requirement"),
            text: texts.id("no rule in the layers applied on this date requires a licence for this item, destination and consignee"),
            citation: texts.id("15 CFR 742.6(a)(6); 744.23"))
    }
}
