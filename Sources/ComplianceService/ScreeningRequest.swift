import Screening
import TabularIO

/// Limits on one request, each configurable (`serve --max-body-bytes`, `--max-rows`, `--max-json-depth`).
public struct RequestLimits: Sendable {
    /// Largest request body accepted (default 64 MiB); larger bodies get 413.
    public var maxBodyBytes: Int
    /// Most rows one screening request may carry (default 100,000); more get 413.
    public var maxRows: Int
    /// Deepest JSON nesting accepted (default 32); deeper bodies get 400.
    public var maxJSONDepth: Int

    public init(maxBodyBytes: Int = 64 << 20, maxRows: Int = 100_000, maxJSONDepth: Int = 32) {
        self.maxBodyBytes = maxBodyBytes
        self.maxRows = maxRows
        self.maxJSONDepth = maxJSONDepth
    }
}

/// A screening request: the rows as a transactions CSV (formats.md), the regime (or two to
/// compare) and whether to commit.
///
/// A JSON body is `{"regime": "ai-diffusion-2025", "compare": null, "commit": false, "rows":
/// [{"id": "D-1", "date": "2025-03-01", "item": "H100", ...}]}`; row members are the CSV's columns,
/// given as strings (numbers and booleans are taken as written). A `text/csv` body is the CSV
/// itself with the options as query parameters (``init(csv:regime:compare:commit:limits:)``).
public struct ScreeningRequest: Sendable {
    public var regime: String
    /// Two regimes to compare row by row (no commit).
    public var compare: (String, String)?
    public var commit: Bool
    /// The rows as a transactions CSV with a header.
    public var csv: [UInt8]
    /// Physical CSV line at which each row starts (the header is line 1), to name rows in errors.
    var rowLines: [Int]
    /// How many rows.
    public var rowCount: Int { rowLines.count }

    static let defaultRegime = "enforced"

    /// The 1-based row that starts at CSV `line` (nil for the header).
    func row(atLine line: Int?) -> Int? {
        guard let line, line > 1 else { return nil }
        var low = 0, high = rowLines.count - 1, found: Int?
        while low <= high {
            let mid = (low + high) / 2
            if rowLines[mid] <= line { found = mid; low = mid + 1 } else { high = mid - 1 }
        }
        return found.map { $0 + 1 }
    }

    /// A CSV body. Rows are counted (for the row limit and to name rows in errors) by reading the
    /// records; malformed CSV is left to the transactions reader, which names line and column.
    public init(csv: [UInt8], regime: String?, compare: String?, commit: Bool, limits: RequestLimits) throws {
        self.regime = regime ?? Self.defaultRegime
        self.compare = try compare.map(Self.pair)
        self.commit = commit
        self.csv = csv
        var lines: [Int] = []
        let reader = CSVRecordReader(bytes: csv, displayName: "request")
        var header = true
        while let record = try? reader.next() {
            if header { header = false; continue }
            lines.append(record.line)
            if lines.count > limits.maxRows { throw Self.tooManyRows(limits) }
        }
        rowLines = lines
        try checkOptions()
    }

