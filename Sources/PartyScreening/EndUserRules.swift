import DiffusionRules

/// The part 744 controls a regime applies on each date: the `end_user_controls` blocks of its
/// layers (chip layers and `end_user_layers`) that are active on the date, merged in layer order.
///
/// Layers are selected as the chip rules select them (``RuleLayer/isActive(on:asWritten:)``), so
/// under `enforced` a suspended layer (the Affiliates Rule from 2025-11-10 through 2026-11-09) does
/// not apply while under `ai-diffusion-2025` (as written) it does. Rules are compiled once per
/// period in which nothing changes, all of them when it is made: afterwards it is immutable and can
/// be shared by concurrent runs (a service makes one per regime).
///
/// ```swift
/// let rules = try EndUserRules(regime: "enforced", book: book)
/// rules.onDay(Day("2025-10-15")!).affiliates?.rule.id   // "affiliates/50-percent"
/// ```
public final class EndUserRules: Sendable {
    public let regimeID: String
    let book: RuleBook
    let selections: [(layer: RuleLayer, asWritten: Bool)]
    /// Days on which something may change, sorted.
    let boundaries: [Day]
    /// The controls of each period (index: the number of boundaries on or before a day).
    private let periods: [DayRules]

    public init(regime id: String, book: RuleBook) throws(RuleBookError) {
        guard let definition = book.regimes[id] else {
            throw RuleBookError(message: "unknown regime \"\(id)\"")
        }
        var selections: [(RuleLayer, Bool)] = []
        for ref in definition.layers + (definition.endUserLayers ?? []) {
            guard let layer = book.layers[ref.layer] else {
                throw RuleBookError(message: "regime \(id) names unknown layer \"\(ref.layer)\"")
            }
            selections.append((layer, ref.asWritten ?? false))
        }
        self.regimeID = id
        self.book = book
        self.selections = selections
        let regimeSets = definition.countrySets ?? [:]
        var days = Set(book.groups.membershipChangeDays)
        for (layer, asWritten) in selections where layer.endUserControls != nil {
            days.formUnion(layer.boundaryDays(asWritten: asWritten))
            for suspension in layer.suspensions ?? [] { days.formUnion([suspension.from, suspension.through.next]) }
            for rule in layer.endUserControls?.endUses ?? [] {
                if let from = rule.from { days.insert(from) }
                if let through = rule.through { days.insert(through.next) }
            }
            for tgl in layer.endUserControls?.affiliates?.temporaryGeneralLicences ?? [] { days.formUnion([tgl.from, tgl.through.next]) }
        }
        let boundaries = days.sorted()
        self.boundaries = boundaries
        // Compile every period now: a bad country set in a layer is an error before any row is read.
        var periods = [try Self.compile(on: Day(ordinal: Int32.min / 2), selections: selections, regimeSets: regimeSets, book: book)]
        for day in boundaries { periods.append(try Self.compile(on: day, selections: selections, regimeSets: regimeSets, book: book)) }
        self.periods = periods
    }

    private func period(of day: Day) -> Int {
        var low = 0, high = boundaries.count
        while low < high {
            let mid = (low + high) / 2
            if boundaries[mid] <= day { low = mid + 1 } else { high = mid }
        }
        return low // number of boundaries on or before `day`
    }

    /// The controls in force on `day`.
    public func onDay(_ day: Day) -> DayRules { periods[period(of: day)] }

