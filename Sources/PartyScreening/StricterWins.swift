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

/// The combination step: the chip determination and the part 744 findings both apply; the
/// stricter licence requirement and review policy win, and both sets of reasons are kept.
///
/// When the result is stricter than the chip outcome, what the chip outcome drew is given back: a
/// licence exception or VEU that no longer applies draws no debit, a denied licence draws no
/// country allocation and adds nothing to an installed base.
public enum StricterWins {
    public struct Combined {
        public var determination: Determination
        /// Debits the chip rules drew that no longer apply.
        public var withdrawnDebits: [Debit]
        /// The installed-base addition of the chip result, when the row is now denied.
        public var withdrawnBase: TPP?
    }

    public static func combine(_ chip: Determination, _ findings: PartyFindings, installedBase: TPP?) -> Combined {
        var out = chip
        out.reasons += findings.reasons
        out.warnings += findings.warnings
        var authorization = chip.authorization
        var review = chip.licenseRequired ? chip.reviewPolicy : nil
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
        guard authorization != chip.authorization || review != (chip.licenseRequired ? chip.reviewPolicy : nil) else {
            return Combined(determination: out, withdrawnDebits: [], withdrawnBase: nil)
        }
        let denied = review?.isDenial ?? false
        var withdrawn: [Debit] = []
        var kept: [Debit] = []
        for debit in chip.debits {
            // Exceptions and VEU draw only while they are the authorization; a licence's allocation
            // is drawn only if the licence can be granted.
            let keep = authorization == chip.authorization && !(denied && debit.cap.kind == "country_allocation")
            if keep { kept.append(debit) } else { withdrawn.append(debit) }
        }
        out.authorization = authorization
        out.licenseRequired = authorization.licenseRequired
        out.reviewPolicy = authorization.licenseRequired ? review : nil
        out.debits = kept
        let chipText = chip.authorization.rawValue + (chip.reviewPolicy.map { " \($0.rawValue)" } ?? "")
        let finalText = authorization.rawValue + (review.map { " \($0.rawValue)" } ?? "")
        var text = "the part 744 outcome is stricter than the chip rules' (\(chipText)): \(finalText) applies, with both sets of reasons"
        if !withdrawn.isEmpty { text += "; not drawn: \(withdrawn.map { "\($0.cap.name) \($0.tpp)" }.joined(separator: ", "))" }
        out.reasons.append(Reason(code: "part744/stricter-wins", text: text, citation: "15 CFR 744.1(a); 15 CFR 732.3"))
        let baseWithdrawn = denied && !chip.isDenial ? installedBase : nil
        return Combined(determination: out, withdrawnDebits: withdrawn, withdrawnBase: baseWithdrawn)
    }
}
