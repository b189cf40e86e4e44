import ComputeMetrics

/// What screening one row produced: the determination and, when the row adds to a holder's
/// installed base (counted ECCN, not denied), that addition (recorded by the ledger on commit).
public struct ScreeningResult: Sendable {
    public var determination: Determination
    public var installedBaseAddition: (holder: String, country: CountryCode, tpp: TPP)?
}

/// Evaluates transactions under one compiled regime, in file order, carrying cap balances from
/// row to row (each row sees the debits of earlier rows; screening.md §5).
///
/// Pure and deterministic: it starts from a ``CapSnapshot`` (the ledger's balances, or empty) and
/// never touches the ledger itself. Not thread-safe: use one per run.
///
/// ```swift
/// let screener = Screener(regime: try book.compile(regime: "ai-diffusion-2025"),
///                         items: items, parties: parties, snapshot: .empty)
/// for transaction in transactions {
///     let result = screener.evaluate(transaction)
///     print(result.determination.authorization)
/// }
/// ```
public final class Screener {
    public let regime: CompiledRegime
    public private(set) var items: ItemTable
    public private(set) var parties: PartyTable
    private let registry: CountryRegistry
    private let h100: H100Equivalence
    private let usIndex: Int?

    private var lppUsed: [Int64: TPP] = [:]
    /// TPP counted against each destination's allocation, by registry index.
    private var allocationUsed: [TPP]
    /// Installed base by party index (parties are dense); nil for parties with none.
    private var bases: [InstalledBase?] = []
    /// Memo per epoch and item: the classification and its ECCN's bit.
    private var classifications: [[Int: (Classification, UInt64)]]

    /// Starts a run from ledger balances. Party names in the snapshot join `parties`.
    public init(regime: CompiledRegime, items: ItemTable, parties: PartyTable, snapshot: CapSnapshot) {
        self.regime = regime
        self.items = items
        self.parties = parties
        self.registry = regime.book.registry
        self.h100 = regime.book.h100
        self.usIndex = regime.book.registry.index(of: .unitedStates)
        self.allocationUsed = Array(repeating: .zero, count: regime.book.registry.countries.count)
        self.classifications = Array(repeating: [:], count: regime.epochs.count)
        for (key, tpp) in snapshot.lpp {
            lppUsed[Screener.lppKey(self.parties.intern(key.parent), key.year)] = tpp
        }
        for (country, tpp) in snapshot.countryAllocation {
            if let index = registry.index(of: country) { allocationUsed[index] = tpp }

        }
        for (holder, byCountry) in snapshot.installedBase.sorted(by: { $0.key < $1.key }) {
            let party = self.parties.intern(holder)
            var base = InstalledBase()
            for (country, tpp) in byCountry.sorted(by: { $0.key < $1.key }) {
                if let index = registry.index(of: country) { base.add(tpp, at: index) }
            }
            setBase(base, for: party)
        }
    }

    private static func lppKey(_ party: Int32, _ year: Int) -> Int64 { Int64(party) << 16 | Int64(year) }

    private func base(of party: Int32) -> InstalledBase? {
        Int(party) < bases.count ? bases[Int(party)] : nil
    }

    private func setBase(_ base: InstalledBase, for party: Int32) {
        let index = Int(party)
        if index >= bases.count { bases.append(contentsOf: repeatElement(nil, count: index - bases.count + 1)) }
        bases[index] = base
    }

    private func addToBase(_ tpp: TPP, at country: Int, for party: Int32) {
        let index = Int(party)
        if index >= bases.count { bases.append(contentsOf: repeatElement(nil, count: index - bases.count + 1)) }
        if bases[index] == nil { bases[index] = InstalledBase() }
        bases[index]!.add(tpp, at: country)
    }

    /// The classification of an item on an epoch and its ECCN's bit, memoized.
    private func classification(epoch: Int, item: Int) -> (Classification, UInt64) {
        if let cached = classifications[epoch][item] { return cached }
        let result = regime.epochs[epoch].classifier.classify(items[item])
        let bit: UInt64 = 1 << UInt64(regime.eccnIndex[result.eccn] ?? 0)
        classifications[epoch][item] = (result, bit)
        return (result, bit)
    }

