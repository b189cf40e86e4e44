import DiffusionRules
import Foundation
import TabularIO

/// A transactions file checked in full by a first pass that keeps no rows, ready to be read again
/// in batches by the second pass that screens it. Memory does not grow with the rows, apart from
/// duplicate-id fingerprints (about 5 bytes a row, ``RowIDFingerprints``) and one position per batch.
///
/// The first pass checks every cell (the same checks and messages as ``TransactionReader/read(path:displayName:book:)``),
/// interns items and parties, and finds duplicate ids. So "a bad row anywhere prints and records
/// nothing" still holds: nothing is screened until the whole file has passed. If the file changes
/// between the passes (size or modification time), the second pass stops with an error.
///
/// ```swift
/// let file = try ValidatedFile.validate(path: "deals.csv", book: book)
/// for batch in 0..<file.batchCount {
///     for transaction in try file.transactions(inBatch: batch) { ... }
/// }
/// ```
public final class ValidatedFile: @unchecked Sendable {
    /// A run of consecutive records: byte range, first line and the reader state at its start.
    struct Batch {
        var start: Int, end: Int
        var firstLine: Int
        var afterCarriageReturn: Bool
        var rows: Int
    }

    public let path: String
    public let displayName: String
    public let book: RuleBook
    public let rowCount: Int
    /// Items and parties of the whole file (the second pass finds every name in them).
    public var items: ItemTable { parser.items }
    public var parties: PartyTable { parser.parties }
    let header: [String]
    let batches: [Batch]
    private let parser: RowParser
    private let identity: FileIdentity
    private let descriptor: Int32

    public var batchCount: Int { batches.count }

