import TabularIO

/// A decoded `application/x-www-form-urlencoded` body (or URL query): name/value pairs in order.
///
/// `+` is a space and `%XX` a byte; the decoded bytes must be UTF-8. A malformed body throws a
/// ``FormError`` naming the byte offset and the text found there.
///
/// ```swift
/// let form = try FormBody(parsing: "action=reject&note=end+user+unclear&csrf=v1.1767225600.ab12")
/// form.first("note")    // "end user unclear"
/// form.csrf             // "v1.1767225600.ab12"
/// ```
public struct FormBody: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    public private(set) var fields: [Field]

    public init(fields: [Field]) { self.fields = fields }

    public init(parsing body: String) throws(FormError) {
        var fields: [Field] = []
        var offset = 0
        for pair in body.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
            defer { offset += pair.count + 1 }
            if pair.isEmpty { continue }
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try FormBody.decode(parts[0], at: offset, field: nil)
            let value = parts.count > 1 ? try FormBody.decode(parts[1], at: offset + parts[0].count + 1, field: name) : ""
            fields.append(Field(name: name, value: value))
        }
        self.fields = fields
    }

    /// Every value given for `name`, in order.
    public func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// The first value given for `name`.
    public func first(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    public func first<Field: RawRepresentable>(_ field: Field) -> String? where Field.RawValue == String { first(field.rawValue) }

    /// The hidden `csrf` field every dashboard form posts.
    public var csrf: String? { first("csrf") }

    /// The value of a field that may appear at most once, trimmed; nil when absent or blank.
    func single(_ name: String) throws(FormError) -> String? {
        let all = values(name)
        if all.count > 1 { throw FormError(field: name, value: nil, "given \(all.count) times; give it once") }
        let trimmed = all.first?.trimmingASCIIWhitespace() ?? ""
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Throws for the first field whose name is not in `known`.
    func rejectUnknown(_ known: Set<String>) throws(FormError) {
        if let unknown = fields.first(where: { !known.contains($0.name) }) {
            throw FormError(field: unknown.name, value: nil, "is not a field of this form (expected: \(known.sorted().joined(separator: ", ")))")
        }
    }

    private static func decode(_ raw: Substring.UTF8View.SubSequence, at offset: Int, field: String?) throws(FormError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var index = raw.startIndex
        var position = offset
        while index < raw.endIndex {
            let byte = raw[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                let next = raw.index(after: index)
                let high = next < raw.endIndex ? hexValue(raw[next]) : nil
                let lowIndex = next < raw.endIndex ? raw.index(after: next) : raw.endIndex
                let low = lowIndex < raw.endIndex ? hexValue(raw[lowIndex]) : nil
                guard let high, let low else {
                    let shown = String(decoding: raw[index..<raw.index(index, offsetBy: min(3, raw.distance(from: index, to: raw.endIndex)))], as: UTF8.self)
                    throw FormError(field: field, value: shown, "at byte \(position) of the form body is not a percent escape (%XX)")
                }
                bytes.append(high << 4 | low)
                index = raw.index(after: lowIndex)
                position += 3
                continue
            } else {
                bytes.append(byte)
            }
            index = raw.index(after: index)
            position += 1
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FormError(field: field, value: nil, "at byte \(offset) of the form body is not UTF-8 text")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// A refused form, as one line: `form field "licence_expires": "2026-02-30" is not a date (YYYY-MM-DD)`.
///
/// The server answers 400 with this text and records nothing.
public struct FormError: Error, CustomStringConvertible, Sendable, Hashable {
    public var field: String?
    public var value: String?
    public var reason: String

    public init(field: String?, value: String?, _ reason: String) {
        self.field = field
        self.value = value
        self.reason = reason
    }

    public var description: String {
        var text = field.map { "form field \"\(FormError.oneLine($0))\"" } ?? "form body"
        if let value { text += ": \"\(FormError.oneLine(value))\"" }
        return text + " " + reason
    }

    /// Control characters shown as `\u{..}` so the message stays on one line; long values cut at 80 characters.
    static func oneLine(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(80) {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > 80 ? out + "..." : out
    }
}
