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

    /// Checks cap `capIndex` of `tables` for `row` on `epoch`, reading balances through `balances`.
    static func evaluate<B: BalanceSource>(_ capIndex: Int, tables: DecisionTables, epoch: Int, row: CapRow,
                                           balances: inout B) -> CapFigures {
        guard let total = row.total else { return CapFigures(verdict: .exceeded, failure: .tppUnknown) }
        let cap = tables.caps[capIndex]
        switch cap.mechanism {
        case .perParentCalendarYear:
            let year = row.date.year
            let used = balances.lppUsed(party: row.party, year: year)
            let after = used + total
            let fits = after <= cap.limit
            return CapFigures(verdict: fits ? .admitted : .exceeded, debit: fits ? .lpp(party: row.party, year: year, tpp: total) : nil,
                              used: used, after: after, limit: cap.limit)
        case .perDestinationWindow:
            guard let window = cap.window else { return CapFigures(verdict: .exceeded, failure: .noWindow) }
            if row.date < window.from || row.date > window.through { return CapFigures(verdict: .outsideWindow) }
            var limit = cap.limit
            var factor: Double?
            for i in Int(cap.multiplierStart)..<Int(cap.multiplierStart + cap.multiplierCount)
            where tables.multipliers[i].set.contains(index: row.destination) {
                limit = limit.scaled(by: tables.multipliers[i].factor)
                factor = tables.multipliers[i].factor
            }
            let used = balances.allocationUsed(destination: row.destination)
            let after = used + total
            let fits = after <= limit
            return CapFigures(verdict: fits ? .admitted : .exceeded,
                              debit: fits ? CapDebit(kind: .countryAllocation, key: Int64(row.destination), tpp: total) : nil,
                              used: used, after: after, limit: limit, factor: factor)
        case .nveuSchedule:
            let base = balances.nveuBase(party: row.party, destination: row.destination)
            // The permitted installed base of the row's quarter: the latest entry not after it (the
            // first entry before the schedule starts), as ``CompiledCap/scheduledBase(on:)``.
            let (year, month, _) = row.date.components
            let quarter = year * 4 + (month - 1) / 3
            var permitted = tables.schedules[Int(cap.scheduleStart)].tpp
            for i in Int(cap.scheduleStart)..<Int(cap.scheduleStart + cap.scheduleCount) where tables.schedules[i].quarter <= quarter {
                permitted = tables.schedules[i].tpp
            }
            let after = base + total
            let fits = after <= permitted
            return CapFigures(verdict: fits ? .admitted : .exceeded,
                              debit: fits ? .perHolder(.nveu, party: row.party, country: row.destination, tpp: total) : nil,
                              used: base, after: after, limit: permitted)
        case .uveuDistribution:
            return uveu(cap, tables: tables, epoch: epoch, row: row, total: total,
                        base: balances.uveuBase(party: row.party, destination: row.destination, tier1: tables.tier1[epoch]))
        }
    }

    /// UVEU geographic limits on the holder's base including this shipment (Supp. No. 10 to part 748 ¶6):
    /// at most 25% outside Tier 1, 7% in a single non-Tier-1 destination, and for a US-headquartered
    /// holder 50% outside the US (the shares are pack data).
    private static func uveu(_ cap: CapNumbers, tables: DecisionTables, epoch: Int, row: CapRow, total: TPP, base: UVEUBase) -> CapFigures {
        let destinationInTier1 = tables.tier1[epoch]?.contains(index: row.destination) ?? false
        let whole = base.total + total
        var figures = CapFigures(verdict: .exceeded, baseAfter: whole)
        guard whole.milli > 0 else {
            figures.failure = .emptyBase
            return figures
        }
        let wholeValue = Double(whole.milli)
        let outside = base.outsideTier1 + (destinationInTier1 ? .zero : total)
        var failed = false
        if let limit = cap.maxOutsideTier1 {
            let share = Double(outside.milli) / wholeValue
            figures.outsideTier1 = (share, limit)
            failed = failed || share > limit
        }
        if let limit = cap.maxSingleCountry, !destinationInTier1 {
            let share = Double((base.inDestination + total).milli) / wholeValue
            figures.singleCountry = (share, limit)
            failed = failed || share > limit
        }
        if let limit = cap.maxOutsideUS, row.consigneeHQ == .unitedStates {
            let inUS = base.inUS + (row.destination == tables.usIndex ? total : .zero)
            let share = Double((whole - inUS).milli) / wholeValue
            figures.outsideUS = (share, limit)
            failed = failed || share > limit
        }
        if !failed {
            figures.verdict = .admitted
            figures.debit = .perHolder(.uveu, party: row.party, country: row.destination, tpp: total)
        }
        return figures
    }
}