    private init(path: String, displayName: String, book: RuleBook, rowCount: Int, header: [String], batches: [Batch],
                 parser: RowParser, identity: FileIdentity, descriptor: Int32) {
        self.path = path
        self.displayName = displayName
        self.book = book
        self.rowCount = rowCount
        self.header = header
        self.batches = batches
        self.parser = parser
        self.identity = identity
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Size and modification time, to notice a file that changes between the passes.
    struct FileIdentity: Equatable {
        var size: Int64, seconds: Int, nanoseconds: Int

        init?(descriptor: Int32) {
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { return nil }
            size = Int64(info.st_size)
            seconds = Int(info.st_mtim.tv_sec)
            nanoseconds = Int(info.st_mtim.tv_nsec)
        }
    }

    /// The first pass. Throws ``CSVInputError`` for the first bad cell in file order (a duplicate id
    /// counts where its second use is).
    ///
    /// Runs of records are cut on this thread (``RecordBoundaries``) and checked on every core, each
    /// with a copy of the tables built so far; then, one run at a time in file order, what a run
    /// interned joins the tables and its ids join the duplicate check. The first run with a bad
    /// cell stops the pass. Tables, errors and ids are those of one thread reading in order.
    ///
    /// - Parameters:
    ///   - batchRows: records per batch (of both passes).
    ///   - fingerprintBits: test hook (fewer bits force fingerprint collisions).
    public static func validate(path: String, displayName: String? = nil, book: RuleBook, batchRows: Int = 2048,
                                fingerprintBits: Int = 32) throws(CSVInputError) -> ValidatedFile {
        let name = displayName ?? path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0, let identity = FileIdentity(descriptor: descriptor) else {
            if descriptor >= 0 { close(descriptor) }
            throw CSVInputError(file: name, line: nil, message: "cannot open file")
        }
        do throws(CSVInputError) {
            // The header, read by the reader that knows the start of a file (byte-order marks).
            let reader = try CSVRecordReader(path: path, displayName: name)
            let table = try CSVTable(reader: reader, required: TransactionReader.requiredColumns,
                                     optional: TransactionReader.optionalColumns)
            let header = table.header
            var runs = RecordBoundaries(descriptor: descriptor, start: reader.consumed, line: reader.nextLine,
                                        afterCarriageReturn: reader.afterCarriageReturn, recordsPerRun: batchRows)
            var parser = RowParser(table: table, book: book)
            let latest = LockedValue(parser)
            var duplicates = DuplicateFinder(path: path, displayName: name, header: header, idColumn: table.column("id")!,
                                             fileSize: Int(identity.size), fingerprintBits: fingerprintBits)
            var batches: [Batch] = []
            var rows = 0
            let pipeline = BatchPipeline<RecordBoundaries.Run, CheckedRun, Void, Void>(
                next: { runs.next() },
                read: { _, run in CheckedRun.check(run, displayName: name, header: header, book: book, continuing: latest.value) },
                decide: { _, checked in
                    parser.absorb(checked.parser, since: checked.base)
                    latest.value = parser
                    for (i, hash) in checked.hashes.enumerated() {
                        duplicates.add(hash: hash, id: checked.ids[i], line: Int(checked.lines[i]), consumedBytes: checked.run.end,
                                       rowsConsumed: rows + checked.run.records)
                    }
                    if let error = checked.error { throw error }
                    rows += checked.run.records
                    batches.append(Batch(start: checked.run.start, end: checked.run.end, firstLine: checked.run.firstLine,
                                         afterCarriageReturn: checked.run.afterCarriageReturn, rows: checked.run.records))
                },
                format: { _, _ in }, write: { _, _ in })
            do {
                try pipeline.run()
            } catch let error as CSVInputError {
                // A duplicate id on an earlier line is the first error in file order.
                if let duplicate = duplicates.firstDuplicate(before: error.line ?? Int.max) { throw duplicate }
                throw error
            } catch {
                throw CSVInputError(file: name, line: nil, message: "cannot be read: \(error)")
            }
            if let duplicate = duplicates.firstDuplicate(before: Int.max) { throw duplicate }
            if rows == 0 {
                throw CSVInputError(file: name, line: 2, message: "has a header but no transactions")
            }
            return ValidatedFile(path: path, displayName: name, book: book, rowCount: rows, header: header,
                                 batches: batches, parser: parser, identity: identity, descriptor: descriptor)
        } catch {
            close(descriptor)
            throw error
        }
    }

    /// The second pass over one batch: its transactions, parsed again with the first pass's tables.
    /// Thread-safe (batches may be read concurrently). Throws ``CSVInputError`` if the file changed.
    public func transactions(inBatch index: Int) throws(CSVInputError) -> [Transaction] {
        let batch = batches[index]
        let changed = CSVInputError(file: displayName, line: nil,
                                    message: "changed after it was checked; screening stopped (nothing recorded; output above is incomplete)")
        guard FileIdentity(descriptor: descriptor) == identity else { throw changed }
        var bytes = [UInt8](repeating: 0, count: batch.end - batch.start)
        let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(batch.start)) }
        guard read == bytes.count else { throw changed }
        let reader = CSVRecordReader(bytes: bytes, displayName: displayName, firstLine: batch.firstLine,
                                     afterCarriageReturn: batch.afterCarriageReturn)
        let table = CSVTable(reader: reader, header: header)
        var parser = RowParser(table: table, book: book, continuing: self.parser)
        var out: [Transaction] = []
        out.reserveCapacity(batch.rows)
        do {
            while let record = try table.next() { out.append(try parser.parse(record)) }
        } catch {
            throw changed
        }
        guard out.count == batch.rows, parser.parties.names.count == self.parser.parties.names.count,
              parser.items.specs.count == self.parser.items.specs.count else { throw changed }
        return out
    }

    /// Every transaction in file order (small files, tests).
    public func allTransactions() throws(CSVInputError) -> [Transaction] {
        var out: [Transaction] = []
        for index in batches.indices { out += try transactions(inBatch: index) }
        return out
    }
}

/// Duplicate ids of the first pass: fingerprints of every id, and the candidates they flag,
/// confirmed by reading the ids of the file again (only when there are candidates).
struct DuplicateFinder {
    struct Candidate {
        var id: String
        var line: Int
    }

    let path: String, displayName: String, header: [String], idColumn: Int
    private let fileSize: Int
    private let fingerprintBits: Int
    private var fingerprints: RowIDFingerprints?
    /// Hashes and candidates of the first rows, until the row count can be estimated.
    private var early: [(hash: UInt64, id: String, line: Int)] = []
    private(set) var candidates: [Candidate] = []
    static let rowsForEstimate = 1024

