import ComputeMetrics

/// The classification of one item on one epoch, with its texts as ids (memoized per run).
struct ClassEntry: Sendable {
    /// Text id of the ECCN (`3A090.a`, `not-3A090`, `unknown`).
    var eccn: Int32
    var eccnBit: UInt64
    /// Range of the classification's reasons in ``ScreeningTables``' reason pool.
    var reasonStart: Int32, reasonCount: Int32
    /// Range of its warnings (classification warnings, then "TPP not in the catalog") in the warning pool.
    var warningStart: Int32, warningCount: Int32
}

/// Everything a writer needs to render the decisions of a run besides the decisions themselves:
/// the compiled regime, the run's items and parties, and the constant texts (the regime's, then the
/// classifications of the run's items). A value: the screening loop hands a copy to the threads that
/// format output, and only the loop adds to it (new items' classifications), so readers never race.
///
/// ```swift
/// var text = DeterminationText()
/// let tables = screener.tables
/// tables.text(of: transaction, decision, into: &text)
/// for reason in text.reasons { print(tables.texts[Int(reason.code)], tables.string(reason.text, in: text)) }
/// ```
public struct ScreeningTables: Sendable {
    public let regime: CompiledRegime
    public internal(set) var items: ItemTable
    public internal(set) var parties: PartyTable
    /// Constant texts by id: ``CompiledRegime``'s, then the run's.
    public private(set) var texts: [String]
    private var textIDs: [String: Int32] = [:]
    var classes: [ClassEntry] = []
    var reasonPool: [ReasonIDs] = []
    var warningPool: [Int32] = []

    init(regime: CompiledRegime, items: ItemTable, parties: PartyTable) {
        self.regime = regime
        self.items = items
        self.parties = parties
        self.texts = regime.texts
    }

    private mutating func textID(_ text: String) -> Int32 {
        if textIDs.isEmpty { for (i, text) in texts.enumerated() { textIDs[text] = Int32(i) } }
        if let id = textIDs[text] { return id }
        let id = Int32(texts.count)
        texts.append(text)
        textIDs[text] = id
        return id
    }

    /// Classifies `item` under `epoch`'s prongs and registers the texts (a new entry per call: the
    /// caller memoizes).
    mutating func addClass(epoch: Epoch, item: Int) -> Int32 {
        let spec = items[item]
        let result = epoch.classifier.classify(spec)
        let bit: UInt64 = 1 << UInt64(regime.eccnIndex[result.eccn] ?? 0)
        let reasonStart = Int32(reasonPool.count)
        for reason in result.reasons {
            reasonPool.append(ReasonIDs(code: textID(reason.code), text: textID(reason.text), citation: textID(reason.citation)))
        }
        let warningStart = Int32(warningPool.count)
        for warning in result.warnings { warningPool.append(textID(warning)) }
        if spec.tpp == nil {
            warningPool.append(textID("TPP of \(spec.name) is not in the catalog: it could not be classified or counted against caps; give the tpp column"))
        }
        classes.append(ClassEntry(eccn: textID(result.eccn), eccnBit: bit, reasonStart: reasonStart,
                                  reasonCount: Int32(reasonPool.count) - reasonStart, warningStart: warningStart,
                                  warningCount: Int32(warningPool.count) - warningStart))
        return Int32(classes.count - 1)
    }
}

// MARK: - Reading a decision

extension ScreeningTables {
    /// The ECCN of the decision's item on its date.
    public func eccn(_ decision: Decision) -> String { texts[Int(eccnID(decision))] }

    /// The text id of the ECCN (for writers that cache texts by id).
    public func eccnID(_ decision: Decision) -> Int32 { classes[Int(decision.classification)].eccn }

    /// Ids of the rule layers applied on the row's date.
    public func layers(_ decision: Decision) -> [String] { regime.epochs[Int(decision.epoch)].layerIDs }

    /// 1, 2 or 3, or nil when the regime has no tiers on the row's date.
    public func destinationTier(_ decision: Decision) -> Int? { decision.destinationTier < 0 ? nil : Int(decision.destinationTier) }

    public func consigneeHQTier(_ decision: Decision) -> Int? { decision.hqTier < 0 ? nil : Int(decision.hqTier) }

