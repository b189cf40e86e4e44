import ComputeMetrics
import DiffusionRules
import TabularIO

/// Sentences of reasons are rendered straight into the JSON buffer, escaped as they go (``TextSink``;
/// used between the quotes of a JSON string).
extension JSONText: TextSink {
    func literal(_ text: StaticString) { raw(text) }
    func text(_ text: String) { escaped(text) }
    func tpp(_ value: TPP) { tpp(Optional(value)) }
    func integer(_ value: Int) { int(value) }
    func countryCode(_ code: CountryCode) {
        out.append(UInt8(code.packed >> 8))
        out.append(UInt8(code.packed & 0xFF))
    }
}

/// The JSON of a run's constant texts (quoted and escaped, by text id), of each epoch's
/// `,"regime":...,"layers":[...]` and of item names and unit TPP, built on first use. One per
/// thread and run (``ScreeningTables``): ids only grow, so entries stay valid as the run goes on.
struct JSONConstants {
    private let pool = OutputBuffer(capacity: 1 << 14)
    /// Per text id, epoch and item label: `start << 32 | length` in `pool` (-1: not built yet).
    private var texts: [Int64] = []
    private var epochs: [Int64] = []
    private var itemNames: [Int64] = []

    private func range(_ build: (JSONText) -> Void) -> Int64 {
        let start = pool.count
        build(JSONText(buffer: pool))
        return Int64(start) << 32 | Int64(pool.count - start)
    }

    @inline(__always) private func copy(_ range: Int64, to out: OutputBuffer) {
        out.append(UnsafeRawBufferPointer(start: pool.base + Int(range >> 32), count: Int(range & 0xFFFF_FFFF)))
    }

    @inline(__always) private static func slot(_ array: inout [Int64], _ i: Int) {
        if i >= array.count { array.append(contentsOf: repeatElement(-1, count: i - array.count + 1)) }
    }

    /// A constant text as a quoted JSON string.
    @inline(__always) mutating func text(_ id: Int32, _ tables: ScreeningTables, to bytes: OutputBuffer) {
        let i = Int(id)
        if i < texts.count, texts[i] >= 0 {
            copy(texts[i], to: bytes)
        } else {
            learnText(i, tables)
            copy(texts[i], to: bytes)
        }
    }

    @inline(never) private mutating func learnText(_ i: Int, _ tables: ScreeningTables) {
        JSONConstants.slot(&texts, i)
        let text = tables.texts[i]
        texts[i] = range { $0.string(text) }
    }

    /// `,"regime":"<id>","layers":[...]` of an epoch.
    @inline(__always) mutating func epoch(_ decision: Decision, _ tables: ScreeningTables, to bytes: OutputBuffer) {
        let i = decision.epochIndex
        if !(i < epochs.count && epochs[i] >= 0) { learnEpoch(i, tables.regime.id, tables.layers(decision)) }
        copy(epochs[i], to: bytes)
    }

    @inline(never) private mutating func learnEpoch(_ i: Int, _ regime: String, _ layers: [String]) {
        JSONConstants.slot(&epochs, i)
        epochs[i] = range { json in
            json.key("regime"); json.string(regime)
            json.key("layers"); json.strings(layers)
        }
    }

    /// The item's name as the input gave it, quoted.
    @inline(__always) mutating func item(_ transaction: Transaction, _ tables: ScreeningTables, to bytes: OutputBuffer) {
        let i = Int(transaction.itemLabel)
        if !(i < itemNames.count && itemNames[i] >= 0) { learnItem(i, tables.item(transaction)) }
        copy(itemNames[i], to: bytes)
    }

    @inline(never) private mutating func learnItem(_ i: Int, _ name: String) {
        JSONConstants.slot(&itemNames, i)
        itemNames[i] = range { $0.string(name) }
    }

    /// The phrase of a reason or warning, quoted: a constant from the pool, a sentence rendered in place.
    mutating func phrase(_ phrase: Phrase, _ text: DeterminationText, _ tables: ScreeningTables, to json: inout JSONText) {
        if let id = phrase.constant {
            self.text(id, tables, to: json.out)
        } else {
            json.byte(UInt8(ascii: "\""))
            tables.write(phrase, in: text, to: &json)
            json.byte(UInt8(ascii: "\""))
        }
    }
}