    /// Screens one transaction and moves the run's balances.
    public func evaluate(_ transaction: Transaction) -> ScreeningResult {
        let epochIndex = regime.epochIndex(for: transaction.date)
        let epoch = regime.epochs[epochIndex]
        let item = Int(transaction.item)
        let spec = items[item]
        let (classification, eccnBit) = classification(epoch: epochIndex, item: item)
        let destination = registry.index(of: transaction.destination) ?? 0
        let hq = registry.index(of: transaction.consigneeHQ) ?? 0
        var reasons = classification.reasons
        var warnings = classification.warnings
        let facts = RowFacts(
            destination: destination, consigneeHQ: hq,
            exporter: registry.index(of: transaction.exporterCountry) ?? 0,
            eccnBit: eccnBit, datacenter: spec.datacenter ?? true, item: items.catalogItem[item],
            veu: transaction.veu, endUse: transaction.endUse,
            tppPerUnit: spec.tpp?.value, dramBandwidth: spec.dramBandwidthGBps)
        if spec.tpp == nil {
            warnings.append("TPP of \(spec.name) is not in the catalog: it could not be classified or counted against caps; give the tpp column")
        }
        // Unknown TPP (a catalog entry without it): classification says so and no cap admits the row.
        let total = spec.tpp?.multiplied(by: transaction.quantity)

        var removed: Set<Authorization> = []
        for flag in epoch.flags where flag.condition.matches(facts) {
            warnings.append(flag.flag.warning)
            for authorization in flag.flag.removes ?? [] { removed.insert(authorization) }
        }

        var outcome = RuleOutcome(authorization: .NLR, reviewPolicy: nil)
        var debits: [Debit] = []
        var decided = false
        let caps = epoch.compiledCaps
        for rule in epoch.rules {
            if !removed.isEmpty, removed.contains(rule.rule.then.authorization) { continue }
            guard rule.condition.matches(facts) else { continue }
            if let check = rule.rule.cap, let cap = caps[check.cap] {
                let verdict = total.map { capCheck(cap, epoch: epoch, transaction: transaction, destination: destination, total: $0) }
                    ?? .exceeded { "TPP unknown: the shipment cannot be counted against \(check.cap)" }
                switch verdict {
                case let .admitted(debit, text):
                    outcome = rule.rule.then
                    debits = [debit]
                    reasons.append(rule.reason)
                    reasons.append(Reason(code: rule.capCode, citation: cap.definition.citation, render: text))
                case let .exceeded(text):
                    reasons.append(Reason(code: rule.capExceededCode, citation: cap.definition.citation, render: text))
                    guard let whenExceeded = check.whenExceeded else { continue }
                    outcome = whenExceeded
                    reasons.append(rule.reason)
                case let .outsideWindow(text):
                    guard let afterWindow = check.afterWindow else {
                        reasons.append(Reason(code: rule.noWindowCode, text: text, citation: cap.definition.citation))
                        continue
                    }
                    outcome = afterWindow
                    reasons.append(rule.reason)
                    warnings.append(text)
                }
            } else {
                outcome = rule.rule.then
                reasons.append(rule.reason)
            }
            outcome.reviewPolicy = rule.reviewPolicy(outcome, on: transaction.date)
            if let extra = outcome.reason { reasons.append(Reason(code: rule.outcomeCode, text: extra, citation: rule.rule.citation)) }
            if let warning = outcome.warning { warnings.append(warning) }
            warnings += rule.warnings
            if let assumption = rule.cap?.assumption { warnings.append("assumption (\(check(rule))): \(assumption)") }
            decided = true
            break
        }
        if !decided {
            reasons.append(Reason(code: "no-licence-requirement",
                                  text: "no rule in the layers applied on this date requires a licence for this item, destination and consignee",
                                  citation: "15 CFR 742.6(a)(6); 744.23"))
        }
        // Part 744 end uses and restricted parties are evaluated after this, by PartyScreening.

        // Move balances.
        for debit in debits { apply(debit, transaction: transaction, destination: destination) }
        var addition: (String, CountryCode, TPP)?
        let denied = outcome.reviewPolicy?.isDenial ?? false
        if !denied, epoch.installedBaseMask & facts.eccnBit != 0, let total {
            addToBase(total, at: destination, for: transaction.ultimateParent)
            addition = (parties[transaction.ultimateParent], transaction.destination, total)
        }

        let determination = Determination(
            id: transaction.id, date: transaction.date, regime: regime.id, layers: epoch.layerIDs,
            item: items.labels[Int(transaction.itemLabel)], eccn: classification.eccn, tppPerUnit: spec.tpp, tppTotal: total,
            h100Equivalents: total.map(h100.h100Equivalents),
            destination: transaction.destination, destinationTier: epoch.tier(of: destination),
            consigneeHQTier: epoch.tier(of: hq), licenseRequired: outcome.authorization.licenseRequired,
            authorization: outcome.authorization, reviewPolicy: outcome.authorization.licenseRequired ? outcome.reviewPolicy : nil,
            debits: debits, reasons: reasons, warnings: warnings)
        return ScreeningResult(determination: determination, installedBaseAddition: addition)
    }