    /// A JSON body (see the type's documentation).
    public init(json: [UInt8], limits: RequestLimits) throws {
        var regime: String?, compare: (String, String)?, commit = false
        var rows = RowTable()
        let (csvBytes, lines) = try json.withUnsafeBufferPointer { buffer -> ([UInt8], [Int]) in
            var reader = JSONReader(bytes: buffer, maxDepth: limits.maxJSONDepth)
            try reader.expect(UInt8(ascii: "{"), "a JSON object")
            try reader.enter()
            var seen = Set<String>()
            if reader.peek() == UInt8(ascii: "}") { reader.index += 1 } else {
                while true {
                    let key = try reader.string()
                    try reader.expect(UInt8(ascii: ":"), "':'")
                    guard seen.insert(key).inserted else { throw reader.fail("duplicate member \"\(key)\"") }
                    switch key {
                    case "rows":
                        try rows.read(&reader, limits: limits)
                    case "regime":
                        switch try reader.value() {
                        case let .string(s): regime = s
                        case .null: break
                        default: throw ServiceError(.badRequest, "\"regime\" must be a string such as \"ai-diffusion-2025\"", field: "regime")
                        }
                    case "compare":
                        switch try reader.value() {
                        case .null: break
                        case let .string(s): compare = try Self.pair(s)
                        case let .array(items) where items.count == 2 && items.allSatisfy({ $0.string != nil }):
                            compare = (items[0].string!, items[1].string!)
                        default: throw ServiceError(.badRequest, "\"compare\" must be null or two regimes: [\"A\", \"B\"]", field: "compare")
                        }
                    case "commit":
                        switch try reader.value() {
                        case let .bool(b): commit = b
                        case .null: break
                        default: throw ServiceError(.badRequest, "\"commit\" must be true or false", field: "commit")
                        }
                    default:
                        throw ServiceError(.badRequest, "unknown member \"\(key)\" (allowed: regime, compare, commit, rows)", field: key)
                    }
                    if try !reader.next(UInt8(ascii: "}")) { break }
                }
            }
            reader.depth -= 1
            try reader.end()
            guard seen.contains("rows") else { throw ServiceError(.badRequest, "the request has no \"rows\"", field: "rows") }
            return try rows.csv(buffer, reader)
        }
        csv = csvBytes
        rowLines = lines
        self.regime = regime ?? Self.defaultRegime
        self.compare = compare
        self.commit = commit
        try checkOptions()
    }

    private func checkOptions() throws {
        if compare != nil && commit {
            throw ServiceError(.badRequest, "a commit records one regime; it cannot be combined with \"compare\"", field: "compare")
        }
        if rowLines.isEmpty { throw ServiceError(.badRequest, "the request has no rows", field: "rows") }
    }

    static func pair(_ text: String) throws -> (String, String) {
        let parts = text.split(separator: ",").map { String($0).trimmingASCIIWhitespace() }
        guard parts.count == 2 else { throw ServiceError(.badRequest, "compare takes two regimes: A,B", field: "compare", value: text) }
        return (parts[0], parts[1])
    }

    static func tooManyRows(_ limits: RequestLimits) -> ServiceError {
        ServiceError(.tooLarge, "the request has more than \(limits.maxRows) rows (the limit); split it", field: "rows")
    }
}

/// The rows of a JSON request as they are read: each row's cells as spans of the body, by column.
struct RowTable {
    /// Column names in first-seen order, with their bytes for quick comparison.
    var columns: [String] = []
    var columnBytes: [[UInt8]] = []
    var index: [String: Int] = [:]
    /// Cells of every row: column, span in the body, and whether the span has JSON escapes or is a
    /// literal (number, true, false; null is an empty cell).
    var cells: [(column: Int32, start: Int32, end: Int32, escaped: Bool)] = []
    /// Where each row's cells start in `cells`.
    var rowStarts: [Int] = []

    mutating func column(_ reader: JSONReader, _ span: (start: Int, end: Int, escaped: Bool), guess: Int) throws -> Int {
        if !span.escaped, guess < columnBytes.count {
            let name = columnBytes[guess]
            if name.count == span.end - span.start {
                var same = true
                for k in 0..<name.count where reader.bytes[span.start + k] != name[k] { same = false; break }
                if same { return guess }
            }
        }
        let key = span.escaped ? String(decoding: try reader.decode(span.start, span.end), as: UTF8.self)
            : String(decoding: UnsafeBufferPointer(rebasing: reader.bytes[span.start..<span.end]), as: UTF8.self)
        if let known = index[key] { return known }
        index[key] = columns.count
        columns.append(key)
        columnBytes.append(Array(key.utf8))
        return columns.count - 1
    }

