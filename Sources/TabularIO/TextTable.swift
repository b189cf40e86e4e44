/// A plain-text table for people at a terminal: columns padded to their widest cell.
///
/// ```swift
/// var table = TextTable(header: ["ID", "AUTHORIZATION"])
/// table.add(["P01", "NLR"])
/// print(table.render())
/// // ID   AUTHORIZATION
/// // P01  NLR
/// ```
public struct TextTable {
    public var header: [String]
    public private(set) var rows: [[String]] = []
    /// Columns aligned right (numbers), by index.
    public var rightAligned: Set<Int> = []

    public init(header: [String], rightAligned: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The table as text, one line per row, two spaces between columns, no trailing spaces.
    public func render() -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: max(0, (i < widths.count ? widths[i] : 0) - cell.count))
                parts.append(rightAligned.contains(i) ? pad + cell : (i == cells.count - 1 ? cell : cell + pad))
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

/// Quotes a CSV field when it needs it (RFC 4180).
public func csvField(_ value: String) -> String {
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
    var quoted = "\""
    for character in value {
        if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
    }
    return quoted + "\""
}
