import ComputeMetrics
import DiffusionRules
import PartyMatching

/// The part 744 stage, run on each row after the chip rules: declared end uses (§§ 744.2-744.4,
/// 744.21, 744.23), then, when lists are loaded, every party of the row (`consignee`,
/// `ultimate_parent`, `end_user`, `intermediate_consignee`, `purchaser`) against the entries in
/// force on the row's date, and the Affiliates Rule through an ownership file. Its findings combine
/// with the chip decision by ``StricterWins``. It is the screening run's ``RowStage``: the run calls
/// ``process(_:_:tables:)`` on every row in file order and gives back to the screener what a
/// tightened outcome no longer draws.
///
/// Not thread-safe (it caches each distinct party name's matches, so rows whose parties match
/// nothing cost a dictionary lookup): use one per run.
///
/// ```swift
/// let stage = PartyStage(rules: try EndUserRules(regime: "enforced", book: book), library: library,
///                        ownership: nil, algorithm: .default)
/// let summary = try ScreeningRun.screen(file, regime: compiled, snapshot: .empty, format: .jsonl,
///                                       sink: ByteSink.standardOutput(), stage: stage)
/// // each line ends with "party_hits":[...] ([] when nothing matched)
/// ```
public final class PartyStage: RowStage {
    public let rules: EndUserRules
    public let library: PartyLibrary?
    public let ownership: OwnershipGraph?
    public let algorithm: MatchAlgorithm
    let searcher: PartySearcher?
    let thresholds: Thresholds?
    /// End-use codes some layer of the regime controls (rows with other end uses skip that step).
    private let controlledEndUses: Set<String>
    private var matches: [Int64: [PartyMatch]] = [:]
    private var firstCountry: [(country: UInt16, matches: [PartyMatch])?] = []
    private var ownerMatches: [String: [PartyMatch]] = [:]
    private var ownedParties: [Int32: Bool] = [:]

    public init(rules: EndUserRules, library: PartyLibrary?, ownership: OwnershipGraph?, algorithm: MatchAlgorithm = .default) {
        self.rules = rules
        self.library = library
        self.ownership = ownership
        self.algorithm = algorithm
        self.searcher = library.map { PartySearcher(index: $0.index) }
        self.thresholds = library?.index.configuration.thresholds(algorithm)
        var codes = Set<String>()
        for (layer, _) in rules.selections { for rule in layer.endUserControls?.endUses ?? [] { codes.formUnion(rule.endUseIn) } }
        self.controlledEndUses = codes
    }

    /// Output ends with `party_hits` exactly when lists are loaded.
    public var screensParties: Bool { library != nil }

    /// Applies the stage to one row's chip decision, in place (``StricterWins``); returns the part 744
    /// reasons, warnings and (with lists) the party hits, or nil when the row has no part 744 finding
    /// and no lists are loaded.
    public func process(_ transaction: Transaction, _ decision: inout Decision, tables: ScreeningTables) -> RowAnnotations? {
        let endUse = transaction.endUse
        let checksEndUse = endUse != .unspecified && (controlledEndUses.contains(endUse.code) || endUse == .military || endUse == .wmd)
        guard library != nil || checksEndUse else { return nil }
        let names = tables.parties
        // Rows whose parties match nothing (and own nothing) cost a few cache lookups.
        if !checksEndUse, !anyFinding(transaction, names) { return RowAnnotations(partyHits: []) }
        let day = transaction.date
        let dayRules = rules.onDay(day)
        var findings = PartyFindings()
        if checksEndUse { endUses(transaction, dayRules, &findings) }
        if library != nil {
            for (role, party, country) in roleParties(transaction) {
                screen(role: role, name: names[party], party: party, names: names, country: country, day: day, dayRules, &findings)
            }
        }
        var annotations = StricterWins.combine(&decision, findings, tables: tables)
        if library != nil { annotations.partyHits = findings.hits }
        return annotations
    }

    /// Whether any party of the row has a match (any date) or an ownership record.
    private func anyFinding(_ t: Transaction, _ names: PartyTable) -> Bool {
        func found(_ party: Int32, _ country: CountryCode?) -> Bool {
            guard party >= 0 else { return false }
            if !matches(of: party, names: names, country: country).isEmpty { return true }
            return ownership != nil && owned(party, names)
        }
        return found(t.consignee, t.destination) || (t.ultimateParent != t.consignee && found(t.ultimateParent, t.consigneeHQ))
            || found(t.endUser, t.destination) || found(t.intermediateConsignee, nil) || found(t.purchaser, nil)
    }

