import TabularIO

/// A JSON value of a request body. Objects keep their members in order; numbers keep their text
/// (so `"quantity": 8` and `"quantity": "8"` read the same, and no precision is lost).
public enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)), let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    public var string: String? { if case let .string(s) = self { return s }; return nil }
    public var isNull: Bool { self == .null }

    /// A member that must be a string (or absent/null: nil). Throws a 400 naming the member.
    public func text(_ key: String, in what: String) throws -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case let .string(s)?: return s
        case let .number(n)?: return n
        default: throw ServiceError(.badRequest, "\(what): \"\(key)\" must be a string", field: key)
        }
    }

    /// Parses a whole body. Throws a 400 for invalid JSON or nesting deeper than `maxDepth`.
    public static func parse(_ bytes: [UInt8], maxDepth: Int) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(bytes: buffer, maxDepth: maxDepth)
            let value = try reader.value()
            try reader.end()
            return value
        }
    }
}

/// A byte-level JSON reader with a nesting limit. Strings without escapes are read without
/// copying byte by byte; ``ScreeningBody`` uses it to turn 10,000 rows into CSV in milliseconds.
struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    func fail(_ message: String) -> ServiceError {
        ServiceError(.badRequest, "request body is not valid JSON: \(message) at byte \(index + 1)")
    }

    mutating func skipSpace() {
        while index < bytes.count {
            let b = bytes[index]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            index += 1
        }
    }

    /// The next non-space byte, not consumed; nil at the end.
    mutating func peek() -> UInt8? {
        skipSpace()
        return index < bytes.count ? bytes[index] : nil
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard peek() == byte else { throw fail("expected \(what)") }
        index += 1
    }

    mutating func end() throws {
        if peek() != nil { throw fail("unexpected data after the value") }
    }

    mutating func enter() throws {
        depth += 1
        if depth > maxDepth { throw ServiceError(.badRequest, "request body nests deeper than \(maxDepth) levels (the limit)") }
    }

    mutating func value() throws -> JSONValue {
        guard let byte = peek() else { throw fail("unexpected end") }
        switch byte {
        case UInt8(ascii: "{"):
            try enter()
            defer { depth -= 1 }
            index += 1
            var members: [(String, JSONValue)] = []
            if peek() == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                let key = try string()
                try expect(UInt8(ascii: ":"), "':'")
                if members.contains(where: { $0.0 == key }) { throw fail("duplicate member \"\(key)\"") }
                members.append((key, try value()))
                if try !next(UInt8(ascii: "}")) { return .object(members) }
            }
        case UInt8(ascii: "["):
            try enter()
            defer { depth -= 1 }
            index += 1
            var items: [JSONValue] = []
            if peek() == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                items.append(try value())
                if try !next(UInt8(ascii: "]")) { return .array(items) }
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw fail("invalid literal") }
        index += count
    }

    mutating func number() throws -> String {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count {
            let c = bytes[index]
            if (c >= 48 && c <= 57) || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { index += 1; continue }
            break
        }
        guard index > digitsStart, bytes[digitsStart] >= 48, bytes[digitsStart] <= 57 else { throw fail("expected a value") }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard Double(text) != nil else { throw fail("invalid number") }
        return text
    }

    /// A string's content: `(start, end, escaped)` of the bytes between the quotes. Escaped strings
    /// are decoded by ``decode(_:_:)``.
    mutating func stringSpan() throws -> (start: Int, end: Int, escaped: Bool) {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        index += 1
        let start = index
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let end = index
                index += 1
                return (start, end, escaped)
            }
            if byte < 0x20 { throw fail("control character in a string") }
            if byte == UInt8(ascii: "\\") { escaped = true; index += 2; continue }
            index += 1
        }
        throw fail("unterminated string")
    }

    mutating func string() throws -> String {
        let span = try stringSpan()
        if !span.escaped { return String(decoding: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]), as: UTF8.self) }
        return String(decoding: try decode(span.start, span.end), as: UTF8.self)
    }

    /// The bytes of an escaped string's content.
    func decode(_ start: Int, _ end: Int) throws -> [UInt8] {
        guard let out = JSONEscaping.unescape(bytes, from: start, to: end) else { throw fail("invalid escape") }
        return out
    }

    /// After a member or item: true after a ',', false after `close` (consumed); else a 400.
    mutating func next(_ close: UInt8) throws -> Bool {
        guard let byte = peek() else { throw fail("unexpected end") }
        if byte == UInt8(ascii: ",") { index += 1; return true }
        if byte == close { index += 1; return false }
        throw fail(close == UInt8(ascii: "}") ? "expected ',' or '}'" : "expected ',' or ']'")
    }
}
