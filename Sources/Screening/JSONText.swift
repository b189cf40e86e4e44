import ComputeMetrics
import DiffusionRules
import TabularIO

/// Writes JSON values into a ``ByteSink`` by hand, in a fixed field order, so that output is
/// byte-identical from run to run and fast enough for a million rows (Foundation's JSONEncoder is
/// neither ordered by declaration nor fast on Linux).
struct JSONText {
    let sink: ByteSink

    func string(_ value: String) { JSONEscaping.write(value, to: sink) }

    func key(_ name: StaticString, first: Bool = false) {
        if !first { sink.write(UInt8(ascii: ",")) }
        sink.write(UInt8(ascii: "\""))
        name.withUTF8Buffer { sink.write(bytes: $0) }
        sink.write("\":")
    }

    func raw(_ text: String) { sink.write(text) }

    func null() { sink.write("null") }

    func bool(_ value: Bool) { sink.write(value ? "true" : "false") }

    func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    func int(_ value: Int?) {
        if let value { sink.write(String(value)) } else { null() }
    }

    func tpp(_ value: TPP?) {
        if let value { sink.write(value.description) } else { null() }
    }

    /// A number with at most three decimals (H100-equivalents, shares).
    func decimal(_ value: Double?) {
        guard let value else { return null() }
        sink.write(TPP(value).description)
    }

    func strings(_ values: [String]) {
        sink.write(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { sink.write(UInt8(ascii: ",")) }
            string(value)
        }
        sink.write(UInt8(ascii: "]"))
    }

    /// One determination as a JSON object, fields in screening.md §6 order.
    func determination(_ d: Determination) {
        sink.write(UInt8(ascii: "{"))
        key("id", first: true); string(d.id)
        key("date"); string(d.date.description)
        key("regime"); string(d.regime)
        key("layers"); strings(d.layers)
        key("item"); string(d.item)
        key("eccn"); string(d.eccn)
        key("tpp_per_unit"); tpp(d.tppPerUnit)
        key("tpp_total"); tpp(d.tppTotal)
        key("h100_equivalents"); decimal(d.h100Equivalents)
        key("destination"); string(d.destination.description)
        key("destination_tier"); int(d.destinationTier)
        key("consignee_hq_tier"); int(d.consigneeHQTier)
        key("license_required"); bool(d.licenseRequired)
        key("authorization"); string(d.authorization.rawValue)
        key("review_policy"); optionalString(d.reviewPolicy?.rawValue)
        key("debits")
        sink.write(UInt8(ascii: "["))
        for (i, debit) in d.debits.enumerated() {
            if i > 0 { sink.write(UInt8(ascii: ",")) }
            sink.write("{\"cap\":")
            string(debit.cap.name)
            sink.write(",\"tpp\":")
            tpp(debit.tpp)
            sink.write(UInt8(ascii: "}"))
        }
        sink.write(UInt8(ascii: "]"))
        key("reasons")
        sink.write(UInt8(ascii: "["))
        for (i, reason) in d.reasons.enumerated() {
            if i > 0 { sink.write(UInt8(ascii: ",")) }
            sink.write("{\"code\":")
            string(reason.code)
            sink.write(",\"text\":")
            string(reason.text)
            sink.write(",\"citation\":")
            string(reason.citation)
            sink.write(UInt8(ascii: "}"))
        }
        sink.write(UInt8(ascii: "]"))
        key("warnings"); strings(d.warnings)
        sink.write(UInt8(ascii: "}"))
    }
}