    /// Whether the ownership file names owners of a party (cached per party).
    private func owned(_ party: Int32, _ names: PartyTable) -> Bool {
        if let known = ownedParties[party] { return known }
        let owned = ownership?.hasOwners(names[party]) ?? false
        ownedParties[party] = owned
        return owned
    }

    /// The row's parties with their roles and the country used as a qualifier: the destination for
    /// the consignee and end user, the headquarters country for the ultimate parent.
    private func roleParties(_ t: Transaction) -> [(String, Int32, CountryCode?)] {
        var out: [(String, Int32, CountryCode?)] = [("consignee", t.consignee, t.destination)]
        func add(_ role: String, _ party: Int32, _ country: CountryCode?) {
            if party >= 0, !out.contains(where: { $0.1 == party }) { out.append((role, party, country)) }
        }
        add("ultimate_parent", t.ultimateParent, t.consigneeHQ)
        add("end_user", t.endUser, t.destination)
        add("intermediate_consignee", t.intermediateConsignee, nil)
        add("purchaser", t.purchaser, nil)
        return out
    }

    // MARK: End uses

    private func endUses(_ t: Transaction, _ dayRules: DayRules, _ findings: inout PartyFindings) {
        let code = t.endUse.code
        let destination = rules.registry.index(of: t.destination)
        var applied = false
        for compiled in dayRules.endUses where compiled.rule.endUseIn.contains(code) && compiled.rule.applies(on: t.date) {
            if let set = compiled.destinations {
                guard let destination, set.contains(index: destination) else { continue }
            }
            applied = true
            findings.require(compiled.rule.then)
            findings.reasons.append(Reason(code: "end-use/\(compiled.rule.id)", text: "end use \(code): \(compiled.rule.reason)",
                                           citation: compiled.rule.citation))
            if let assumption = compiled.rule.assumption { findings.warnings.append("assumption (\(compiled.rule.id)): \(assumption)") }
        }
        if !applied {
            findings.reasons.append(Reason(code: "end-use/none",
                                           text: "end use \(code): no part 744 end-use control in the layers applied on this date covers destination \(t.destination)",
                                           citation: "15 CFR part 744"))
        }
    }

    // MARK: Parties

    /// The matches of a party's name with a country qualifier, searched once per run: a dense slot
    /// per party for its first country, a dictionary for others.
    private func matches(of party: Int32, names: PartyTable, country: CountryCode?) -> [PartyMatch] {
        let packed = country?.packed ?? 0
        let p = Int(party)
        if p < firstCountry.count, let slot = firstCountry[p], slot.country == packed { return slot.matches }
        let key = Int64(party) << 16 | Int64(packed)
        if let cached = matches[key] { return cached }
        let found = searcher!.search(PartyQuery(name: names[party], country: country?.description), algorithm: algorithm)
        if p >= firstCountry.count { firstCountry.append(contentsOf: repeatElement(nil, count: p - firstCountry.count + 1)) }
        if firstCountry[p] == nil { firstCountry[p] = (packed, found) } else { matches[key] = found }
        return found
    }

    private func screen(role: String, name: String, party: Int32, names: PartyTable, country: CountryCode?, day: Day, _ dayRules: DayRules,
                        _ findings: inout PartyFindings) {
        let library = library!
        let query = PartyQuery(name: name, country: country?.description)
        for match in matches(of: party, names: names, country: country) {
            let entry = library.entries[match.entry]
            guard entry.isInForce(on: day) else { continue }
            let explanation = searcher!.explain(query, match, algorithm: algorithm)
            findings.hits.append(PartyHit(
                partyRole: role, name: name, list: entry.list, entryID: entry.id, score: match.score,
                decision: match.decision.rawValue,
                explanation: PartyHitExplanation(basis: "name", matched: explanation.matchedName,
                                                 features: explanation.features.map { PartyHitFeature(feature: $0.name, value: $0.value, weight: $0.weight) },
                                                 text: explanation.summary)))
            let who = "\(role) \"\(name)\""
            let what = "\(entry.listName) entry \"\(entry.name)\" (\(entry.id), score \(MatchExplanation.fixed(match.score)))"
            guard match.decision == .match else {
                let t = thresholds!
                findings.warnings.append("possible match (review): \(who) resembles \(what), between the review (\(MatchExplanation.fixed(t.review))) and match (\(MatchExplanation.fixed(t.match))) thresholds: resolve it before shipping; it is not cleared automatically")
                continue
            }
            apply(entry, match: "\(who) matches \(what)", dayRules, &findings)
        }
        if let ownership, ownership.hasOwners(name) {
            affiliates(role: role, name: name, day: day, dayRules, ownership, &findings)
        }
    }

