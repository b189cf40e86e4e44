import ComputeMetrics
import DiffusionRules

extension ReviewPolicy {
    /// Order for "stricter wins": policy of denial > presumption of denial > case by case >
    /// presumption of approval (and any of them > no licence).
    public var strictness: Int {
        switch self {
        case .presumptionOfApproval: return 1
        case .caseByCase: return 2
        case .presumptionOfDenial: return 3
        case .policyOfDenial: return 4
        }
    }

    /// The stricter of two review policies (nil = no licence needed).
    public static func stricter(_ a: ReviewPolicy?, _ b: ReviewPolicy?) -> ReviewPolicy? {
        guard let a else { return b }
        guard let b else { return a }
        return b.strictness > a.strictness ? b : a
    }
}

/// What the part 744 stage found on a row: the strictest licence requirement, authorizations made
/// unavailable, the reasons and warnings, and the party hits.
public struct PartyFindings: Sendable {
    /// Whether part 744 requires a licence, and the strictest review policy named.
    public var licenceRequired = false
    public var licenceReview: ReviewPolicy?
    /// Authorizations the party may not use, and the outcome when the chip outcome used one.
    public var unavailable: (authorizations: [Authorization], outcome: RuleOutcome)?
    public var reasons: [Reason] = []
    public var warnings: [String] = []
    public var hits: [PartyHit] = []

    public init() {}

    /// Records a licence requirement; the stricter review policy wins.
    public mutating func require(_ outcome: RuleOutcome) {
        guard outcome.authorization == .LICENSE else { return }
        licenceRequired = true
        licenceReview = ReviewPolicy.stricter(licenceReview, outcome.reviewPolicy)
    }
}

/// The combination step: the chip decision and the part 744 findings both apply; the stricter
/// licence requirement and review policy win, and both sets of reasons are kept (the chip rules'
/// first, then part 744's and, when the outcome changed, a `part744/stricter-wins` reason).
///
/// When the result is stricter than the chip outcome the decision is tightened
/// (``Decision/tighten(to:reviewPolicy:)``): a licence exception or VEU that no longer applies draws
/// no debit, a denied licence draws no country allocation and adds nothing to an installed base; the
/// reason names what is not drawn.
///
/// ```swift
/// // chip rules: LPP (lpp/Acme/2025 debited); part 744: Entity List match, presumption of denial
/// let annotations = StricterWins.combine(&decision, findings, tables: tables)
/// decision.authorization   // .LICENSE, decision.reviewPolicy == .presumptionOfDenial, decision.debit == nil
/// annotations.reasons.last?.code   // "part744/stricter-wins"
/// ```
public enum StricterWins {
    public static func combine(_ decision: inout Decision, _ findings: PartyFindings, tables: ScreeningTables) -> RowAnnotations {
        var annotations = RowAnnotations(reasons: findings.reasons, warnings: findings.warnings)
        let chipAuthorization = decision.authorization, chipReview = decision.reviewPolicy
        var authorization = chipAuthorization
        var review = chipReview
        if findings.licenceRequired {
            if authorization != .LICENSE {
                authorization = .LICENSE
                review = findings.licenceReview
            } else {
                review = ReviewPolicy.stricter(review, findings.licenceReview)
            }
        }
        if let unavailable = findings.unavailable, unavailable.authorizations.contains(authorization) {
            authorization = unavailable.outcome.authorization
            review = authorization == .LICENSE ? ReviewPolicy.stricter(review, unavailable.outcome.reviewPolicy) : nil
        }
        guard authorization != chipAuthorization || review != chipReview else { return annotations }
        let drawn = decision.debit
        decision.tighten(to: authorization, reviewPolicy: review)
        let chipText = chipAuthorization.rawValue + (chipReview.map { " \($0.rawValue)" } ?? "")
        let finalText = authorization.rawValue + (review.map { " \($0.rawValue)" } ?? "")
        var text = "the part 744 outcome is stricter than the chip rules' (\(chipText)): \(finalText) applies, with both sets of reasons"
        if let drawn, decision.debit == nil { text += "; not drawn: \(tables.capKey(drawn).name) \(drawn.tpp)" }
        annotations.reasons.append(Reason(code: "part744/stricter-wins", text: text, citation: "15 CFR 744.1(a); 15 CFR 732.3"))
        return annotations
    }
}