    private func check(_ rule: CompiledRule) -> String { rule.rule.cap?.cap ?? rule.rule.id }

    /// Takes back what ``evaluate(_:)`` moved for a row whose outcome a later stage made stricter
    /// (party screening: a listed party cannot use LPP, a denied licence draws no allocation): the
    /// debits no longer drawn and, for a row now denied, its installed-base addition.
    public func withdraw(_ debits: [Debit], installedBase tpp: TPP?, for transaction: Transaction) {
        let destination = registry.index(of: transaction.destination) ?? 0
        for debit in debits {
            switch debit.cap {
            case let .lpp(_, year):
                let key = Screener.lppKey(transaction.ultimateParent, year)
                lppUsed[key] = (lppUsed[key] ?? .zero) - debit.tpp
            case .countryAllocation:
                allocationUsed[destination] = allocationUsed[destination] - debit.tpp
            case .uveu, .nveu:
                break // installed bases: below
            }
        }
        if let tpp { addToBase(.zero - tpp, at: destination, for: transaction.ultimateParent) }
    }

    private func apply(_ debit: Debit, transaction: Transaction, destination: Int) {
        switch debit.cap {
        case let .lpp(_, year):
            let key = Screener.lppKey(transaction.ultimateParent, year)
            lppUsed[key] = (lppUsed[key] ?? .zero) + debit.tpp
        case .countryAllocation:
            allocationUsed[destination] = allocationUsed[destination] + debit.tpp
        case .uveu, .nveu:
            break // installed bases grow below for every non-denied counted row
        }
    }

    private enum CapVerdict {
        case admitted(Debit, @Sendable () -> String)
        case exceeded(@Sendable () -> String)
        case outsideWindow(String)
    }

