import ComputeMetrics
import DiffusionRules
import Foundation
import NameMatching
import PartyScreening
import TabularIO

/// A transactions file read and validated in full: every row is checked before anything is
/// screened or recorded, so a file with any bad row records nothing.
public struct TransactionFile: Sendable {
    public var transactions: [Transaction]
    public var items: ItemTable
    public var parties: PartyTable
    public var displayName: String
    /// The `end_user`, `intermediate_consignee` and `purchaser` of each row, in row order; nil when
    /// the file has none of those columns.
    public var rowParties: [RowParties]?

    public init(transactions: [Transaction], items: ItemTable, parties: PartyTable, displayName: String, rowParties: [RowParties]? = nil) {
        self.transactions = transactions
        self.items = items
        self.parties = parties
        self.displayName = displayName
        self.rowParties = rowParties
    }
}

/// Reads the transactions CSV of formats.md (header row, columns in any order, unknown columns
/// rejected) into validated ``Transaction`` values.
///
/// Every problem is a ``CSVInputError`` naming file, line, column and value, e.g.
/// `deals.csv:14: column "destination": "UK" is not an ISO 3166-1 alpha-2 code (did you mean GB?)`.
///
/// ```swift
/// let file = try TransactionReader.read(path: "examples/deals-2023-2026.csv", book: book)
/// file.transactions.count   // 18
/// ```
public enum TransactionReader {
    public static let requiredColumns = ["id", "date", "quantity", "destination", "consignee", "consignee_hq"]
    public static let optionalColumns = [
        "item", "tpp", "die_area_mm2", "datacenter", "ultimate_parent", "exporter_country", "exporter",
        "interconnect_gbps", "dram_bandwidth_gbps", "veu", "end_use", "end_user", "intermediate_consignee", "purchaser",
    ]
    /// Largest quantity accepted on one row (a guard against typos and overflow).
    public static let maximumQuantity: Int64 = 1_000_000_000_000

    /// Reads and validates a whole file. Throws ``CSVInputError`` for the first bad cell.
    public static func read(path: String, displayName: String? = nil, book: RuleBook) throws(CSVInputError) -> TransactionFile {
        // Reserve for the most rows the file can hold (a minimal row is ~27 bytes): the array never
        // regrows (a regrowth briefly holds two copies); pages not used are never touched.
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return try read(reader: CSVRecordReader(path: path, displayName: displayName), book: book, rowCapacity: size / 24)
    }

    /// Reads from an open reader (tests use in-memory bytes).
    public static func read(reader: CSVRecordReader, book: RuleBook, rowCapacity: Int = 0) throws(CSVInputError) -> TransactionFile {
        let table = try CSVTable(reader: reader, required: requiredColumns, optional: optionalColumns)
        var context = RowParser(table: table, book: book)
        var transactions: [Transaction] = []
        transactions.reserveCapacity(rowCapacity)
        var ids = RowIDIndex()
        var rowParties: [RowParties]? = context.columns.hasOtherParties ? [] : nil
        while let record = try table.next() {
            let transaction = try context.parse(record)
            if rowParties != nil { rowParties!.append(context.otherParties(record)) }
            if let first = ids.insert(transaction.id, row: transactions.count, in: transactions) {
                throw table.error(record, column: table.column("id")!,
                                  message: "is a duplicate id (first used on line \(transactions[first].line))")
            }
            transactions.append(transaction)
        }
        if transactions.isEmpty {
            throw CSVInputError(file: reader.displayName, line: 2, message: "has a header but no transactions")
        }
        return TransactionFile(transactions: transactions, items: context.items, parties: context.parties,
                               displayName: reader.displayName, rowParties: rowParties)
    }
}

/// Parses one record into a transaction, interning items and parties.
struct RowParser {
    let table: CSVTable
    let book: RuleBook
    var items: ItemTable
    var parties = PartyTable()
    let columns: Columns
    private var itemCache: [String: Int] = [:]

    struct Columns {
        var id, date, quantity, destination, consignee, hq: Int
        var item, tpp, dieArea, datacenter, parent, exporterCountry, interconnect, dram, veu, endUse: Int?
        var endUser, intermediateConsignee, purchaser: Int?

        var hasOtherParties: Bool { endUser != nil || intermediateConsignee != nil || purchaser != nil }
    }

    init(table: CSVTable, book: RuleBook) {
        self.table = table
        self.book = book
        self.items = ItemTable(catalog: book.catalog)
        self.columns = Columns(
            id: table.column("id")!, date: table.column("date")!, quantity: table.column("quantity")!,
            destination: table.column("destination")!, consignee: table.column("consignee")!,
            hq: table.column("consignee_hq")!, item: table.column("item"), tpp: table.column("tpp"),
            dieArea: table.column("die_area_mm2"), datacenter: table.column("datacenter"),
            parent: table.column("ultimate_parent"), exporterCountry: table.column("exporter_country"),
            interconnect: table.column("interconnect_gbps"), dram: table.column("dram_bandwidth_gbps"),
            veu: table.column("veu"), endUse: table.column("end_use"), endUser: table.column("end_user"),
            intermediateConsignee: table.column("intermediate_consignee"), purchaser: table.column("purchaser"))
    }

