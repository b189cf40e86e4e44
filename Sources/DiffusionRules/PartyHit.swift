/// A restricted-party finding on one row (output field `party_hits`): which party, which list
/// entry, the score and decision, and why.
///
/// ```json
/// {"party_role":"consignee","name":"HUAWEI TECHNOLOGIES COMPANY LIMITED","list":"entity_list",
///  "entry_id":"csl-2019#18","score":0.99,"decision":"match",
///  "explanation":{"basis":"name","matched":"Huawei Technologies Co., Ltd.","features":[...],"text":"..."}}
/// ```
public struct PartyHit: Sendable, Hashable {
    /// `consignee`, `ultimate_parent`, `end_user`, `intermediate_consignee` or `purchaser`.
    public var partyRole: String
    /// The party's name as written on the row.
    public var name: String
    /// List code of the entry (`entity_list`, `meu`, `dpl`, `sdn`, ...).
    public var list: String
    public var entryID: String
    /// In [0, 1]; three decimals are printed.
    public var score: Double
    /// `match` or `review`.
    public var decision: String
    public var explanation: PartyHitExplanation

    public init(partyRole: String, name: String, list: String, entryID: String, score: Double, decision: String,
                explanation: PartyHitExplanation) {
        self.partyRole = partyRole
        self.name = name
        self.list = list
        self.entryID = entryID
        self.score = score
        self.decision = decision
        self.explanation = explanation
    }
}

/// Why a party hit: by `name` (the matched listed name or alias, the features with values and
/// weights) or by `ownership` (the Affiliates Rule: the listed owners and their shares).
public struct PartyHitExplanation: Sendable, Hashable {
    public var basis: String
    /// The listed name or alias matched (by name), or the listed owner (by ownership).
    public var matched: String
    public var features: [PartyHitFeature]
    public var text: String

    public init(basis: String, matched: String, features: [PartyHitFeature], text: String) {
        self.basis = basis
        self.matched = matched
        self.features = features
        self.text = text
    }
}

/// One feature of a hit's score: `value * weight` is its contribution.
public struct PartyHitFeature: Sendable, Hashable {
    public var feature: String
    public var value: Double
    public var weight: Double

    public init(feature: String, value: Double, weight: Double) {
        self.feature = feature
        self.value = value
        self.weight = weight
    }
}
