import ByteInterning
import ComputeMetrics
import DiffusionRules
import Foundation
import NameMatching
import TabularIO

/// A transactions file read and validated in full: every row is checked before anything is
/// screened or recorded, so a file with any bad row records nothing.
public struct TransactionFile: Sendable {
    public var transactions: [Transaction]
    public var items: ItemTable
    public var parties: PartyTable
    public var displayName: String
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
        while let record = try table.next() {
            let transaction = try context.parse(record)
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
                               displayName: reader.displayName)
    }
}

/// Parses one record into a transaction, interning items and parties.
struct RowParser {
    let table: CSVTable
    let book: RuleBook
    var items: ItemTable
    var parties: PartyTable
    let columns: Columns
    /// Catalog index by item name as typed (rows without figures).
    private(set) var itemCache: [String: Int]
    /// Names as read (trimmed bytes) to their party, and item names of rows without figures to their
    /// item and label: the hot path interns from bytes and builds no `String` for a known name.
    private var partyNames = ByteInterner(capacity: 1024)
    private var partyOfName: [Int32] = []
    private var itemNames = ByteInterner(capacity: 64)
    private var itemOfName: [(item: Int32, label: Int32)] = []

    struct Columns {
        var id, date, quantity, destination, consignee, hq: Int
        var item, tpp, dieArea, datacenter, parent, exporterCountry, interconnect, dram, veu, endUse: Int?
        /// Parties screened by part 744 only (issue 10).
        var endUser, intermediateConsignee, purchaser: Int?
    }

    /// A parser for `table`; a later part of a file read apart continues with the tables of the
    /// parser that read the part before (same ids for the same names).
    init(table: CSVTable, book: RuleBook, continuing previous: RowParser? = nil) {
        self.table = table
        self.book = book
        self.items = previous?.items ?? ItemTable(catalog: book.catalog)
        self.parties = previous?.parties ?? PartyTable()
        self.itemCache = previous?.itemCache ?? [:]
        if let previous {
            partyNames = previous.partyNames
            partyOfName = previous.partyOfName
            itemNames = previous.itemNames
            itemOfName = previous.itemOfName
        }
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

    /// How far the tables went: a parser that continued from another adds after these.
    struct Counts {
        var parties: Int, items: Int, labels: Int, itemNames: Int
    }

    var counts: Counts {
        Counts(parties: parties.names.count, items: items.specs.count, labels: items.labels.count, itemNames: itemOfName.count)
    }

    /// Adds what `other` interned after `base` (it continued from a parser with those counts), in
    /// its order: parties, items, labels, and the name caches. Parsing runs of a file on several
    /// threads and absorbing them in file order gives the tables one parser would have built.
    mutating func absorb(_ other: RowParser, since base: Counts) {
        for name in other.parties.names[base.parties...] {
            let party = parties.intern(name)
            var bytes = name
            bytes.withUTF8 { if Int(partyNames.intern($0)) == partyOfName.count { partyOfName.append(party) } }
        }
        let catalogCount = book.catalog.chips.count
        for i in base.items..<other.items.specs.count {
            let from = other.items.catalogItem[i]
            _ = items.intern(custom: other.items.specs[i], derivedFrom: from < catalogCount ? from : nil)
        }
        for label in other.items.labels[base.labels...] { _ = items.intern(label: label) }
        for id in base.itemNames..<other.itemOfName.count {
            var name = other.itemNames.name(Int32(id))
            let entry = other.itemOfName[id]
            let mapped = entry.item < 0 ? (Int32(-1), Int32(-1)) : (entry.item, items.intern(label: name))
            name.withUTF8 { if Int(itemNames.intern($0)) == itemOfName.count { itemOfName.append(mapped) } }
        }
    }

    private func fail(_ record: CSVRecord, _ column: Int, _ message: String) -> CSVInputError {
        table.error(record, column: column, message: message)
    }

    private func nonEmpty(_ record: CSVRecord, _ column: Int) throws(CSVInputError) -> String {
        let text = record.withBytes(at: column) { String(decoding: RowParser.trimmed($0), as: UTF8.self) }
        if text.isEmpty { throw fail(record, column, "is empty; a value is required") }
        return text
    }

    /// A field's bytes without leading and trailing spaces and tabs (as ``String/trimmingASCIIWhitespace()``).
    @inline(__always) static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// The party named by a cell (trimmed), interned from its bytes; nil when the trimmed name is
    /// empty and `required`.
    private mutating func party(_ record: CSVRecord, _ column: Int, required: Bool) -> Int32? {
        record.withBytes(at: column) { raw -> Int32? in
            let bytes = RowParser.trimmed(raw)
            if required && bytes.isEmpty { return nil }
            let id = Int(partyNames.intern(bytes))
            if id < partyOfName.count { return partyOfName[id] }
            let party = parties.intern(String(decoding: bytes, as: UTF8.self))
            partyOfName.append(party)
            return party
        }
    }

    /// The party of an optional party column (`end_user`, ...): -1 when the column is absent or the
    /// trimmed cell empty.
    private mutating func optionalParty(_ record: CSVRecord, _ column: Int?) -> Int32 {
        guard let column, !record.isEmpty(at: column) else { return -1 }
        return party(record, column, required: true) ?? -1
    }

    /// Whether a cell's trimmed bytes equal `text` ignoring ASCII case (`text` in the case to compare).
    @inline(__always) static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString, upper: Bool) -> Bool {
        text.withUTF8Buffer { equalsIgnoringCase(bytes, $0, upper: upper) }
    }