    mutating func read(_ reader: inout JSONReader, limits: RequestLimits) throws {
        try reader.expect(UInt8(ascii: "["), "\"rows\" to be an array of objects")
        try reader.enter()
        defer { reader.depth -= 1 }
        if reader.peek() == UInt8(ascii: "]") { reader.index += 1; return }
        while true {
            rowStarts.append(cells.count)
            if rowStarts.count > limits.maxRows { throw ScreeningRequest.tooManyRows(limits) }
            let row = rowStarts.count
            guard reader.peek() == UInt8(ascii: "{") else {
                throw ServiceError(.badRequest, "row \(row): each row must be an object of column names and values", row: row)
            }
            reader.index += 1
            try reader.enter()
            var position = 0
            if reader.peek() == UInt8(ascii: "}") { reader.index += 1 } else {
                while true {
                    let key = try reader.stringSpan()
                    let column = try self.column(reader, key, guess: position)
                    position += 1
                    for k in rowStarts[row - 1]..<cells.count where cells[k].column == Int32(column) {
                        throw ServiceError(.badRequest, "row \(row): column \"\(columns[column])\" appears twice", row: row, field: columns[column])
                    }
                    try reader.expect(UInt8(ascii: ":"), "':'")
                    switch reader.peek() {
                    case UInt8(ascii: "\"")?:
                        let value = try reader.stringSpan()
                        cells.append((Int32(column), Int32(value.start), Int32(value.end), value.escaped))
                    case UInt8(ascii: "n")?:
                        try reader.literal("null")
                    case UInt8(ascii: "{")?, UInt8(ascii: "[")?, nil:
                        throw ServiceError(.badRequest, "row \(row): column \"\(columns[column])\" must be a string", row: row, field: columns[column])
                    default:
                        let start = reader.index
                        switch try reader.value() {
                        case .number, .bool: cells.append((Int32(column), Int32(start), Int32(reader.index), false))
                        default: throw ServiceError(.badRequest, "row \(row): column \"\(columns[column])\" must be a string", row: row, field: columns[column])
                        }
                    }
                    if try !reader.next(UInt8(ascii: "}")) { break }
                }
            }
            reader.depth -= 1
            if try !reader.next(UInt8(ascii: "]")) { return }
        }
    }

    /// The rows as a transactions CSV (header: the columns in first-seen order; a missing member is
    /// an empty cell), and the line each row starts on.
    func csv(_ body: UnsafeBufferPointer<UInt8>, _ reader: JSONReader) throws -> ([UInt8], [Int]) {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 64)
        for (i, name) in columns.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            Self.append(Array(name.utf8)[...], to: &out)
        }
        out.append(0x0A)
        var line = 2
        var lines: [Int] = []
        lines.reserveCapacity(rowStarts.count)
        var slots = [Int](repeating: -1, count: columns.count)
        for (r, start) in rowStarts.enumerated() {
            let end = r + 1 < rowStarts.count ? rowStarts[r + 1] : cells.count
            for k in slots.indices { slots[k] = -1 }
            for k in start..<end { slots[Int(cells[k].column)] = k }
            lines.append(line)
            for (c, k) in slots.enumerated() {
                if c > 0 { out.append(UInt8(ascii: ",")) }
                guard k >= 0 else { continue }
                let cell = cells[k]
                if cell.escaped {
                    let decoded = try reader.decode(Int(cell.start), Int(cell.end))
                    line += Self.append(decoded[...], to: &out)
                } else {
                    line += Self.append(body[Int(cell.start)..<Int(cell.end)], to: &out)
                }
            }
            out.append(0x0A)
            line += 1
        }
        return (out, lines)
    }

    /// Appends one CSV field (quoted when it holds a comma, quote or line break); returns the line
    /// breaks it holds.
    @discardableResult
    static func append<C: Collection>(_ bytes: C, to out: inout [UInt8]) -> Int where C.Element == UInt8 {
        var needsQuotes = false, breaks = 0
        for b in bytes where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
            needsQuotes = true
            if b == 0x0A { breaks += 1 }
        }
        guard needsQuotes else { out.append(contentsOf: bytes); return 0 }
        out.append(0x22)
        for b in bytes {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
        return breaks
    }
}