    private static func compile(on day: Day, selections: [(layer: RuleLayer, asWritten: Bool)],
                                regimeSets: [String: CountrySetDefinition], book: RuleBook) throws(RuleBookError) -> DayRules {
        var rules = DayRules()
        var setDefinitions = regimeSets
        var active: [RuleLayer] = []
        for (layer, asWritten) in selections {
            if layer.isActive(on: day, asWritten: asWritten) {
                active.append(layer)
                for (name, set) in layer.countrySets ?? [:] { setDefinitions[name] = set }
            } else if !asWritten, let suspension = layer.suspension(on: day), layer.isActive(on: day, asWritten: true),
                      let affiliates = layer.endUserControls?.affiliates {
                rules.suspendedAffiliates = (affiliates, layer.id, suspension)
            }
        }
        var resolver = SetResolver(definitions: setDefinitions, book: book, day: day)
        for layer in active {
            guard let block = layer.endUserControls else { continue }
            for policy in block.listPolicies ?? [] {
                rules.listPolicies.removeAll { $0.policy.list == policy.list && $0.policy.programs == policy.programs }
                rules.listPolicies.append((policy, layer.id))
            }
            if let phrases = block.reviewPolicyPhrases { rules.phrases = phrases }
            if let fdp = block.foreignDirectProductRules { rules.foreignDirectProduct = fdp }
            if let all = block.allItemsPhrases { rules.allItemsPhrases = all }
            for rule in block.endUses ?? [] {
                let set: CountrySet?
                if let name = rule.destinationIn {
                    do { set = try resolver.resolve(name) } catch {
                        throw RuleBookError(message: "layer \(layer.id): end use \(rule.id): \(error.message)")
                    }
                } else {
                    set = nil
                }
                rules.endUses.append(CompiledEndUse(rule: rule, destinations: set, layer: layer.id))
            }
            if let affiliates = block.affiliates {
                let selection = selections.first { $0.layer.id == layer.id }
                var lowConfidence: LayerSuspension?
                if selection?.asWritten == false, let ended = layer.suspensionEnded(before: day), ended.reimpositionConfidence != .high {
                    lowConfidence = ended
                }
                rules.affiliates = (affiliates, layer.id, lowConfidence)
                rules.suspendedAffiliates = nil
            }
        }
        return rules
    }

    /// The country registry (for destinations' indices).
    var registry: CountryRegistry { book.registry }
}

/// An end-use rule with its destinations resolved on the period's first day.
public struct CompiledEndUse: Sendable {
    public var rule: EndUseRule
    public var destinations: CountrySet?
    public var layer: String
}

/// The part 744 controls in force on one day.
public struct DayRules: Sendable {
    /// List policies with the layer that set each.
    public var listPolicies: [(policy: ListPolicy, layer: String)] = []
    public var phrases: [ReviewPolicyPhrase] = []
    public var foreignDirectProduct: [ForeignDirectProductRule] = []
    public var allItemsPhrases: [String] = []
    public var endUses: [CompiledEndUse] = []
    /// The Affiliates Rule when in force, its layer, and the suspension after which it was
    /// reimposed when that reimposition is not graded high.
    public var affiliates: (rule: AffiliatesRule, layer: String, reimposedAfter: LayerSuspension?)?
    /// The Affiliates Rule when it would apply as written but is suspended on this day.
    public var suspendedAffiliates: (rule: AffiliatesRule, layer: String, suspension: LayerSuspension)?

    /// The policy for an entry on `list` under `programs`: one naming a programme of the entry
    /// first, then the list's general policy.
    public func policy(list: String, programs: [String]) -> (policy: ListPolicy, layer: String)? {
        listPolicies.first { $0.policy.list == list && ($0.policy.programs.map { p in programs.contains(where: p.contains) } ?? false) }
            ?? listPolicies.first { $0.policy.list == list && $0.policy.programs == nil }
    }

    /// The review policy an entry's `license_policy` text names: the phrase written first wins.
    public func reviewPolicy(inEntryText text: String) -> ReviewPolicy? {
        let lower = text.lowercased()
        var best: (String.Index, ReviewPolicy)?
        for phrase in phrases {
            guard let range = lower.range(of: phrase.phrase.lowercased()) else { continue }
            if best == nil || range.lowerBound < best!.0 { best = (range.lowerBound, phrase.reviewPolicy) }
        }
        return best?.1
    }
}
