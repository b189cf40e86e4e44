import DiffusionRules

/// One export, reexport or in-country transfer of model weights to be screened.
public struct WeightsExportRequest: Sendable, Hashable {
    public var id: String
    public var date: Day
    /// Where the recipient that obtains the weights is located (ISO 3166-1 alpha-2).
    public var destination: CountryCode
    public var recipient: String
    /// Headquarters of the recipient's ultimate parent.
    public var recipientHQ: CountryCode

    public init(id: String, date: Day, destination: CountryCode, recipient: String, recipientHQ: CountryCode) {
        self.id = id
        self.date = date
        self.destination = destination
        self.recipient = recipient
        self.recipientHQ = recipientHQ
    }
}

/// The licence determination for exporting a model's weights under one regime.
public struct WeightsDetermination: Sendable {
    public var id: String
    public var date: Day
    public var regime: String
    public var layers: [String]
    public var model: String
    public var classification: WeightsClassification
    public var destination: CountryCode
    public var destinationTier: Int?
    public var recipientHQTier: Int?
    public var licenseRequired: Bool
    public var authorization: Authorization
    public var reviewPolicy: ReviewPolicy?
    /// Conditions that come with the authorization (AIA's storage condition), with citations.
    public var obligations: [Obligation]
    public var reasons: [Reason]
    public var warnings: [String]
}

/// Decides the authorization for a weights export: NLR when 4E091 does not apply (not in force,
/// or the weights are not controlled), otherwise the first matching rule of the block's licensing.
public enum WeightsExportEvaluator {
    public static func evaluate(_ request: WeightsExportRequest, classification: WeightsClassification,
                                provisions: WeightsProvisions, regime: WeightsRegime) throws(RuleBookError) -> WeightsDetermination {
        var reasons = classification.reasons
        var warnings = classification.warnings
        var authorization = Authorization.NLR
        var policy: ReviewPolicy?
        var obligations: [Obligation] = []
        let day = request.date

        if classification.status == .controlled, let block = provisions.block {
            var matched = false
            for rule in block.licensing where try matches(rule.when, request, regime: regime) {
                authorization = rule.authorization
                policy = rule.reviewPolicy
                reasons.append(Reason(code: rule.id, text: rule.reason, citation: rule.citation))
                if let assumption = rule.assumption { warnings.append(assumption) }
                if rule.confidence == .low { warnings.append("rule \(rule.id) rests on a low-confidence reading (\(rule.source))") }
                for obligation in rule.obligations ?? [] {
                    obligations.append(obligation)
                    if let from = obligation.appliesFrom, day < from {
                        warnings.append("obligation \(obligation.id): the paragraphs it names apply from \(from); before then they are the certification target")
                    }
                }
                matched = true
                break
            }
            if !matched {
                authorization = .LICENSE
                policy = .caseByCase
                warnings.append("no 4E091 licensing rule matched; licence required, review policy not stated by the rule data (case by case shown)")
            }
        } else if classification.status == .notInForce {
            if classification.meetsCriteria {
                warnings.append("as written, the weights would be \(provisions.block?.eccn ?? "4E091") (\(classification.operations.text) operations); the export would need an authorization where 4E091 applies")
            }
            reasons.append(Reason(code: "4e091/nlr", text: "4E091 does not apply on \(day): no licence required for the weights under this regime",
                                  citation: classification.reasons.first?.citation ?? ""))
        } else {
            reasons.append(Reason(code: "4e091/nlr", text: "the weights are not 4E091: no licence required under the model-weights control",
                                  citation: provisions.block?.citation ?? ""))
        }
        if authorization == .NLR {
            warnings.append("other EAR controls (embargoes under part 746, end-use and end-user controls under part 744) are not evaluated for weights")
        }
        return WeightsDetermination(
            id: request.id, date: day, regime: regime.id, layers: provisions.layers, model: classification.name,
            classification: classification, destination: request.destination,
            destinationTier: regime.tier(of: request.destination, on: day),
            recipientHQTier: regime.tier(of: request.recipientHQ, on: day),
            licenseRequired: authorization.licenseRequired, authorization: authorization, reviewPolicy: policy,
            obligations: obligations, reasons: reasons, warnings: unique(warnings))
    }

    static func matches(_ condition: RuleCondition?, _ request: WeightsExportRequest, regime: WeightsRegime) throws(RuleBookError) -> Bool {
        guard let c = condition else { return true }
        func member(_ set: String, _ country: CountryCode) throws(RuleBookError) -> Bool {
            guard let members = regime.members(set, on: request.date) else {
                throw RuleBookError(message: "country set \"\(set)\" is not defined on \(request.date) in regime \(regime.id)")
            }
            return members.contains(country)
        }
        if let set = c.destinationIn, try !member(set, request.destination) { return false }
        if let set = c.destinationNotIn, try member(set, request.destination) { return false }
        if let set = c.consigneeHqIn, try !member(set, request.recipientHQ) { return false }
        if let set = c.consigneeHqNotIn, try member(set, request.recipientHQ) { return false }
        if let any = c.anyOf {
            var found = false
            for child in any where try matches(child, request, regime: regime) { found = true; break }
            if !found { return false }
        }
        for child in c.allOf ?? [] where try !matches(child, request, regime: regime) { return false }
        for child in c.noneOf ?? [] where try matches(child, request, regime: regime) { return false }
        return true
    }
}
