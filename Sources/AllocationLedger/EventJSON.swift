/// A small strict JSON reader for event bodies (`ledger verify` reads every body; Foundation's
/// `JSONSerialization` is several times slower on Linux). Objects keep their keys in a dictionary;
/// integers stay exact (`Int64`).
enum EventJSON: Equatable {
    case object([String: EventJSON])
    case array([EventJSON])
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case null

    subscript(key: String) -> EventJSON? {
        if case let .object(members) = self { return members[key] }
        return nil
    }

    var string: String? { if case let .string(s) = self { return s }; return nil }
    var int: Int64? { if case let .int(i) = self { return i }; return nil }
    var bool: Bool? { if case let .bool(b) = self { return b }; return nil }
    var array: [EventJSON]? { if case let .array(a) = self { return a }; return nil }
    var isNull: Bool { self == .null }

    /// Parses a whole document; nil when it is not valid JSON.
    static func parse(_ text: String) -> EventJSON? {
        var copy = text
        return copy.withUTF8 { bytes in
            var reader = Reader(bytes: bytes)
            guard let value = reader.value() else { return nil }
            reader.skipSpace()
            return reader.index == bytes.count ? value : nil
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var depth = 0

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        mutating func value() -> EventJSON? {
            skipSpace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"): return object()
            case UInt8(ascii: "["): return array()
            case UInt8(ascii: "\""): return string().map(EventJSON.string)
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            default: return number()
            }
        }

        mutating func object() -> EventJSON? {
            depth += 1
            defer { depth -= 1 }
            guard depth < 64 else { return nil }
            index += 1
            var members: [String: EventJSON] = [:]
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                guard let value = value() else { return nil }
                guard members.updateValue(value, forKey: key) == nil else { return nil }   // duplicate key
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                return nil
            }
        }

        mutating func array() -> EventJSON? {
            depth += 1
            defer { depth -= 1 }
            guard depth < 64 else { return nil }
            index += 1
            var items: [EventJSON] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                guard let item = value() else { return nil }
                items.append(item)
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                return nil
            }
        }

        mutating func string() -> String? {
            index += 1
            let start = index
            var plain = true
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    if plain {
                        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                        index += 1
                        return text
                    }
                    break
                }
                if byte < 0x20 { return nil }
                if byte == UInt8(ascii: "\\") { plain = false; index += 2; continue }
                index += 1
            }
            guard index < bytes.count else { return nil }
            // Escapes: decode again from the start.
            var out: [UInt8] = []
            var i = start
            while i < index {
                let byte = bytes[i]
                if byte != UInt8(ascii: "\\") { out.append(byte); i += 1; continue }
                guard i + 1 < index else { return nil }
                let escape = bytes[i + 1]
                i += 2
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard i + 4 <= index, var scalar = hex4(at: i) else { return nil }
                    i += 4
                    if (0xD800..<0xDC00).contains(scalar), i + 6 <= index, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u"),
                       let low = hex4(at: i + 2), (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { return nil }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default: return nil
                }
            }
            index += 1
            return String(decoding: out, as: UTF8.self)
        }

        func hex4(at position: Int) -> UInt32? {
            var value: UInt32 = 0
            for offset in 0..<4 {
                let c = bytes[position + offset]
                let digit: UInt32
                switch c {
                case 48...57: digit = UInt32(c - 48)
                case 97...102: digit = UInt32(c - 87)
                case 65...70: digit = UInt32(c - 55)
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }

        mutating func number() -> EventJSON? {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            var integral = true
            while index < bytes.count {
                let c = bytes[index]
                if c >= 48 && c <= 57 { index += 1; continue }
                if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || (c == UInt8(ascii: "-") && index > start) {
                    integral = false
                    index += 1
                    continue
                }
                break
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if integral, let value = Int64(text) { return .int(value) }
            return Double(text).map(EventJSON.double)
        }
    }
}
