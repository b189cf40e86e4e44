import ComputeMetrics

/// Receives text pieces and encodes them for one output (escaped JSON, a `String`, ...). Writers
/// implement it so that reason sentences are rendered straight into their output buffer.
public protocol TextSink {
    /// A fixed piece of a sentence: no quote, backslash or control character, so no encoding changes it.
    mutating func literal(_ text: StaticString)
    /// Text from the rule pack or the input (a party name, a rule's reason): may need escaping.
    mutating func text(_ text: String)
    /// An amount as plain decimal text (``TPP/description``).
    mutating func tpp(_ value: TPP)
    mutating func integer(_ value: Int)
    /// A two-letter country code.
    mutating func countryCode(_ code: CountryCode)
}

/// Collects text in a `String` (the string-based ``Determination``, CSV and table output).
public struct StringSink: TextSink {
    public var string = ""
    public init() {}
    public mutating func literal(_ text: StaticString) { string += text.description }
    public mutating func text(_ text: String) { string += text }
    public mutating func tpp(_ value: TPP) { string += value.description }
    public mutating func integer(_ value: Int) { string += String(value) }
    public mutating func countryCode(_ code: CountryCode) { string += code.description }
}

/// A piece of determination text: a constant (``ScreeningTables/texts`` by id) or a sentence with
/// the figures of a cap check, rendered on demand.
public struct Phrase: Sendable, Hashable {
    let raw: Int32

    /// The id of a constant text, or nil for a sentence.
    public var constant: Int32? { raw >= 0 ? raw : nil }
}

/// The reasons and warnings of one determination as phrases, in output order (screening.md §6).
/// Filled by ``ScreeningTables/text(of:_:into:)``; keep one per thread and reuse it: after the first
/// rows it allocates nothing.
public struct DeterminationText: Sendable {
    public struct ReasonEntry: Sendable {
        /// Text ids of the code and the citation.
        public var code: Int32, citation: Int32
        public var text: Phrase
    }

    struct Sentence: Sendable {
        var epoch: Int32
        var rule: Int32
        var figures: CapFigures
    }

    public private(set) var reasons: [ReasonEntry] = []
    public private(set) var warnings: [Phrase] = []
    var sentences: [Sentence] = []
    /// The row the sentences are about.
    var row = CapRow(date: Day(ordinal: 0), party: 0, destination: 0, destinationCode: .unitedStates, consigneeHQ: .unitedStates)

    public init() {}

    mutating func reset(row: CapRow) {
        reasons.removeAll(keepingCapacity: true)
        warnings.removeAll(keepingCapacity: true)
        sentences.removeAll(keepingCapacity: true)
        self.row = row
    }

    mutating func add(_ ids: ReasonIDs) { reasons.append(ReasonEntry(code: ids.code, citation: ids.citation, text: Phrase(raw: ids.text))) }

    mutating func sentence(_ epoch: Int32, _ rule: Int, _ figures: CapFigures) -> Phrase {
        sentences.append(Sentence(epoch: epoch, rule: Int32(rule), figures: figures))
        return Phrase(raw: -Int32(sentences.count))
    }

    mutating func addReason(code: Int32, citation: Int32, text: Phrase) {
        reasons.append(ReasonEntry(code: code, citation: citation, text: text))
    }

    mutating func addWarning(_ phrase: Phrase) { warnings.append(phrase) }
}

/// Records a rule walk's texts into a ``DeterminationText``: turns its events into the rule pack's
/// texts (by id) and the cap checks into sentences.
private struct TextTrace: WalkTrace {
    var text: DeterminationText
    let epochIndex: Int32
    unowned(unsafe) let epoch: Epoch

    mutating func flag(_ index: Int) { text.addWarning(Phrase(raw: epoch.flagWarnings[index])) }

    mutating func ruleReason(_ rule: Int) { text.add(epoch.ruleTexts[rule].reason) }

