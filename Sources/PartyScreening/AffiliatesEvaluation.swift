import DiffusionRules
import PartyMatching

/// The Affiliates Rule on one row: the aggregate share of a party held, directly or indirectly, by
/// listed owners. An owner counts when it is itself on an owner list (matched by name, entry in
/// force on the row's date) or is restricted through its own owners (as OFAC counts 50% rule
/// ownership: a restricted intermediate's whole share counts, a minority one's does not).
extension PartyStage {
    enum OwnerStatus {
        case listed(ListedOwner)
        case affiliate(AffiliateFinding)

        var outcome: RuleOutcome {
            switch self {
            case let .listed(owner): return owner.outcome
            case let .affiliate(finding): return finding.outcome
            }
        }

        var listedOwners: [ListedOwner] {
            switch self {
            case let .listed(owner): return [owner]
            case let .affiliate(finding): return finding.listedOwners
            }
        }
    }

    func affiliates(role: String, name: String, day: Day, _ dayRules: DayRules, _ ownership: OwnershipGraph,
                    _ findings: inout PartyFindings) {
        let who = "\(role) \"\(name)\""
        if let active = dayRules.affiliates {
            var visiting: Set<String> = [ownership.key(name)]
            let (finding, minority) = affiliateFinding(of: name, rule: active.rule, day: day, dayRules, ownership, &visiting)
            guard let finding else {
                if minority > 0, let flag = active.rule.redFlag {
                    findings.warnings.append("\(flag.id): \(who) is \(percent(minority)) owned by listed parties (below \(percent(active.rule.threshold.value))): \(flag.warning) (\(flag.citation))")
                }
                return
            }
            findings.require(finding.outcome)
            let text = describe(finding, who: who, day: day)
            findings.reasons.append(Reason(code: "party/affiliate", text: "\(text); \(active.rule.reason) -> LICENSE \(finding.outcome.reviewPolicy?.rawValue ?? "")",
                                           citation: "\(active.rule.citation) [\(active.layer)]"))
            if let owner = finding.listedOwners.first {
                let entry = library!.entries[owner.entry]
                findings.hits.append(PartyHit(
                    partyRole: role, name: name, list: entry.list, entryID: entry.id, score: owner.score, decision: "match",
                    explanation: PartyHitExplanation(
                        basis: "ownership", matched: entry.name,
                        features: [PartyHitFeature(feature: "ownership.listed_share", value: finding.restrictedShare, weight: 1)],
                        text: text)))
            }
            if let suspension = active.reimposedAfter, let warning = suspension.reimpositionWarning {
                findings.warnings.append("\(suspension.reimpositionConfidence.rawValue) confidence (\(active.layer)): \(warning)")
            }
            for tgl in active.rule.temporaryGeneralLicences ?? [] where tgl.from <= day && day <= tgl.through {
                findings.warnings.append("\(tgl.id) (\(tgl.from) to \(tgl.through), \(tgl.confidence.rawValue) confidence on its dates): \(tgl.warning) (\(tgl.citation))")
            }
        } else if let suspended = dayRules.suspendedAffiliates {
            var visiting: Set<String> = [ownership.key(name)]
            guard let finding = affiliateFinding(of: name, rule: suspended.rule, day: day, dayRules, ownership, &visiting).finding else { return }
            let note = suspended.suspension.suspendedNote ?? "the Affiliates Rule is suspended on this date"
            findings.warnings.append("\(describe(finding, who: who, day: day)); \(note) (\(suspended.suspension.from) to \(suspended.suspension.through), \(suspended.suspension.citation)): not treated as listed")
        }
    }

    private func describe(_ finding: AffiliateFinding, who: String, day: Day) -> String {
        let owners = finding.countedOwners.map { "\"\($0.owner)\" \(percent($0.share)) (as of \($0.asOf))" }.joined(separator: ", ")
        let listed = finding.listedOwners.map { owner -> String in
            let entry = library!.entries[owner.entry]
            return "\"\(owner.name)\" = \(entry.listName) entry \"\(entry.name)\" (\(entry.id)\(entry.federalRegisterNotice.map { ", \($0)" } ?? ""))"
        }.joined(separator: "; ")
        return "\(who) is owned \(percent(finding.restrictedShare)) by listed or restricted parties on \(day): \(owners); listed owners: \(listed)"
    }

    /// The party's restriction through its owners (nil below the threshold) and, if nil, the share
    /// restricted owners hold (for Red Flag 29).
    func affiliateFinding(of name: String, rule: AffiliatesRule, day: Day, _ dayRules: DayRules, _ ownership: OwnershipGraph,
                          _ visiting: inout Set<String>) -> (finding: AffiliateFinding?, share: Double) {
        var share = 0.0
        var counted: [OwnershipRecord] = []
        var listed: [ListedOwner] = []
        var outcome: RuleOutcome?
        for record in ownership.owners(of: name, on: day) {
            guard let status = status(of: record.owner, rule: rule, day: day, dayRules, ownership, &visiting) else { continue }
            share += record.share
            counted.append(record)
            for owner in status.listedOwners where !listed.contains(where: { $0.entry == owner.entry }) { listed.append(owner) }
            let next = status.outcome
            if let current = outcome {
                outcome = RuleOutcome(authorization: .LICENSE, reviewPolicy: ReviewPolicy.stricter(current.reviewPolicy, next.reviewPolicy))
            } else {
                outcome = RuleOutcome(authorization: .LICENSE, reviewPolicy: next.reviewPolicy)
            }
        }
        // Shares are decimal fractions: compare with a tolerance far below any share written.
        guard let outcome, share >= rule.threshold.value - 1e-9 else { return (nil, share) }
        return (AffiliateFinding(listedOwners: listed, restrictedShare: share, countedOwners: counted, outcome: outcome), share)
    }

    /// An owner's status: on an owner list (the strictest of its in-force matches), or restricted
    /// through its own owners; nil otherwise (or when ownership loops back).
    private func status(of owner: String, rule: AffiliatesRule, day: Day, _ dayRules: DayRules, _ ownership: OwnershipGraph,
                        _ visiting: inout Set<String>) -> OwnerStatus? {
        var best: ListedOwner?
        for match in ownerMatches(owner) {
            let entry = library!.entries[match.entry]
            guard entry.isInForce(on: day), rule.ownerLists.contains(where: { $0.selects(list: entry.list, programs: entry.programs) }),
                  let policy = dayRules.policy(list: entry.list, programs: entry.programs)?.policy,
                  let outcome = outcome(of: entry, policy: policy, dayRules)?.outcome else { continue }
            if best == nil || (outcome.reviewPolicy?.strictness ?? 0) > (best!.outcome.reviewPolicy?.strictness ?? 0) {
                best = ListedOwner(name: owner, entry: match.entry, score: match.score, outcome: outcome)
            }
        }
        if let best { return .listed(best) }
        let key = ownership.key(owner)
        guard visiting.insert(key).inserted else { return nil }
        defer { visiting.remove(key) }
        return affiliateFinding(of: owner, rule: rule, day: day, dayRules, ownership, &visiting).finding.map(OwnerStatus.affiliate)
    }

    func percent(_ share: Double) -> String {
        let tenths = Int((share * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
