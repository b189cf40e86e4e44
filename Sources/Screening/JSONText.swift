import ComputeMetrics
import DiffusionRules
import Foundation
import TabularIO

/// Growable output bytes: an append is one capacity test and a copy, without the checks an `Array`
/// makes on every call (those were a quarter of the cost of formatting a determination). A class:
/// a formatted batch hands its buffer to the writing thread and gets it back for the next batch.
final class OutputBuffer: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1 << 12) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    private func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < count + needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always) func append(_ byte: UInt8) {
        if count == capacity { grow(1) }
        base[count] = byte
        count += 1
    }

    @inline(__always) func append(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        if count + n > capacity { grow(n) }
        if n > 0 { UnsafeMutableRawPointer(base + count).copyMemory(from: bytes.baseAddress!, byteCount: n) }
        count += n
    }

    @inline(__always) func append(_ bytes: UnsafeBufferPointer<UInt8>) { append(UnsafeRawBufferPointer(bytes)) }

    func removeAll() { count = 0 }

    /// The bytes, valid until the next append.
    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// A copy of the bytes.
    var array: [UInt8] { Array(buffer) }
}

/// Builds JSON values in an ``OutputBuffer``, by hand and in a fixed field order, so that output is
/// byte-identical from run to run and fast enough for millions of rows (Foundation's JSONEncoder is
/// neither ordered by declaration nor fast on Linux).
struct JSONText {
    /// Keeps the buffer alive; `out` reaches it without reference counting on every append (the
    /// appends of a determination were a tenth of its cost in retains and releases).
    private let owner: OutputBuffer
    unowned(unsafe) let out: OutputBuffer

    init(capacity: Int = 1024) { self.init(buffer: OutputBuffer(capacity: capacity)) }

    init(buffer: OutputBuffer) {
        owner = buffer
        out = buffer
    }

    /// A copy of the bytes written so far.
    var bytes: [UInt8] { out.array }

    var text: String { String(decoding: out.buffer, as: UTF8.self) }

    func removeAll() { out.removeAll() }

    @inline(__always) func byte(_ byte: UInt8) { out.append(byte) }

    @inline(__always) func raw(_ text: StaticString) { text.withUTF8Buffer { out.append($0) } }

    /// Text built at run time (string literals take the `StaticString` overload: no `String` is made).
    @_disfavoredOverload
    func raw(_ text: String) {
        var text = text
        text.withUTF8 { out.append($0) }
    }

    func raw(_ bytes: [UInt8]) { bytes.withUnsafeBytes { out.append($0) } }

    /// `value` as a JSON string literal, with quotes.
    func string(_ value: String) {
        out.append(UInt8(ascii: "\""))
        escaped(value)
        out.append(UInt8(ascii: "\""))
    }

