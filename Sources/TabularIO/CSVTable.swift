import NameMatching

/// A CSV file with a header row: checks the header against the columns a format allows and gives
/// each record with its cells addressable by column name.
///
/// ```swift
/// let table = try CSVTable(reader: CSVRecordReader(path: "fleet.csv"),
///                          required: ["holder", "country", "tpp"], optional: ["as_of"])
/// let holder = table.column("holder")!
/// while let row = try table.next() { print(row.string(at: holder)) }
/// ```
public final class CSVTable {
    public let reader: CSVRecordReader
    /// Header names, trimmed, in file order.
    public let header: [String]
    private let indexByName: [String: Int]

    /// Reads the header. Throws ``CSVInputError`` for an empty file, an unknown column (unless
    /// `allowOtherColumns`, for third-party reference files), a duplicate column, or a missing
    /// required column.
    public init(reader: CSVRecordReader, required: [String], optional: [String] = [],
                allowOtherColumns: Bool = false) throws(CSVInputError) {
        self.reader = reader
        guard let first = try reader.next() else {
            throw CSVInputError(file: reader.displayName, line: 1, message: "file is empty; expected a header row with columns \(required.joined(separator: ", "))")
        }
        let names = first.strings.map { $0.trimmingASCIIWhitespace() }
        let allowed = Set(required + optional)
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            if !allowed.contains(name) && !allowOtherColumns {
                let hint = EditDistance.closest(to: name, in: required + optional).map { " (did you mean \($0)?)" } ?? ""
                throw CSVInputError(file: reader.displayName, line: first.line, column: "#\(i + 1)", value: name,
                                    message: "is not a known column\(hint); allowed: \((required + optional).joined(separator: ", "))")
            }
            if index[name] != nil {
                throw CSVInputError(file: reader.displayName, line: first.line, column: "#\(i + 1)", value: name,
                                    message: "appears twice in the header")
            }
            index[name] = i
        }
        for name in required where index[name] == nil {
            throw CSVInputError(file: reader.displayName, line: first.line, column: name,
                                message: "required column is missing from the header")
        }
        self.header = names
        self.indexByName = index
    }

    /// Continues a file whose header was checked before (a later part of it, read apart).
    public init(reader: CSVRecordReader, header: [String]) {
        self.reader = reader
        self.header = header
        self.indexByName = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Index of a column, or nil when the file does not have it.
    public func column(_ name: String) -> Int? { indexByName[name] }

    /// The next record, checked to have as many fields as the header.
    public func next() throws(CSVInputError) -> CSVRecord? {
        guard let record = try reader.next() else { return nil }
        if record.fieldCount != header.count {
            throw CSVInputError(file: reader.displayName, line: record.line,
                                message: "has \(record.fieldCount) fields but the header has \(header.count)")
        }
        return record
    }

    /// An error about one cell of a record.
    public func error(_ record: CSVRecord, column: Int, message: String) -> CSVInputError {
        CSVInputError(file: reader.displayName, line: record.line, column: header[column],
                      value: record.string(at: column), message: message)
    }

}

extension String {
    /// The string without leading and trailing spaces and tabs.
    public func trimmingASCIIWhitespace() -> String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        if first != 0x20 && first != 0x09 && last != 0x20 && last != 0x09 { return self }
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