    /// The same for a lower-case `String` (end-use codes).
    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, lowercase text: String) -> Bool {
        var text = text
        return text.withUTF8 { equalsIgnoringCase(bytes, $0, upper: false) }
    }

    @inline(__always) static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ expected: UnsafeBufferPointer<UInt8>,
                                                     upper: Bool) -> Bool {
        guard bytes.count == expected.count else { return false }
        for i in 0..<bytes.count {
            var b = bytes[i]
            if upper, b >= 0x61, b <= 0x7A { b -= 0x20 }
            if !upper, b >= 0x41, b <= 0x5A { b += 0x20 }
            if b != expected[i] { return false }
        }
        return true
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

        let item: Int, labelID: Int32
        if let fast = fastItem(record) {
            (item, labelID) = fast
        } else {
            let (resolved, label) = try resolveItem(record)
            (item, labelID) = (resolved, items.intern(label: label))
        }
        guard let perUnit = items.tppPerUnit[item] else {
            throw fail(record, columns.item ?? columns.id,
                       "has no published TPP in the catalog; give the tpp column (and die_area_mm2, datacenter) for this row")
        }
        if perUnit.multiplied(by: quantity) == nil {
            throw fail(record, columns.quantity, "times the item's TPP is too large")
        }

        let destination = try country(record, columns.destination)
        guard let consignee = party(record, columns.consignee, required: true) else {
            throw fail(record, columns.consignee, "is empty; a value is required")
        }
        let hq = try country(record, columns.hq)
        var parent = consignee
        if let column = columns.parent, !record.isEmpty(at: column) {
            parent = party(record, column, required: false)!
        }
        var exporter = CountryCode.unitedStates
        if let column = columns.exporterCountry, !record.isEmpty(at: column) {
            exporter = try country(record, column)
        }
        var veu = VEUStatus.none
        if let column = columns.veu {
            // Case-insensitive: empty, UVEU or NVEU.
            guard let status = record.withBytes(at: column, { raw -> VEUStatus? in
                let bytes = RowParser.trimmed(raw)
                if bytes.isEmpty { return VEUStatus.none }
                if RowParser.equalsIgnoringCase(bytes, "UVEU", upper: true) { return .universal }
                if RowParser.equalsIgnoringCase(bytes, "NVEU", upper: true) { return .national }
                return nil
            }) else { throw fail(record, column, "must be empty, UVEU or NVEU") }
            veu = status
        }
        var endUse = EndUse.unspecified
        if let column = columns.endUse {
            guard let use = record.withBytes(at: column, { raw -> EndUse? in
                let bytes = RowParser.trimmed(raw)
                if bytes.isEmpty { return .unspecified }
                for use in EndUse.allCases.dropFirst() where RowParser.equalsIgnoringCase(bytes, lowercase: use.code) { return use }
                return nil
            }) else {
                let codes = EndUse.allCases.dropFirst().map(\.code)
                throw fail(record, column, "must be empty, \(codes.dropLast().joined(separator: ", ")) or \(codes.last!)")
            }
            endUse = use
        }
        return Transaction(id: id, line: Int32(clamping: record.line), date: date, item: Int32(item),
                           itemLabel: labelID, quantity: quantity,
                           destination: destination, consignee: consignee, consigneeHQ: hq, ultimateParent: parent,
                           exporterCountry: exporter, veu: veu, endUse: endUse,
                           endUser: optionalParty(record, columns.endUser),
                           intermediateConsignee: optionalParty(record, columns.intermediateConsignee),
                           purchaser: optionalParty(record, columns.purchaser))
    }

    /// A row that names an item seen before and gives no figures: its item and label from the name's
    /// bytes; nil otherwise (``resolveItem(_:)`` decides, with its checks and messages).
    private mutating func fastItem(_ record: CSVRecord) -> (Int, Int32)? {
        guard let column = columns.item else { return nil }
        for figure in [columns.tpp, columns.dieArea, columns.interconnect, columns.dram, columns.datacenter] {
            if let figure, !record.isEmpty(at: figure) { return nil }
        }
        return record.withBytes(at: column) { raw -> (Int, Int32)? in
            let bytes = RowParser.trimmed(raw)
            guard !bytes.isEmpty else { return nil }
            let id = Int(itemNames.intern(bytes))
            if id < itemOfName.count { return itemOfName[id].item < 0 ? nil : (Int(itemOfName[id].item), itemOfName[id].label) }
            // First time: resolve as typed; only a catalog item without figures is remembered.
            let name = String(decoding: bytes, as: UTF8.self)
            guard let index = book.catalog.index(of: name) else {
                itemOfName.append((-1, -1))
                return nil
            }
            itemCache[name] = index
            itemOfName.append((Int32(index), items.intern(label: name)))
            return (index, itemOfName[id].label)
        }
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
