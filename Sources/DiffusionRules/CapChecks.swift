import ComputeMetrics

/// What a cap check concluded (screening.md §3 rules 3-6).
enum CapVerdict: UInt8, Sendable {
    /// The shipment fits: the rule applies and draws the debit.
    case admitted
    /// It does not fit (or its TPP is unknown): `when_exceeded` applies, or the next rule is tried.
    case exceeded
    /// The row is dated outside the cap's window (country allocations after 2027): `after_window`
    /// applies, or the next rule is tried.
    case outsideWindow
}

/// A holder's installed base as a UVEU check reads it, before the shipment: whole, outside Tier 1,
/// in the destination and in the US (TPP of counted ECCNs; Supp. No. 10 to part 748 ¶6).
struct UVEUBase: Sendable {
    var total = TPP.zero, outsideTier1 = TPP.zero, inDestination = TPP.zero, inUS = TPP.zero
}

/// The row as cap checks see it: dates, parties and places as interned ids.
struct CapRow {
    var date: Day
    var party: Int32
    var destination: Int
    var destinationCode: CountryCode
    var consigneeHQ: CountryCode
    /// TPP of the shipment; nil when unknown.
    var total: TPP?
}

/// One cap check of one row with every number its reason prints. A pure function of the cap, the
/// row and the balances the row read (``CapFigures/evaluate(_:epoch:row:balances:)``), so the
/// screening loop and the writers (which re-run it on the recorded balances) agree exactly.
struct CapFigures: Sendable {
    enum Failure: UInt8, Sendable {
        case none
        /// The row's TPP is unknown (the reason is the rule's constant "TPP unknown" text).
        case tppUnknown
        /// UVEU: the holder's base including the shipment is empty.
        case emptyBase
        /// A country allocation without a window (refused when the pack is compiled).
        case noWindow
    }

    var verdict: CapVerdict
    /// A check that could not be made: the text says why instead of giving figures.
    var failure = Failure.none
    var debit: CapDebit?
    /// LPP, country allocation, NVEU: used (or base) before, after the shipment, and the limit.
    var used = TPP.zero, after = TPP.zero, limit = TPP.zero
    /// Country allocation: the Supplement No. 5(b) factor applied, if any.
    var factor: Double?
    /// UVEU: the base after the shipment, and each share limit tested (share after, limit) or nil.
    var baseAfter = TPP.zero
    var outsideTier1: (share: Double, limit: Double)?
    var singleCountry: (share: Double, limit: Double)?
    var outsideUS: (share: Double, limit: Double)?

    /// Checks `cap` for `row`, reading balances through `balances`.
    static func evaluate<B: BalanceSource>(_ cap: CompiledCap, epoch: Epoch, row: CapRow, balances: inout B) -> CapFigures {
        guard let total = row.total else { return CapFigures(verdict: .exceeded, failure: .tppUnknown) }
        switch cap.definition.mechanism {
        case .perParentCalendarYear:
            let year = row.date.year
            let used = balances.lppUsed(party: row.party, year: year)
            let after = used + total, limit = cap.limit ?? .zero
            let fits = after <= limit
            return CapFigures(verdict: fits ? .admitted : .exceeded, debit: fits ? .lpp(party: row.party, year: year, tpp: total) : nil,
                              used: used, after: after, limit: limit)
        case .perDestinationWindow:
            guard let window = cap.definition.window else { return CapFigures(verdict: .exceeded, failure: .noWindow) }
            if !window.contains(row.date) { return CapFigures(verdict: .outsideWindow) }
            var limit = cap.limit ?? .zero
            var factor: Double?
            for (set, multiplier) in cap.multipliers where set.contains(index: row.destination) {
                limit = limit.scaled(by: multiplier)
                factor = multiplier
            }
            let used = balances.allocationUsed(destination: row.destination)
            let after = used + total
            let fits = after <= limit
            return CapFigures(verdict: fits ? .admitted : .exceeded,
                              debit: fits ? CapDebit(kind: .countryAllocation, key: Int64(row.destination), tpp: total) : nil,
                              used: used, after: after, limit: limit, factor: factor)
        case .nveuSchedule:
            let base = balances.nveuBase(party: row.party, destination: row.destination)
            let after = base + total, permitted = cap.scheduledBase(on: row.date)
            let fits = after <= permitted
            return CapFigures(verdict: fits ? .admitted : .exceeded,
                              debit: fits ? .perHolder(.nveu, party: row.party, country: row.destination, tpp: total) : nil,
                              used: base, after: after, limit: permitted)
        case .uveuDistribution:
            return uveu(cap, epoch: epoch, row: row, total: total, base: balances.uveuBase(party: row.party, destination: row.destination, epoch: epoch))
        }
    }

    /// UVEU geographic limits on the holder's base including this shipment (Supp. No. 10 to part 748 ¶6):
    /// at most 25% outside Tier 1, 7% in a single non-Tier-1 destination, and for a US-headquartered
    /// holder 50% outside the US (the shares are pack data).
    private static func uveu(_ cap: CompiledCap, epoch: Epoch, row: CapRow, total: TPP, base: UVEUBase) -> CapFigures {
        let destinationInTier1 = epoch.tier1?.contains(index: row.destination) ?? false
        let whole = base.total + total
        var figures = CapFigures(verdict: .exceeded, baseAfter: whole)
        guard whole.milli > 0 else {
            figures.failure = .emptyBase
            return figures
        }
        let wholeValue = Double(whole.milli)
        let outside = base.outsideTier1 + (destinationInTier1 ? .zero : total)
        let definition = cap.definition
        var failed = false
        if let limit = definition.maxShareOutsideTier1 {
            let share = Double(outside.milli) / wholeValue
            figures.outsideTier1 = (share, limit.value)
            failed = failed || share > limit.value
        }
        if let limit = definition.maxShareSingleCountry, !destinationInTier1 {
            let share = Double((base.inDestination + total).milli) / wholeValue
            figures.singleCountry = (share, limit.value)
            failed = failed || share > limit.value
        }
        if let limit = definition.maxShareOutsideUSForUSHeadquartered, row.consigneeHQ == .unitedStates {
            let inUS = base.inUS + (row.destination == epoch.usIndex ? total : .zero)
            let share = Double((whole - inUS).milli) / wholeValue
            figures.outsideUS = (share, limit.value)
            failed = failed || share > limit.value
        }
        if !failed {
            figures.verdict = .admitted
            figures.debit = .perHolder(.uveu, party: row.party, country: row.destination, tpp: total)
        }
        return figures
    }
}