    /// `value` escaped for the inside of a JSON string literal (as ``JSONEscaping``).
    func escaped(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                out.append(UnsafeBufferPointer(rebasing: utf8[start..<i]))
                switch byte {
                case 0x22: raw("\\\"")
                case 0x5C: raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    raw("\\u00")
                    let hex: StaticString = "0123456789abcdef"
                    hex.withUTF8Buffer { digits in
                        out.append(digits[Int(byte >> 4)])
                        out.append(digits[Int(byte & 15)])
                    }
                }
                start = i + 1
            }
            out.append(UnsafeBufferPointer(rebasing: utf8[start...]))
        }
    }

    func key(_ name: StaticString, first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        raw(name)
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    func null() { raw("null") }

    func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    func int(_ value: Int?) {
        guard let value else { return null() }
        digits(UInt64(value.magnitude), negative: value < 0)
    }

    /// TPP as a plain decimal (at most three decimals), written without an intermediate String.
    func tpp(_ value: TPP?) {
        guard let value else { return null() }
        let magnitude = value.milli.magnitude
        digits(magnitude / 1000, negative: value.milli < 0)
        var fraction = magnitude % 1000
        guard fraction != 0 else { return }
        out.append(UInt8(ascii: "."))
        var divisor: UInt64 = 100
        while fraction != 0 {
            out.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }

    /// A number rounded to three decimals (H100-equivalents).
    func decimal(_ value: Double?) { tpp(value.map { TPP($0) }) }

    func day(_ value: Day) {
        let (y, m, d) = value.components
        out.append(UInt8(ascii: "\""))
        digits(UInt64(y), negative: false, width: 4)
        out.append(UInt8(ascii: "-"))
        digits(UInt64(m), negative: false, width: 2)
        out.append(UInt8(ascii: "-"))
        digits(UInt64(d), negative: false, width: 2)
        out.append(UInt8(ascii: "\""))
    }

    private func digits(_ value: UInt64, negative: Bool, width: Int = 1) {
        if negative { out.append(UInt8(ascii: "-")) }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { buffer in
            // Digits from the end of a 24-byte buffer, two at a time, then one copy.
            var end = 24
            var rest = value
            while rest >= 100 {
                let two = rest % 100
                rest /= 100
                end -= 2
                buffer[end] = UInt8(ascii: "0") &+ UInt8(two / 10)
                buffer[end + 1] = UInt8(ascii: "0") &+ UInt8(two % 10)
            }
            if rest >= 10 {
                end -= 2
                buffer[end] = UInt8(ascii: "0") &+ UInt8(rest / 10)
                buffer[end + 1] = UInt8(ascii: "0") &+ UInt8(rest % 10)
            } else {
                end -= 1
                buffer[end] = UInt8(ascii: "0") &+ UInt8(rest)
            }
            while 24 - end < width {
                end -= 1
                buffer[end] = UInt8(ascii: "0")
            }
            out.append(UnsafeRawBufferPointer(rebasing: buffer[end..<24]))
        }
    }

    func country(_ code: CountryCode) {
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(code.packed >> 8))
        out.append(UInt8(code.packed & 0xFF))
        out.append(UInt8(ascii: "\""))
    }

    /// `[v1,v2,...]`, each element written by `element`.
    @inline(__always) func array<T>(_ values: [T], _ element: (T) -> Void) {
        out.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            element(value)
        }
        out.append(UInt8(ascii: "]"))
    }

    func strings(_ values: [String]) { array(values, string) }

    /// One determination as a JSON object, fields in screening.md §6 order.
    func determination(_ d: Determination) {
        out.append(UInt8(ascii: "{"))
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
        array(d.debits) { debit in
            raw("{\"cap\":"); string(debit.cap.name)
            raw(",\"tpp\":"); tpp(debit.tpp)
            out.append(UInt8(ascii: "}"))
        }
        key("reasons")
        array(d.reasons) { reason in
            raw("{\"code\":"); string(reason.code)
            raw(",\"text\":"); string(reason.text)
            raw(",\"citation\":"); string(reason.citation)
            out.append(UInt8(ascii: "}"))
        }
        key("warnings"); strings(d.warnings)
        if let hits = d.partyHits { key("party_hits"); array(hits, partyHit) }
        out.append(UInt8(ascii: "}"))
    }

    /// One restricted-party hit: `{party_role, name, list, entry_id, score, decision, explanation}`.
    func partyHit(_ hit: PartyHit) {
        raw("{\"party_role\":"); string(hit.partyRole)
        raw(",\"name\":"); string(hit.name)
        raw(",\"list\":"); string(hit.list)
        raw(",\"entry_id\":"); string(hit.entryID)
        raw(",\"score\":"); decimal(hit.score)
        raw(",\"decision\":"); string(hit.decision)
        raw(",\"explanation\":{\"basis\":"); string(hit.explanation.basis)
        raw(",\"matched\":"); string(hit.explanation.matched)
        raw(",\"features\":")
        array(hit.explanation.features) { feature in
            raw("{\"feature\":"); string(feature.feature)
            raw(",\"value\":"); decimal(feature.value)
            raw(",\"weight\":"); decimal(feature.weight)
            out.append(UInt8(ascii: "}"))
        }
        raw(",\"text\":"); string(hit.explanation.text)
        raw("}}")
    }
}