    private func capCheck(_ cap: CompiledCap, epoch: Epoch, transaction: Transaction, destination: Int,
                          total: TPP) -> CapVerdict {
        let parent = parties[transaction.ultimateParent]
        switch cap.definition.mechanism {
        case .perParentCalendarYear:
            let year = transaction.date.year
            let used = lppUsed[Screener.lppKey(transaction.ultimateParent, year)] ?? .zero
            let limit = cap.limit ?? .zero
            let after = used + total
            if after <= limit {
                return .admitted(Debit(cap: .lpp(parent: parent, year: year), tpp: total)) {
                    "\(parent) has received \(used) TPP under LPP in \(year); with this shipment \(after) TPP of the \(limit) TPP limit"
                }
            }
            return .exceeded { "LPP not available: \(parent)'s \(year) total would be \(after) TPP, over the \(limit) TPP limit; a shipment is never split" }
        case .perDestinationWindow:
            guard let window = cap.definition.window else { return .exceeded { "cap has no window" } }
            let code = transaction.destination
            if !window.contains(transaction.date) {
                return .outsideWindow("no country allocation is defined for \(transaction.date) (the allocation covers \(window.from) to \(window.through))")
            }
            var limit = cap.limit ?? .zero
            var factorApplied: Double?
            for (set, factor) in cap.multipliers where set.contains(index: destination) {
                limit = limit.scaled(by: factor)
                factorApplied = factor
            }
            let used = allocationUsed[destination]
            let after = used + total
            let limitText = limit
            let appliedFactor = factorApplied
            let note: @Sendable () -> String = {
                appliedFactor.map { " (×\(NumberText.plain($0)) for a Supplement No. 5(b) destination)" } ?? ""
            }
            if after <= limit {
                return .admitted(Debit(cap: .countryAllocation(code), tpp: total)) {
                    "\(code) allocation: \(used) TPP licensed since \(window.from) + \(total) = \(after) of \(limitText)\(note())"
                }
            }
            return .exceeded { "\(code) allocation exhausted: \(used) TPP licensed since \(window.from) + \(total) = \(after), over \(limitText)\(note())" }
        case .uveuDistribution:
            return uveuCheck(cap, epoch: epoch, transaction: transaction, destination: destination, total: total)
        case .nveuSchedule:
            let base = base(of: transaction.ultimateParent)?.amount(in: destination) ?? .zero
            let after = base + total
            let permitted = cap.scheduledBase(on: transaction.date)
            let quarter = "\(transaction.date.year)Q\(transaction.date.quarter)"
            let destinationCode = transaction.destination
            if after <= permitted {
                return .admitted(Debit(cap: .nveu(holder: parent, country: destinationCode), tpp: total)) {
                    "NVEU installed base of \(parent) in \(destinationCode) would be \(after) TPP, within the \(quarter) allocation of \(permitted)"
                }
            }
            return .exceeded { "NVEU not available: installed base of \(parent) in \(destinationCode) would be \(after) TPP, over the \(quarter) allocation of \(permitted)" }
        }
    }

    private func uveuCheck(_ cap: CompiledCap, epoch: Epoch, transaction: Transaction, destination: Int,
                           total: TPP) -> CapVerdict {
        let parent = parties[transaction.ultimateParent]
        var base = base(of: transaction.ultimateParent) ?? InstalledBase()
        base.add(total, at: destination)
        let whole = Double(base.total.milli)
        guard whole > 0 else { return .exceeded { "UVEU: installed base is empty" } }
        var outsideTier1 = TPP.zero
        for (country, tpp) in base.countries where !(epoch.tier1?.contains(index: country) ?? false) {
            outsideTier1 = outsideTier1 + tpp
        }
        var failures: [String] = []
        var holds: [String] = []
        let definition = cap.definition
        if let limit = definition.maxShareOutsideTier1 {
            let share = Double(outsideTier1.milli) / whole
            let text = "outside Tier 1 \(percentText(share)) (limit \(percentText(limit.value)))"
            if share > limit.value { failures.append(text) } else { holds.append(text) }
        }
        if let limit = definition.maxShareSingleCountry, !(epoch.tier1?.contains(index: destination) ?? false) {
            let share = Double(base.amount(in: destination).milli) / whole
            let text = "in \(transaction.destination) \(percentText(share)) (limit \(percentText(limit.value)))"
            if share > limit.value { failures.append(text) } else { holds.append(text) }
        }
        if let limit = definition.maxShareOutsideUSForUSHeadquartered, transaction.consigneeHQ == .unitedStates {
            let inUS = usIndex.map { base.amount(in: $0) } ?? .zero
            let share = Double((base.total - inUS).milli) / whole
            let text = "outside the US \(percentText(share)) (limit \(percentText(limit.value)))"
            if share > limit.value { failures.append(text) } else { holds.append(text) }
        }
        let baseTotal = base.total
        let held = holds, failed = failures
        if failed.isEmpty {
            return .admitted(Debit(cap: .uveu(holder: parent, country: transaction.destination), tpp: total)) {
                "UVEU geographic limits hold after this shipment for \(parent)'s installed base of \(baseTotal) TPP: \(held.joined(separator: "; "))"
            }
        }
        return .exceeded { "UVEU not available: after this shipment \(parent)'s installed base would be \(failed.joined(separator: "; "))" }
    }
}
