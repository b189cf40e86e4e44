import DiffusionRules

/// Validated transactions that ``ScreeningRun`` reads in batches, in file order: a
/// ``ValidatedFile`` (the second pass over a file on disk, memory bounded at any size) or a
/// ``TransactionFile`` already in memory (a service request's rows, tests).
///
/// Every name a batch's rows use is in ``items`` and ``parties`` before the first batch is read
/// (the screener is built from them).
///
/// ```swift
/// let rows = try TransactionReader.read(reader: CSVRecordReader(bytes: csv, displayName: "request"), book: book)
/// let summary = try ScreeningRun.screen(rows, regime: compiled, snapshot: .empty, format: .json, sink: .memory())
/// ```
public protocol TransactionBatches: Sendable {
    var items: ItemTable { get }
    var parties: PartyTable { get }
    /// Rows in all batches.
    var rowCount: Int { get }
    var batchCount: Int { get }
    /// The rows of batch `index` (`0..<batchCount`), in file order. May be called concurrently.
    func transactions(inBatch index: Int) throws -> [Transaction]
}

extension ValidatedFile: TransactionBatches {}

extension TransactionFile: TransactionBatches {
    /// Rows per batch when rows already in memory are screened through the pipeline (as
    /// ``ValidatedFile/validate(path:displayName:book:batchRows:fingerprintBits:)`` cuts a file).
    static let batchRows = 2048

    public var rowCount: Int { transactions.count }
    public var batchCount: Int { (transactions.count + Self.batchRows - 1) / Self.batchRows }

    public func transactions(inBatch index: Int) -> [Transaction] {
        let start = index * Self.batchRows
        return Array(transactions[start..<min(start + Self.batchRows, transactions.count)])
    }
}
