/// JSON string literals written by hand (output that must be byte-identical between runs and fast).
public enum JSONEscaping {
    /// `value` as a JSON string literal, with quotes: `"a\"b"`.
    public static func quoted(_ value: String) -> String {
        let sink = ByteSink.memory()
        write(value, to: sink)
        return sink.text
    }

    /// Writes `value` as a JSON string literal.
    public static func write(_ value: String, to sink: ByteSink) {
        sink.write(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var start = 0
            for (i, byte) in bytes.enumerated() {
                let escape: String?
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    escape = "\\u00" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
                default: escape = nil
                }
                if let escape {
                    if i > start { sink.write(bytes: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                    sink.write(escape)
                    start = i + 1
                }
            }
            if start < bytes.count { sink.write(bytes: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        sink.write(UInt8(ascii: "\""))
    }
}