    mutating func capReason(_ rule: Int, _ kind: CapReasonKind, _ figures: CapFigures) {
        let texts = epoch.ruleTexts[rule]
        let code: Int32
        switch kind {
        case .admitted: code = texts.capCode
        case .exceeded: code = texts.capExceededCode
        case .noWindow: code = texts.noWindowCode
        }
        let phrase = figures.failure == .tppUnknown ? Phrase(raw: texts.tppUnknown) : text.sentence(epochIndex, rule, figures)
        text.addReason(code: code, citation: texts.capCitation, text: phrase)
    }

    mutating func capWarning(_ rule: Int, _ figures: CapFigures) { text.addWarning(text.sentence(epochIndex, rule, figures)) }

    mutating func decided(_ rule: Int, _ outcome: AppliedOutcome) {
        let texts = epoch.ruleTexts[rule]
        let applied: OutcomeTexts?
        switch outcome {
        case .then: applied = texts.then
        case .whenExceeded: applied = texts.whenExceeded
        case .afterWindow: applied = texts.afterWindow
        }
        if let extra = applied?.reason { text.add(ReasonIDs(code: texts.outcomeCode, text: extra, citation: texts.reason.citation)) }
        if let warning = applied?.warning { text.addWarning(Phrase(raw: warning)) }
        for warning in texts.warnings { text.addWarning(Phrase(raw: warning)) }
    }
}

extension ScreeningTables {
    /// Fills `text` with the reasons and warnings of `decision`, in output order: the classification's
    /// reasons; its warnings and the red flags'; then the rule walk's (re-run on the balances the
    /// decision recorded, so it takes the row's path); "no licence requirement" when no rule decided.
    public func text(of transaction: Transaction, _ decision: Decision, into text: inout DeterminationText) {
        let epochIndex = Int(decision.epoch)
        let epoch = regime.epochs[epochIndex]
        let entry = classes[Int(decision.classification)]
        let row = CapRow(date: transaction.date, party: transaction.ultimateParent,
                         destination: regime.book.registry.index(of: transaction.destination) ?? 0,
                         destinationCode: transaction.destination, consigneeHQ: transaction.consigneeHQ, total: decision.tppTotal)
        var trace = TextTrace(text: DeterminationText(), epochIndex: decision.epoch, epoch: epoch)
        swap(&trace.text, &text)
        trace.text.reset(row: row)
        for i in entry.reasonStart..<(entry.reasonStart + entry.reasonCount) { trace.text.add(reasonPool[Int(i)]) }
        for i in entry.warningStart..<(entry.warningStart + entry.warningCount) { trace.text.addWarning(Phrase(raw: warningPool[Int(i)])) }
        let tables = regime.decisionTables
        var balances = RecordedBalances(observed: decision.observed)
        let outcome: RuleWalk.Outcome
        if let matched = decision.matched {
            outcome = RuleWalk.walk(tables: tables, regime: regime, epoch: epochIndex, matched: matched, row: row,
                                    balances: &balances, trace: &trace)
        } else {
            let match: RowMatch = tables.bitMode[epochIndex]
                ? .bits(decision.facts) : .conditions(rowFacts(transaction, classification: decision.classification), epoch)
            outcome = RuleWalk.walk(tables: tables, regime: regime, epoch: epochIndex,
                                    matched: RuleMatching.match(tables: tables, epoch: epochIndex, match), row: row,
                                    balances: &balances, trace: &trace)
        }
        if !outcome.decided { trace.text.add(regime.common.noLicence) }
        // Part 744 end uses and restricted parties are evaluated after the chip rules (PartyScreening).
        swap(&trace.text, &text)
    }

    /// Writes a phrase of `text` (a constant or a cap sentence) to `sink`.
    public func write<S: TextSink>(_ phrase: Phrase, in text: DeterminationText, to sink: inout S) {
        if let constant = phrase.constant {
            sink.text(texts[Int(constant)])
        } else {
            writeSentence(text.sentences[Int(-phrase.raw) - 1], row: text.row, to: &sink)
        }
    }

    /// A phrase as a `String`.
    public func string(_ phrase: Phrase, in text: DeterminationText) -> String {
        if let constant = phrase.constant { return texts[Int(constant)] }
        var sink = StringSink()
        write(phrase, in: text, to: &sink)
        return sink.string
    }

