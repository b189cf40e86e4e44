import PartyMatching
import TabularIO

/// A small ordered JSON object builder for command output (fields in the order written; numbers
/// with three decimals, as scores are printed everywhere).
struct JSONWriter {
    private(set) var text = ""

    mutating func object(_ body: (inout JSONFields) -> Void) {
        var fields = JSONFields()
        body(&fields)
        text += "{" + fields.parts.joined(separator: ",") + "}"
    }
}

struct JSONFields {
    var parts: [String] = []

    mutating func field(_ key: String, _ value: String?) { parts.append("\(JSONEscaping.quoted(key)):\(value.map(JSONEscaping.quoted) ?? "null")") }
    mutating func field(_ key: String, _ value: Double) { parts.append("\(JSONEscaping.quoted(key)):\(MatchExplanation.fixed(value))") }
    mutating func field(_ key: String, _ value: Int) { parts.append("\(JSONEscaping.quoted(key)):\(value)") }
    mutating func field(_ key: String, _ value: Bool) { parts.append("\(JSONEscaping.quoted(key)):\(value)") }

    mutating func array<T>(_ key: String, _ items: [T], _ body: (T, inout JSONFields) -> Void) {
        let objects = items.map { item -> String in
            var fields = JSONFields()
            body(item, &fields)
            return "{" + fields.parts.joined(separator: ",") + "}"
        }
        parts.append("\(JSONEscaping.quoted(key)):[\(objects.joined(separator: ","))]")
    }
}