/// Quoted authorization and review-policy names (their raw values; a test checks they agree).
func quotedJSON(_ authorization: Authorization) -> StaticString {
    switch authorization {
    case .NLR: return "\"NLR\""
    case .AIA: return "\"AIA\""
    case .LPP: return "\"LPP\""
    case .ACA: return "\"ACA\""
    case .NAC: return "\"NAC\""
    case .UVEU: return "\"UVEU\""
    case .NVEU: return "\"NVEU\""
    case .LICENSE: return "\"LICENSE\""
    }
}

func quotedJSON(_ policy: ReviewPolicy) -> StaticString {
    switch policy {
    case .presumptionOfApproval: return "\"presumption_of_approval\""
    case .caseByCase: return "\"case_by_case\""
    case .presumptionOfDenial: return "\"presumption_of_denial\""
    case .policyOfDenial: return "\"policy_of_denial\""
    }
}

extension JSONText {
    /// One determination as a JSON object straight from its compact decision, byte-identical to
    /// ``determination(_:)`` of the same determination in text form (fields in screening.md §6
    /// order; `annotations` of a later per-row stage after the chip rules' reasons and warnings, and
    /// their fields at the end).
    mutating func determination(_ t: Transaction, _ d: Decision, tables: ScreeningTables, text: inout DeterminationText,
                                constants: inout JSONConstants, annotations: RowAnnotations? = nil) {
        let bytes = out
        tables.text(of: t, d, into: &text)
        raw("{\"id\":"); string(t.id)
        raw(",\"date\":"); day(t.date)
        constants.epoch(d, tables, to: bytes)
        raw(",\"item\":"); constants.item(t, tables, to: bytes)
        raw(",\"eccn\":"); constants.text(tables.eccnID(d), tables, to: bytes)
        raw(",\"tpp_per_unit\":"); tpp(tables.tppPerUnit(t))
        raw(",\"tpp_total\":"); tpp(d.tppTotal)
        raw(",\"h100_equivalents\":"); decimal(tables.h100Equivalents(d))
        raw(",\"destination\":"); country(t.destination)
        raw(",\"destination_tier\":"); int(tables.destinationTier(d))
        raw(",\"consignee_hq_tier\":"); int(tables.consigneeHQTier(d))
        raw(",\"license_required\":"); bool(d.licenseRequired)
        raw(",\"authorization\":"); raw(quotedJSON(d.authorization))
        raw(",\"review_policy\":")
        if let policy = d.reviewPolicy { raw(quotedJSON(policy)) } else { null() }
        raw(",\"debits\":[")
        if let debit = d.debit {
            raw("{\"cap\":\"")
            tables.writeCapName(debit, to: &self)
            raw("\",\"tpp\":")
            tpp(debit.tpp)
            raw("}")
        }
        raw("],\"reasons\":[")
        for (i, reason) in text.reasons.enumerated() {
            raw(i == 0 ? "{\"code\":" : ",{\"code\":")
            constants.text(reason.code, tables, to: bytes)
            raw(",\"text\":")
            constants.phrase(reason.text, text, tables, to: &self)
            raw(",\"citation\":")
            constants.text(reason.citation, tables, to: bytes)
            raw("}")
        }
        if let annotations {
            for (i, reason) in annotations.reasons.enumerated() {
                raw(i == 0 && text.reasons.isEmpty ? "{\"code\":" : ",{\"code\":")
                string(reason.code)
                raw(",\"text\":"); string(reason.text)
                raw(",\"citation\":"); string(reason.citation)
                raw("}")
            }
        }
        raw("],\"warnings\":[")
        for (i, warning) in text.warnings.enumerated() {
            if i > 0 { raw(",") }
            constants.phrase(warning, text, tables, to: &self)
        }
        if let annotations {
            for (i, warning) in annotations.warnings.enumerated() {
                if i > 0 || !text.warnings.isEmpty { raw(",") }
                string(warning)
            }
        }
        raw("]")
        if let annotations {
            if let hits = annotations.partyHits { raw(",\"party_hits\":"); array(hits, partyHit) }
            for field in annotations.fields {
                raw(",")
                string(field.name)
                raw(":")
                raw(field.json)
            }
        }
        raw("}")
    }
}