    /// The facts rule conditions test, for an epoch whose conditions are not flattened to bits.
    func rowFacts(_ transaction: Transaction, classification: Int32) -> RowFacts {
        let registry = regime.book.registry
        let item = Int(transaction.item)
        let spec = items[item]
        return RowFacts(
            destination: registry.index(of: transaction.destination) ?? 0, consigneeHQ: registry.index(of: transaction.consigneeHQ) ?? 0,
            exporter: registry.index(of: transaction.exporterCountry) ?? 0, eccnBit: classes[Int(classification)].eccnBit,
            datacenter: spec.datacenter ?? true, item: items.catalogItem[item], veu: transaction.veu, endUse: transaction.endUse,
            tppPerUnit: spec.tpp?.value, dramBandwidth: spec.dramBandwidthGBps)
    }

    /// The item as the input named it.
    public func item(_ transaction: Transaction) -> String { items.labels[Int(transaction.itemLabel)] }

    /// TPP of one unit of the row's item; nil when unknown.
    public func tppPerUnit(_ transaction: Transaction) -> TPP? { items.tppPerUnit[Int(transaction.item)] }

    /// H100-equivalents of the shipment (tpp_total / 15,832: the pack's `h100_equivalent`).
    public func h100Equivalents(_ decision: Decision) -> Double? { decision.tppTotal.map(regime.book.h100.h100Equivalents) }

    /// The named cap of a compact debit.
    public func capKey(_ debit: CapDebit) -> CapKey {
        let country = debit.countryIndex.map { regime.book.registry.countries[$0].code }
        switch debit.kind {
        case .lpp: return .lpp(parent: parties[debit.party!], year: debit.year!)
        case .countryAllocation: return .countryAllocation(country!)
        case .uveu: return .uveu(holder: parties[debit.party!], country: country!)
        case .nveu: return .nveu(holder: parties[debit.party!], country: country!)
        }
    }

    /// Writes the cap's name (`lpp/<parent>/<year>`, `country_allocation/<CC>`, ...) to `sink`.
    public func writeCapName<S: TextSink>(_ debit: CapDebit, to sink: inout S) {
        sink.literal(debit.kind.name)
        sink.literal("/")
        switch debit.kind {
        case .lpp:
            sink.text(parties[debit.party!])
            sink.literal("/")
            sink.integer(debit.year!)
        case .countryAllocation:
            sink.countryCode(regime.book.registry.countries[debit.countryIndex!].code)
        case .uveu, .nveu:
            sink.text(parties[debit.party!])
            sink.literal("/")
            sink.countryCode(regime.book.registry.countries[debit.countryIndex!].code)
        }
    }

    /// The whole determination with its texts, as the string-based ``Determination`` (`annotations`:
    /// reasons and warnings of a later per-row stage, appended after the chip rules', and its party
    /// hits).
    public func determination(_ transaction: Transaction, _ decision: Decision, annotations: RowAnnotations? = nil) -> Determination {
        var text = DeterminationText()
        self.text(of: transaction, decision, into: &text)
        var reasons = text.reasons.map { Reason(code: texts[Int($0.code)], text: string($0.text, in: text), citation: texts[Int($0.citation)]) }
        var warnings = text.warnings.map { string($0, in: text) }
        if let annotations {
            reasons += annotations.reasons
            warnings += annotations.warnings
        }
        return Determination(
            id: transaction.id, date: transaction.date, regime: regime.id, layers: layers(decision), item: item(transaction),
            eccn: eccn(decision), tppPerUnit: tppPerUnit(transaction), tppTotal: decision.tppTotal,
            h100Equivalents: h100Equivalents(decision), destination: transaction.destination,
            destinationTier: destinationTier(decision), consigneeHQTier: consigneeHQTier(decision),
            licenseRequired: decision.licenseRequired, authorization: decision.authorization, reviewPolicy: decision.reviewPolicy,
            debits: decision.debit.map { [Debit(cap: capKey($0), tpp: $0.tpp)] } ?? [], reasons: reasons, warnings: warnings,
            partyHits: annotations?.partyHits)
    }
}
