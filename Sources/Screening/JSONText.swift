import ComputeMetrics
import DiffusionRules
import TabularIO

/// Builds one JSON value in a byte buffer, by hand and in a fixed field order, so that output is
/// byte-identical from run to run and fast enough for a million rows (Foundation's JSONEncoder is
/// neither ordered by declaration nor fast on Linux). A value type: build a record, then hand its
/// bytes to a ``ByteSink`` once.
struct JSONText {
    var bytes: [UInt8] = []

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) { text.withUTF8Buffer { bytes.append(contentsOf: $0) } }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func string(_ value: String) { JSONEscaping.append(value, to: &bytes) }

    mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func null() { raw("null") }

    mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func int(_ value: Int?) {
        guard let value else { return null() }
        digits(UInt64(value.magnitude), negative: value < 0)
    }

    /// TPP as a plain decimal (at most three decimals), written without an intermediate String.
    mutating func tpp(_ value: TPP?) {
        guard let value else { return null() }
        let magnitude = value.milli.magnitude
        digits(magnitude / 1000, negative: value.milli < 0)
        var fraction = magnitude % 1000
        guard fraction != 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var divisor: UInt64 = 100
        while fraction != 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }

    /// A number rounded to three decimals (H100-equivalents).
    mutating func decimal(_ value: Double?) { tpp(value.map { TPP($0) }) }

    mutating func day(_ value: Day) {
        let (y, m, d) = value.components
        bytes.append(UInt8(ascii: "\""))
        digits(UInt64(y), negative: false, width: 4)
        bytes.append(UInt8(ascii: "-"))
        digits(UInt64(m), negative: false, width: 2)
        bytes.append(UInt8(ascii: "-"))
        digits(UInt64(d), negative: false, width: 2)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func digits(_ value: UInt64, negative: Bool, width: Int = 1) {
        if negative { bytes.append(UInt8(ascii: "-")) }
        var scratch: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &scratch) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest != 0 || count < width
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[i]) }
        }
    }

    mutating func country(_ code: CountryCode) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(code.packed >> 8))
        bytes.append(UInt8(code.packed & 0xFF))
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func strings(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// One determination as a JSON object, fields in screening.md §6 order.
    mutating func determination(_ d: Determination) {
        bytes.append(UInt8(ascii: "{"))
        key("id", first: true); string(d.id)
        key("date"); day(d.date)
        key("regime"); string(d.regime)
        key("layers"); strings(d.layers)
        key("item"); string(d.item)
        key("eccn"); string(d.eccn)
        key("tpp_per_unit"); tpp(d.tppPerUnit)
        key("tpp_total"); tpp(d.tppTotal)
        key("h100_equivalents"); decimal(d.h100Equivalents)
        key("destination"); country(d.destination)
        key("destination_tier"); int(d.destinationTier)
        key("consignee_hq_tier"); int(d.consigneeHQTier)
        key("license_required"); bool(d.licenseRequired)
        key("authorization"); string(d.authorization.rawValue)
        key("review_policy"); optionalString(d.reviewPolicy?.rawValue)
        key("debits")
        bytes.append(UInt8(ascii: "["))
        for (i, debit) in d.debits.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            raw("{\"cap\":")
            string(debit.cap.name)
            raw(",\"tpp\":")
            tpp(debit.tpp)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
        key("reasons")
        bytes.append(UInt8(ascii: "["))
        for (i, reason) in d.reasons.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            raw("{\"code\":")
            string(reason.code)
            raw(",\"text\":")
            string(reason.text)
            raw(",\"citation\":")
            string(reason.citation)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
        key("warnings"); strings(d.warnings)
        if let hits = d.partyHits {
            key("party_hits")
            bytes.append(UInt8(ascii: "["))
            for (i, hit) in hits.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                partyHit(hit)
            }
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// One restricted-party hit: `{party_role, name, list, entry_id, score, decision, explanation}`.
    mutating func partyHit(_ hit: PartyHit) {
        raw("{\"party_role\":"); string(hit.partyRole)
        raw(",\"name\":"); string(hit.name)
        raw(",\"list\":"); string(hit.list)
        raw(",\"entry_id\":"); string(hit.entryID)
        raw(",\"score\":"); decimal(hit.score)
        raw(",\"decision\":"); string(hit.decision)
        raw(",\"explanation\":{\"basis\":"); string(hit.explanation.basis)
        raw(",\"matched\":"); string(hit.explanation.matched)
        raw(",\"features\":[")
        for (i, feature) in hit.explanation.features.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            raw("{\"feature\":"); string(feature.feature)
            raw(",\"value\":"); decimal(feature.value)
            raw(",\"weight\":"); decimal(feature.weight)
            bytes.append(UInt8(ascii: "}"))
        }
        raw("],\"text\":"); string(hit.explanation.text)
        raw("}}")
    }
}