    /// The sentence of a cap check (the mechanism's template with the check's figures).
    private func writeSentence<S: TextSink>(_ sentence: DeterminationText.Sentence, row: CapRow, to sink: inout S) {
        let cap = regime.epochs[Int(sentence.epoch)].ruleCaps[Int(sentence.rule)]!
        let f = sentence.figures
        let admitted = f.verdict == .admitted
        switch (cap.definition.mechanism, f.failure) {
        case (_, .noWindow):
            sink.literal("cap has no window")
        case (_, .emptyBase):
            sink.literal("UVEU: installed base is empty")
        case (.perParentCalendarYear, _):
            let year = row.date.year
            if admitted {
                sink.text(parties[row.party]); sink.literal(" has received "); sink.tpp(f.used); sink.literal(" TPP under LPP in ")
                sink.integer(year); sink.literal("; with this shipment "); sink.tpp(f.after); sink.literal(" TPP of the ")
                sink.tpp(f.limit); sink.literal(" TPP limit")
            } else {
                sink.literal("LPP not available: "); sink.text(parties[row.party]); sink.literal("'s "); sink.integer(year)
                sink.literal(" total would be "); sink.tpp(f.after); sink.literal(" TPP, over the "); sink.tpp(f.limit)
                sink.literal(" TPP limit; a shipment is never split")
            }
        case (.perDestinationWindow, _):
            let window = cap.definition.window!
            if f.verdict == .outsideWindow {
                sink.literal("no country allocation is defined for "); sink.text(row.date.description)
                sink.literal(" (the allocation covers "); sink.text(window.from.description); sink.literal(" to ")
                sink.text(window.through.description); sink.literal(")")
                return
            }
            sink.countryCode(row.destinationCode)
            sink.literal(admitted ? " allocation: " : " allocation exhausted: ")
            sink.tpp(f.used); sink.literal(" TPP licensed since "); sink.text(window.from.description); sink.literal(" + ")
            sink.tpp(f.after - f.used); sink.literal(" = "); sink.tpp(f.after)
            sink.literal(admitted ? " of " : ", over ")
            sink.tpp(f.limit)
            if let factor = f.factor {
                sink.literal(" (×"); sink.text(NumberText.plain(factor)); sink.literal(" for a Supplement No. 5(b) destination)")
            }
        case (.nveuSchedule, _):
            let quarter = "\(row.date.year)Q\(row.date.quarter)"
            if !admitted { sink.literal("NVEU not available: installed base of ") } else { sink.literal("NVEU installed base of ") }
            sink.text(parties[row.party]); sink.literal(" in "); sink.countryCode(row.destinationCode); sink.literal(" would be ")
            sink.tpp(f.after); sink.literal(admitted ? " TPP, within the " : " TPP, over the "); sink.text(quarter)
            sink.literal(" allocation of "); sink.tpp(f.limit)
        case (.uveuDistribution, _):
            if admitted {
                sink.literal("UVEU geographic limits hold after this shipment for "); sink.text(parties[row.party])
                sink.literal("'s installed base of "); sink.tpp(f.baseAfter); sink.literal(" TPP: ")
            } else {
                sink.literal("UVEU not available: after this shipment "); sink.text(parties[row.party])
                sink.literal("'s installed base would be ")
            }
            // The limits that hold (admitted) or fail (not admitted), in the order of ¶6.
            var first = true
            func share(_ value: (share: Double, limit: Double)?, _ write: (inout S) -> Void) {
                guard let value, (value.share > value.limit) != admitted else { return }
                if !first { sink.literal("; ") }
                first = false
                write(&sink)
                sink.text(percentText(value.share)); sink.literal(" (limit "); sink.text(percentText(value.limit)); sink.literal(")")
            }
            share(f.outsideTier1) { $0.literal("outside Tier 1 ") }
            share(f.singleCountry) { sink in sink.literal("in "); sink.countryCode(row.destinationCode); sink.literal(" ") }
            share(f.outsideUS) { $0.literal("outside the US ") }
        }
    }
}
