import TabularIO

/// A JSON value with the line and column where it starts, so that a bad value in a list file can
/// be named by file, line, key and value (Foundation's JSONSerialization gives no positions).
/// Reads RFC 8259 JSON; not a hot path (list files of a few megabytes).
indirect enum PositionedJSON {
    case object([(key: String, value: PositionedJSON)], line: Int, column: Int)
    case array([PositionedJSON], line: Int, column: Int)
    case string(String, line: Int, column: Int)
    case number(Double, text: String, line: Int, column: Int)
    case bool(Bool, line: Int, column: Int)
    case null(line: Int, column: Int)

    var line: Int {
        switch self {
        case let .object(_, line, _), let .array(_, line, _), let .string(_, line, _), let .number(_, _, line, _),
             let .bool(_, line, _), let .null(line, _): return line
        }
    }

    subscript(key: String) -> PositionedJSON? {
        guard case let .object(pairs, _, _) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// The value as text (strings as they are, numbers as written), or nil for null, objects, arrays.
    var text: String? {
        switch self {
        case let .string(s, _, _): return s
        case let .number(_, text, _, _): return text
        case let .bool(b, _, _): return b ? "true" : "false"
        default: return nil
        }
    }

    /// Parses a whole document. Throws ``CSVInputError`` naming the line and character.
    static func parse(_ bytes: [UInt8], file: String) throws(CSVInputError) -> PositionedJSON {
        var parser = Parser(bytes: bytes, file: file)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        if parser.position < bytes.count { throw parser.fail("unexpected text after the JSON document") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        let file: String
        var position = 0
        var line = 1
        var lineStart = 0

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3; lineStart = 3 }
        }

        var column: Int { position - lineStart + 1 }

        func fail(_ message: String) -> CSVInputError {
            CSVInputError(file: file, line: line, column: "character \(column)", message: "is not valid JSON: \(message)")
        }

        mutating func skipSpace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0D: position += 1
                case 0x0A: position += 1; line += 1; lineStart = position
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(CSVInputError) {
            guard position < bytes.count, bytes[position] == byte else { throw fail("expected \(what)") }
            position += 1
        }

        mutating func value(depth: Int) throws(CSVInputError) -> PositionedJSON {
            guard depth < 64 else { throw fail("nested too deeply") }
            guard position < bytes.count else { throw fail("unexpected end of file") }
            let (l, c) = (line, column)
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var pairs: [(String, PositionedJSON)] = []
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object([], line: l, column: c) }
                while true {
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
                    let key = try string()
                    skipSpace()
                    try expect(UInt8(ascii: ":"), "':' after a key")
                    skipSpace()
                    pairs.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    if position < bytes.count, bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    try expect(UInt8(ascii: "}"), "',' or '}'")
                    return .object(pairs, line: l, column: c)
                }
            case UInt8(ascii: "["):
                position += 1
                var items: [PositionedJSON] = []
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array([], line: l, column: c) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    if position < bytes.count, bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    try expect(UInt8(ascii: "]"), "',' or ']'")
                    return .array(items, line: l, column: c)
                }
            case UInt8(ascii: "\""):
                return .string(try string(), line: l, column: c)
            case UInt8(ascii: "t"): try literal("true"); return .bool(true, line: l, column: c)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false, line: l, column: c)
            case UInt8(ascii: "n"): try literal("null"); return .null(line: l, column: c)
            default:
                let start = position
                while position < bytes.count, "+-0123456789.eE".utf8.contains(bytes[position]) { position += 1 }
                let text = String(decoding: bytes[start..<position], as: UTF8.self)
                guard !text.isEmpty, let number = Double(text) else { position = start; throw fail("expected a value") }
                return .number(number, text: text, line: l, column: c)
            }
        }

        mutating func literal(_ word: String) throws(CSVInputError) {
            for byte in word.utf8 { try expect(byte, "'\(word)'") }
        }

        mutating func string() throws(CSVInputError) -> String {
            position += 1 // opening quote
            var out: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard let s = String(validating: out, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
                    return s
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { break }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800...0xDBFF).contains(scalar), position + 1 < bytes.count,
                           bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                            position += 2
                            let low = try hex4()
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw fail("bad \\u escape") }
                        out.append(contentsOf: Array(String(Character(unicode)).utf8))
                    default: out.append(escape) // \" \\ \/
                    }
                case 0x0A:
                    throw fail("a string runs past the end of its line")
                default:
                    out.append(byte)
                }
            }
            throw fail("a string is not closed")
        }

        mutating func hex4() throws(CSVInputError) -> UInt32 {
            guard position + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16) else {
                throw fail("bad \\u escape")
            }
            position += 4
            return value
        }
    }
}
