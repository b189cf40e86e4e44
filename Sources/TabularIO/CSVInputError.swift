/// A problem in a CSV input file, located to the line and column, with the offending value.
///
/// `description` is the one-line message printed by the command-line tool, for example
/// `deals.csv:14: column "destination": "UK" is not an ISO 3166-1 alpha-2 code (did you mean GB?)`.
public struct CSVInputError: Error, CustomStringConvertible, Equatable, Sendable {
    /// File name as given by the caller.
    public var file: String
    /// 1-based physical line where the offending record starts (the header is line 1), or nil.
    public var line: Int?
    /// Column name from the header (or `#n` before the header is known), or nil for whole-record problems.
    public var column: String?
    /// The offending cell as read, or nil.
    public var value: String?
    /// What is wrong.
    public var message: String

    public init(file: String, line: Int?, column: String? = nil, value: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let column { text += "column \"\(column)\": " }
        if let value { text += "\(CSVInputError.quoted(value)) " }
        text += message
        return text
    }

    /// Quotes a value for an error message, escaping control characters and truncating long values.
    static func quoted(_ value: String) -> String {
        var shown = ""
        for scalar in value.unicodeScalars.prefix(60) {
            switch scalar {
            case "\"": shown += "\\\""
            case "\n": shown += "\\n"
            case "\r": shown += "\\r"
            case "\t": shown += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    shown += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    shown.unicodeScalars.append(scalar)
                }
            }
        }
        if value.unicodeScalars.count > 60 { shown += "…" }
        return "\"\(shown)\""
    }
}