    init(path: String, displayName: String, header: [String], idColumn: Int, fileSize: Int, fingerprintBits: Int) {
        self.path = path
        self.displayName = displayName
        self.header = header
        self.idColumn = idColumn
        self.fileSize = fileSize
        self.fingerprintBits = fingerprintBits
    }

    /// Records one id; `consumedBytes` and `rowsConsumed` give the bytes per row of the file so far.
    mutating func add(hash: UInt64, id: String, line: Int, consumedBytes: Int, rowsConsumed: Int) {
        if fingerprints == nil {
            early.append((hash, id, line))
            guard early.count == DuplicateFinder.rowsForEstimate else { return }
            // Rows in the file, estimated from the bytes per row so far (+5%).
            let estimate = Int(Double(fileSize) / Double(max(consumedBytes, 1)) * Double(rowsConsumed) * 1.05)
            start(expectedRows: estimate)
            return
        }
        if fingerprints!.insert(hash: hash) { candidates.append(Candidate(id: id, line: line)) }
    }

    private mutating func start(expectedRows: Int) {
        fingerprints = RowIDFingerprints(expectedRows: expectedRows, fingerprintBits: fingerprintBits)
        for row in early where fingerprints!.insert(hash: row.hash) {
            candidates.append(Candidate(id: row.id, line: row.line))
        }
        early = []
    }

    /// The first duplicate id on a line before `limit`, as the error the reader reports; nil when
    /// every candidate was a fingerprint collision of different ids.
    mutating func firstDuplicate(before limit: Int) -> CSVInputError? {
        if fingerprints == nil { start(expectedRows: early.count) }
        let relevant = candidates.filter { $0.line < limit }
        guard !relevant.isEmpty else { return nil }
        let ids = Set(relevant.map(\.id))
        let last = relevant.map(\.line).max()!
        var firstUse: [String: Int] = [:]
        do {
            let table = try CSVTable(reader: CSVRecordReader(path: path, displayName: displayName), required: ["id"],
                                     allowOtherColumns: true)
            while let record = try table.next(), record.line <= last {
                let id = record.string(at: idColumn).trimmingASCIIWhitespace()
                guard ids.contains(id) else { continue }
                if let first = firstUse[id] {
                    return table.error(record, column: idColumn, message: "is a duplicate id (first used on line \(first))")
                }
                firstUse[id] = record.line
            }
        } catch {
            return nil
        }
        return nil
    }
}

/// One run of the first pass, checked on a worker thread: its ids (with their hashes and lines),
/// the parser that read it (its tables grew from `base`), and the first bad cell, if any.
struct CheckedRun {
    var run: RecordBoundaries.Run
    var ids: [String] = []
    var hashes: [UInt64] = []
    var lines: [Int32] = []
    var parser: RowParser
    var base: RowParser.Counts
    var error: CSVInputError?

    static func check(_ run: RecordBoundaries.Run, displayName: String, header: [String], book: RuleBook,
                      continuing previous: RowParser) -> CheckedRun {
        let reader = CSVRecordReader(bytes: run.bytes, displayName: displayName, firstLine: run.firstLine,
                                     afterCarriageReturn: run.afterCarriageReturn)
        let table = CSVTable(reader: reader, header: header)
        var parser = RowParser(table: table, book: book, continuing: previous)
        var checked = CheckedRun(run: run, parser: parser, base: parser.counts)
        checked.ids.reserveCapacity(run.records)
        checked.hashes.reserveCapacity(run.records)
        checked.lines.reserveCapacity(run.records)
        do {
            while let record = try table.next() {
                var id = try parser.parse(record).id
                checked.hashes.append(id.withUTF8 { RowIDFingerprints.hash($0) })
                checked.ids.append(id)
                checked.lines.append(Int32(clamping: record.line))
            }
        } catch {
            checked.error = error
        }
        checked.run.bytes = []
        checked.parser = parser
        return checked
    }
}

/// A value read and replaced by several threads under a lock.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get {
            lock.lock()
            defer { lock.unlock() }
            return stored
        }
        set {
            lock.lock()
            stored = newValue
            lock.unlock()
        }
    }
}