    /// Applies the policy of the entry's list to a match.
    func apply(_ entry: ListEntry, match: String, _ dayRules: DayRules, _ findings: inout PartyFindings) {
        guard let found = dayRules.policy(list: entry.list, programs: entry.programs) else {
            findings.warnings.append("\(match): no part 744 policy for list \(entry.list) is in force on this date in this regime; reported, not evaluated")
            return
        }
        let policy = found.policy, layer = found.layer
        if let outcome = outcome(of: entry, policy: policy, dayRules) {
            findings.require(outcome.outcome)
            findings.reasons.append(Reason(code: "party/\(entry.list)", text: "\(match): \(outcome.text)",
                                           citation: [policy.citation, entry.federalRegisterNotice].compactMap { $0 }.joined(separator: "; ")
                                               + " [\(layer)]"))
            findings.warnings += outcome.warnings
        } else {
            findings.warnings.append("\(match): \(policy.warning ?? policy.reason)")
        }
        if let unavailable = policy.unavailableAuthorizations, let when = policy.whenUnavailable {
            findings.unavailable = (unavailable, when)
            if policy.then == nil, policy.warning == nil { findings.warnings.append("\(match): \(policy.reason)") }
        }
    }

    /// The licence outcome a list policy gives an entry (nil when the list only warns), with the
    /// reason text and warnings.
    func outcome(of entry: ListEntry, policy: ListPolicy, _ dayRules: DayRules) -> (outcome: RuleOutcome, text: String, warnings: [String])? {
        guard var outcome = policy.then else { return nil }
        var text = policy.reason
        var warnings: [String] = []
        if policy.entryPolicy == true, let entryText = entry.licensePolicy, !entryText.isEmpty {
            if let named = dayRules.reviewPolicy(inEntryText: entryText) {
                outcome.reviewPolicy = named
                text += "; the entry's licence review policy: \"\(entryText)\""
            } else {
                warnings.append("\(entry.listName) entry \"\(entry.name)\" (\(entry.id)): its licence policy \"\(entryText)\" names no review policy the tool knows; the list's default \(outcome.reviewPolicy?.rawValue ?? "none") applies")
            }
        }
        if let requirement = entry.licenseRequirement, !requirement.isEmpty {
            text += "; licence requirement: \"\(requirement)\""
            let lower = requirement.lowercased()
            if !dayRules.allItemsPhrases.contains(where: { lower.contains($0.lowercased()) }) {
                warnings.append("assumption (\(entry.id)): the entry's licence requirement \"\(requirement)\" is read as covering this item")
            }
            for fdp in dayRules.foreignDirectProduct where requirement.contains(fdp.reference) {
                text += "; the entry names the foreign-direct-product rule § \(fdp.reference)\(footnote(after: fdp.reference, in: requirement)): \(fdp.text)"
            }
        }
        text += " -> \(outcome.authorization.rawValue) \(outcome.reviewPolicy?.rawValue ?? "")"
        return (outcome, text, warnings)
    }

    /// ` (footnote 3)` when the entry writes a footnote number after the reference (`734.9(g),3`).
    private func footnote(after reference: String, in text: String) -> String {
        guard let range = text.range(of: reference) else { return "" }
        var rest = text[range.upperBound...]
        if rest.first == "," { rest = rest.dropFirst() }
        let digits = rest.prefix { $0.isNumber }
        return digits.isEmpty ? "" : " (footnote \(digits))"
    }

    // MARK: Affiliates Rule

    /// Matches of an owner named in the ownership file (cached).
    func ownerMatches(_ name: String) -> [PartyMatch] {
        if let cached = ownerMatches[name] { return cached }
        let found = searcher!.search(PartyQuery(name: name), algorithm: algorithm).filter { $0.decision == .match }
        ownerMatches[name] = found
        return found
    }
}