    /// The row's end user, intermediate consignee and purchaser (party screening), interned.
    mutating func otherParties(_ record: CSVRecord) -> RowParties {
        func party(_ column: Int?) -> Int32 {
            guard let column, !record.isEmpty(at: column) else { return -1 }
            let name = record.string(at: column).trimmingASCIIWhitespace()
            return name.isEmpty ? -1 : parties.intern(name)
        }
        return RowParties(endUser: party(columns.endUser), intermediateConsignee: party(columns.intermediateConsignee),
                          purchaser: party(columns.purchaser))
    }

    private func fail(_ record: CSVRecord, _ column: Int, _ message: String) -> CSVInputError {
        table.error(record, column: column, message: message)
    }

    private func nonEmpty(_ record: CSVRecord, _ column: Int) throws(CSVInputError) -> String {
        let text = record.string(at: column).trimmingASCIIWhitespace()
        if text.isEmpty { throw fail(record, column, "is empty; a value is required") }
        return text
    }

    /// A known upper-case ISO code, read from the cell's bytes without building a string.
    private func country(_ record: CSVRecord, _ column: Int) throws(CSVInputError) -> CountryCode {
        if let code = record.withBytes(at: column, { bytes -> CountryCode? in
            guard bytes.count == 2, bytes[0] >= 65, bytes[0] <= 90, bytes[1] >= 65, bytes[1] <= 90 else { return nil }
            return CountryCode(utf8: bytes)
        }), book.registry.contains(code) {
            return code
        }
        let text = record.string(at: column).trimmingASCIIWhitespace()
        if let code = CountryCode(text), text == code.description, book.registry.contains(code) { return code }
        let hint = book.registry.suggestion(for: text).map { " (did you mean \($0)?)" }
            ?? (CountryCode(text).flatMap { book.registry.contains($0) ? " (write it in upper case: \($0))" : nil } ?? "")
        throw fail(record, column, "is not an ISO 3166-1 alpha-2 code\(hint)")
    }

    /// A YYYY-MM-DD date read from the cell's bytes.
    private func date(_ record: CSVRecord, _ column: Int) throws(CSVInputError) -> Day {
        if let day = record.withBytes(at: column, { Day(utf8: $0) }) { return day }
        if let day = Day(record.string(at: column).trimmingASCIIWhitespace()) { return day }
        throw fail(record, column, "is not a date in YYYY-MM-DD form")
    }

