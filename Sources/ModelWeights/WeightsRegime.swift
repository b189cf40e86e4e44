import DiffusionRules

/// The 4E091 provisions of a regime on each date: which layer's `model_weights` block is in force,
/// or why none is (the layer did not exist yet, or was never enforced), and the country sets its
/// licensing rules name.
///
/// ```swift
/// let regime = try WeightsRegime(book: book, regime: "enforced")
/// regime.provisions(on: Day("2025-12-01")!).inForce   // false: 4E091 was never enforced
/// ```
public final class WeightsRegime: Sendable {
    public let id: String
    public let compiled: CompiledRegime
    /// Layers of the regime that carry a `model_weights` block, in regime order.
    let carriers: [(layer: RuleLayer, asWritten: Bool)]
    let book: RuleBook

    /// Country-set conditions allowed in a weights licensing rule.
    static let allowedConditionKeys = "destination_in, destination_not_in, consignee_hq_in, consignee_hq_not_in, any_of, all_of, none_of"

    public init(book: RuleBook, regime id: String) throws(RuleBookError) {
        self.compiled = try book.compile(regime: id)
        self.id = id
        self.book = book
        guard let definition = book.regimes[id] else { throw RuleBookError(message: "unknown regime \"\(id)\"") }
        var carriers: [(RuleLayer, Bool)] = []
        for ref in definition.layers {
            guard let layer = book.layers[ref.layer], let block = layer.modelWeights else { continue }
            let known = Set((layer.countrySets ?? [:]).keys).union((definition.countrySets ?? [:]).keys)
            for rule in block.licensing {
                try WeightsRegime.check(rule.when, rule: rule.id, layer: layer.id, knownSets: known)
            }
            carriers.append((layer, ref.asWritten ?? false))
        }
        self.carriers = carriers
    }

    private static func check(_ condition: RuleCondition?, rule: String, layer: String, knownSets: Set<String>) throws(RuleBookError) {
        guard let c = condition else { return }
        let unsupported = c.eccnIn != nil || c.datacenter != nil || c.exporterIn != nil || c.exporterNotIn != nil
            || c.itemIn != nil || c.veu != nil || c.endUseIn != nil || c.tpp != nil || c.dramBandwidth != nil
        if unsupported {
            throw RuleBookError(message: "layer \(layer): model_weights rule \(rule) may only use \(allowedConditionKeys)")
        }
        for name in [c.destinationIn, c.destinationNotIn, c.consigneeHqIn, c.consigneeHqNotIn].compactMap({ $0 })
        where !knownSets.contains(name) {
            throw RuleBookError(message: "layer \(layer): model_weights rule \(rule) names unknown country set \"\(name)\"")
        }
        for child in (c.anyOf ?? []) + (c.allOf ?? []) + (c.noneOf ?? []) {
            try check(child, rule: rule, layer: layer, knownSets: knownSets)
        }
    }

    /// What applies on `day`.
    public func provisions(on day: Day) -> WeightsProvisions {
        let layers = compiled.layerIDs(on: day)
        if let active = carriers.last(where: { layers.contains($0.layer.id) }), let block = active.layer.modelWeights {
            var warnings: [String] = []
            if active.asWritten, let until = active.layer.enforcedUntil {
                var text = "applied as written: \(active.layer.title) was not enforced after \(until)"
                if let note = active.layer.statusNote { text += " (\(note))" }
                warnings.append(text)
            }
            return WeightsProvisions(block: block, layerID: active.layer.id, inForce: true, notInForce: nil,
                                     warnings: warnings, layers: layers)
        }
        guard let latest = carriers.last(where: { $0.layer.effectiveFrom <= day }) ?? carriers.first,
              let block = latest.layer.modelWeights else {
            return WeightsProvisions(block: nil, layerID: nil, inForce: false,
                                     notInForce: Reason(code: "4e091/absent",
                                                        text: "regime \(id) has no 4E091 (model-weights) provisions",
                                                        citation: "15 CFR part 774, Supp. No. 1"),
                                     warnings: [], layers: layers)
        }
        let layer = latest.layer
        var text: String
        if day < layer.effectiveFrom {
            text = "4E091 did not exist before \(layer.effectiveFrom) (\(layer.id))"
        } else if let compliance = layer.complianceFrom, let until = layer.enforcedUntil, until < compliance {
            text = "4E091 (\(layer.id), effective \(layer.effectiveFrom)) was never enforced: compliance was due \(compliance) and enforcement stopped \(until)"
        } else if let until = layer.enforcedUntil, day > until {
            text = "4E091 (\(layer.id)) has not been enforced since \(until.next)"
        } else if let compliance = layer.complianceFrom, day < compliance {
            text = "4E091 (\(layer.id)) compliance was not yet due on \(day) (due \(compliance))"
        } else {
            text = "4E091 (\(layer.id)) does not apply on \(day) under regime \(id)"
        }
        if let note = layer.statusNote, day >= layer.effectiveFrom { text += "; \(note)" }
        return WeightsProvisions(block: block, layerID: layer.id, inForce: false,
                                 notInForce: Reason(code: "4e091/not-in-force", text: text, citation: layer.citation),
                                 warnings: [], layers: layers)
    }

    /// Members of a country set of the regime on `day` (nil when the set is not defined that day).
    public func members(_ set: String, on day: Day) -> Set<CountryCode>? {
        compiled.members(ofSet: set, on: day).map(Set.init)
    }

    /// The AI Diffusion tier of a country on `day`, or nil without tiers.
    public func tier(of country: CountryCode, on day: Day) -> Int? { compiled.tier(of: country, on: day) }
}

/// The 4E091 provisions on one date (see ``WeightsRegime/provisions(on:)``).
public struct WeightsProvisions: Sendable {
    /// The block in force, or — when none is — the block as written (for "would be controlled").
    public var block: ModelWeightsBlock?
    /// The layer the block comes from.
    public var layerID: String?
    public var inForce: Bool
    /// Why 4E091 does not apply, when it does not.
    public var notInForce: Reason?
    /// Warnings that go with every result on this date (the framework applied as written).
    public var warnings: [String]
    /// Layers of the regime applied on the date.
    public var layers: [String]
}
