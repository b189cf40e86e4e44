import Crypto
import DiffusionRules
import Foundation
import PartyMatching
import PartyScreening
import TabularIO

/// Loads restricted-party list files, recognizing the format by content:
///
/// | format | recognized by |
/// |---|---|
/// | `csl-json` | first non-space character `{` or `[` |
/// | `bis-dpl-tsv` | a tab-separated header starting `Name` with `Effective_Date` |
/// | `csl-csv` | a CSV header with `source` and `name` |
/// | `user-csv` | a CSV header with `name` and `list` (`name,aliases,country,address,list,license_requirement,license_policy,federal_register_notice,start_date,end_date`) |
///
/// No list is bundled: the caller names every file. A bad file throws ``CSVInputError`` naming
/// file, line, column and value; nothing is loaded.
///
/// ```swift
/// let library = try ListFiles.load(["csl.csv", "dpl.tsv"], catalog: catalog, registry: book.registry,
///                                  configuration: try PartyMatchingData.configuration())
/// library.files.map(\.sha256)
/// ```
public enum ListFiles {
    /// Reads every file and indexes the entries.
    public static func load(_ paths: [String], catalog: ListCatalog, registry: CountryRegistry,
                            configuration: MatchingConfiguration) throws(CSVInputError) -> PartyLibrary {
        var entries: [ListEntry] = []
        var summaries: [ListFileSummary] = []
        for path in paths {
            let (fileEntries, summary) = try read(path, catalog: catalog, registry: registry)
            entries += fileEntries
            summaries.append(summary)
        }
        return PartyLibrary(entries: entries, files: summaries, configuration: configuration)
    }

    /// One file's entries and summary.
    public static func read(_ path: String, catalog: ListCatalog, registry: CountryRegistry) throws(CSVInputError) -> ([ListEntry], ListFileSummary) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CSVInputError(file: path, line: nil, message: "cannot read the file")
        }
        let bytes = [UInt8](data)
        let format = detect(bytes)
        let entries: [ListEntry]
        switch format {
        case "csl-json":
            entries = try CSLJSONReader.read(bytes, file: path, catalog: catalog, registry: registry)
        case "bis-dpl-tsv":
            entries = try TabularListReaders.dpl(CSVRecordReader(bytes: bytes, displayName: path, separator: 0x09),
                                                 registry: registry, catalog: catalog)
        case "csl-csv":
            entries = try TabularListReaders.csl(CSVRecordReader(bytes: bytes, displayName: path), catalog: catalog, registry: registry)
        case "user-csv":
            entries = try TabularListReaders.user(CSVRecordReader(bytes: bytes, displayName: path), catalog: catalog, registry: registry)
        default:
            throw CSVInputError(file: path, line: 1, message: "is not a list format the tool reads: expected the Consolidated Screening List (CSV with source,name,... or JSON), BIS's Denied Persons List (tab-separated, Name...Effective_Date) or a list with the columns name,aliases,country,address,list,license_requirement,license_policy,federal_register_notice,start_date,end_date")
        }
        if entries.isEmpty { throw CSVInputError(file: path, line: 2, message: "has no entries") }
        var counts: [String: Int] = [:]
        for entry in entries { counts[entry.list, default: 0] += 1 }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let summary = ListFileSummary(path: path, format: format, sha256: digest,
                                      entriesByList: counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                                      newestStartDate: entries.compactMap(\.startDate).max())
        return (entries, summary)
    }

    /// The format of a file from its first bytes (see the table above), or `unknown`.
    static func detect(_ bytes: [UInt8]) -> String {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        guard start < bytes.count else { return "unknown" }
        if bytes[start] == UInt8(ascii: "{") || bytes[start] == UInt8(ascii: "[") { return "csl-json" }
        let end = bytes[start...].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) ?? bytes.count
        let header = String(decoding: bytes[start..<end], as: UTF8.self)
        if header.contains("\t") {
            let names = header.split(separator: "\t").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
            return names.contains("Name") && names.contains("Effective_Date") ? "bis-dpl-tsv" : "unknown"
        }
        let names = header.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
        if names.contains("source") && names.contains("name") { return "csl-csv" }
        if names.contains("name") && names.contains("list") { return "user-csv" }
        return "unknown"
    }
}

/// Reads an ownership file: `owner,owned,share,as_of`, `share` a fraction in (0, 1], `as_of` a
/// date. A bad cell is a ``CSVInputError`` naming file, line, column and value.
///
/// ```swift
/// let records = try OwnershipFile.read("ownership.csv")
/// ```
public enum OwnershipFile {
    public static let columns = ["owner", "owned", "share", "as_of"]

    public static func read(_ path: String) throws(CSVInputError) -> [OwnershipRecord] {
        try read(CSVRecordReader(path: path))
    }

    public static func read(_ reader: CSVRecordReader) throws(CSVInputError) -> [OwnershipRecord] {
        let table = try CSVTable(reader: reader, required: columns)
        var records: [OwnershipRecord] = []
        let (owner, owned, share, asOf) = (table.column("owner")!, table.column("owned")!, table.column("share")!, table.column("as_of")!)
        while let record = try table.next() {
            let ownerName = record.string(at: owner).trimmingASCIIWhitespace()
            let ownedName = record.string(at: owned).trimmingASCIIWhitespace()
            if ownerName.isEmpty { throw table.error(record, column: owner, message: "is empty; a value is required") }
            if ownedName.isEmpty { throw table.error(record, column: owned, message: "is empty; a value is required") }
            guard let fraction = Double(record.string(at: share).trimmingASCIIWhitespace()), fraction.isFinite else {
                throw table.error(record, column: share, message: "is not a number")
            }
            guard fraction > 0, fraction <= 1 else {
                throw table.error(record, column: share, message: "must be a fraction in (0, 1] (60% is 0.6)")
            }
            guard let day = Day(record.string(at: asOf).trimmingASCIIWhitespace()) else {
                throw table.error(record, column: asOf, message: "is not a date in YYYY-MM-DD form")
            }
            if OwnershipGraphKey.same(ownerName, ownedName) {
                throw table.error(record, column: owned, message: "is the same party as the owner")
            }
            records.append(OwnershipRecord(owner: ownerName, owned: ownedName, share: fraction, asOf: day, line: record.line))
        }
        if records.isEmpty { throw CSVInputError(file: reader.displayName, line: 2, message: "has a header but no ownership records") }
        return records
    }
}

/// Plain comparison for the self-ownership check (names normalized later by the graph).
enum OwnershipGraphKey {
    static func same(_ a: String, _ b: String) -> Bool {
        a.lowercased().filter { $0.isLetter || $0.isNumber } == b.lowercased().filter { $0.isLetter || $0.isNumber }
    }
}