    /// A positive whole number of units, read from the cell's bytes.
    private func quantity(_ record: CSVRecord, _ column: Int) throws(CSVInputError) -> Int64 {
        let fast = record.withBytes(at: column) { bytes -> Int64? in
            guard !bytes.isEmpty, bytes.count <= 13 else { return nil }
            var value: Int64 = 0
            for byte in bytes {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        let value: Int64
        if let fast {
            value = fast
        } else {
            guard let parsed = Int64(record.string(at: column).trimmingASCIIWhitespace()) else {
                throw fail(record, column, "is not a whole number of units")
            }
            value = parsed
        }
        guard value > 0 else { throw fail(record, column, "must be a positive number of units") }
        guard value <= TransactionReader.maximumQuantity else {
            throw fail(record, column, "is larger than \(TransactionReader.maximumQuantity) units")
        }
        return value
    }

    private func optionalNumber(_ record: CSVRecord, _ column: Int?, positive: Bool) throws(CSVInputError) -> Double? {
        guard let column, !record.isEmpty(at: column) else { return nil }
        let text = record.string(at: column).trimmingASCIIWhitespace()
        guard let milli = TPP(parsing: Substring(text)) else { throw fail(record, column, "is not a number") }
        if positive ? milli.milli <= 0 : milli.milli < 0 {
            throw fail(record, column, positive ? "must be greater than 0" : "must not be negative")
        }
        return milli.value
    }

    mutating func parse(_ record: CSVRecord) throws(CSVInputError) -> Transaction {
        let id = try nonEmpty(record, columns.id)
        let date = try date(record, columns.date)
        let quantity = try quantity(record, columns.quantity)

        let (item, label) = try resolveItem(record)
        guard let perUnit = items[item].tpp else {
            throw fail(record, columns.item ?? columns.id,
                       "has no published TPP in the catalog; give the tpp column (and die_area_mm2, datacenter) for this row")
        }
        if perUnit.multiplied(by: quantity) == nil {
            throw fail(record, columns.quantity, "times the item's TPP is too large")
        }

        let destination = try country(record, columns.destination)
        let consigneeName = try nonEmpty(record, columns.consignee)
        let hq = try country(record, columns.hq)
        let consignee = parties.intern(consigneeName)
        var parent = consignee
        if let column = columns.parent, !record.isEmpty(at: column) {
            parent = parties.intern(record.string(at: column).trimmingASCIIWhitespace())
        }
        var exporter = CountryCode.unitedStates
        if let column = columns.exporterCountry, !record.isEmpty(at: column) {
            exporter = try country(record, column)
        }
        var veu = VEUStatus.none
        if let column = columns.veu {
            let text = record.string(at: column).trimmingASCIIWhitespace().uppercased()
            guard let status = VEUStatus(code: text) else { throw fail(record, column, "must be empty, UVEU or NVEU") }
            veu = status
        }
        var endUse = EndUse.unspecified
        if let column = columns.endUse {
            let text = record.string(at: column).trimmingASCIIWhitespace().lowercased()
            guard let use = EndUse(code: text) else {
                let codes = EndUse.allCases.dropFirst().map(\.code)
                throw fail(record, column, "must be empty, \(codes.dropLast().joined(separator: ", ")) or \(codes.last!)")
            }
            endUse = use
        }
        return Transaction(id: id, line: Int32(clamping: record.line), date: date, item: Int32(item),
                           itemLabel: items.intern(label: label), quantity: quantity,
                           destination: destination, consignee: consignee, consigneeHQ: hq, ultimateParent: parent,
                           exporterCountry: exporter, veu: veu, endUse: endUse)
    }

    /// The item index and the label to print: a catalog item, possibly with figures given on the row,
    /// or an uncatalogued item described by its figures.
    private mutating func resolveItem(_ record: CSVRecord) throws(CSVInputError) -> (Int, String) {
        let name = columns.item.map { record.string(at: $0).trimmingASCIIWhitespace() } ?? ""
        let tpp = try optionalNumber(record, columns.tpp, positive: true)
        let dieArea = try optionalNumber(record, columns.dieArea, positive: true)
        let interconnect = try optionalNumber(record, columns.interconnect, positive: false)
        let dram = try optionalNumber(record, columns.dram, positive: false)
        var datacenter: Bool?
        if let column = columns.datacenter, !record.isEmpty(at: column) {
            switch record.string(at: column).trimmingASCIIWhitespace().lowercased() {
            case "true": datacenter = true
            case "false": datacenter = false
            default: throw fail(record, column, "must be true or false")
            }
        }
        let rowHasFigures = tpp != nil || dieArea != nil || datacenter != nil || interconnect != nil || dram != nil

        var base: ChipSpec
        var baseIndex: Int?
        if !name.isEmpty {
            if !rowHasFigures, let cached = itemCache[name] { return (cached, name) }
            guard let index = book.catalog.index(of: name) else {
                let suggestions = book.catalog.suggestions(for: name)
                let hint = suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "\"\($0)\"" }.joined(separator: ", "))?)"
                if tpp == nil {
                    throw fail(record, columns.item!, "is not in the chip catalog\(hint); give its tpp (and die_area_mm2, datacenter) to screen it")
                }
                base = ChipSpec(name: name, tpp: nil)
                return (intern(base, tpp: tpp, dieArea: dieArea, datacenter: datacenter, interconnect: interconnect,
                               dram: dram, line: record.line, derivedFrom: nil), name)
            }
            if !rowHasFigures {
                itemCache[name] = index
                return (index, name)
            }
            base = book.catalog.chips[index]
            baseIndex = index
        } else {
            guard tpp != nil else {
                throw fail(record, columns.item ?? columns.id, "is empty and the row has no tpp; name a catalog item or give its figures")
            }
            base = ChipSpec(name: "uncatalogued item", tpp: nil)
        }
        let index = intern(base, tpp: tpp, dieArea: dieArea, datacenter: datacenter, interconnect: interconnect,
                           dram: dram, line: record.line, derivedFrom: baseIndex)
        return (index, name.isEmpty ? "tpp:\(TPP(tpp ?? 0))" : name)
    }

    private mutating func intern(_ base: ChipSpec, tpp: Double?, dieArea: Double?, datacenter: Bool?, interconnect: Double?,
                                 dram: Double?, line: Int, derivedFrom: Int?) -> Int {
        var spec = base
        let source = "\(table.reader.displayName) (input row)"
        if let tpp { spec.tpp = TPP(tpp); spec.sources["tpp"] = source }
        if let dieArea { spec.dieAreaMM2 = dieArea; spec.sources["die_area_mm2"] = source }
        if let datacenter { spec.datacenter = datacenter; spec.sources["datacenter"] = source }
        if let interconnect { spec.interconnectGBps = interconnect; spec.sources["interconnect_gbps"] = source }
        if let dram { spec.dramBandwidthGBps = dram; spec.sources["dram_bandwidth_gbps"] = source }
        return items.intern(custom: spec, derivedFrom: derivedFrom)
    }
}
