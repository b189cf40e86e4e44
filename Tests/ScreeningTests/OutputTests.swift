import DiffusionRules
import Foundation
import Screening
import TabularIO
import Testing

/// Writes bytes to a fresh temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], name: String = "input.csv") -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID())-\(name)").path
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
}

@Suite("Output formats")
struct OutputTests {
    /// 10,000 synthetic rows: with small batches, thousands of batches in flight on both cores.
    static let synthetic = SyntheticTransactions.csv(rows: 10_000, seed: 7)

    /// The reference: every row screened one at a time, in text form, written row by row.
    func serial(_ format: OutputFormat, regime: String) throws -> String {
        let file = try TransactionReader.read(reader: CSVRecordReader(bytes: OutputTests.synthetic, displayName: "synthetic.csv"), book: book)
        let sink = ByteSink.memory()
        let writer = makeDeterminationWriter(format, sink: sink)
        ScreeningRun.screen(file, regime: try book.compile(regime: regime), snapshot: .empty) { writer.write($0.determination) }
        writer.finish()
        return sink.text
    }

    func streamed(_ format: OutputFormat, regime: String, batchRows: Int) throws -> String {
        let path = temporaryFile(OutputTests.synthetic)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try ValidatedFile.validate(path: path, displayName: "synthetic.csv", book: book, batchRows: batchRows)
        let sink = ByteSink.memory()
        try ScreeningRun.screen(file, regime: try book.compile(regime: regime), snapshot: .empty, format: format, sink: sink)
        return sink.text
    }

    @Test("Streaming in parallel batches (compact decisions, formatted on both cores) gives the same bytes as one row at a time in text form",
          arguments: [OutputFormat.jsonl, .json, .csv, .table])
    func streamingEqualsSerial(format: OutputFormat) throws {
        for regime in ["ai-diffusion-2025", "enforced"] {
            let reference = try serial(format, regime: regime)
            #expect(reference.utf8.count > 500_000)
            for batchRows in [1, 37, 2048] {
                let output = try streamed(format, regime: regime, batchRows: batchRows)
                #expect(output == reference, "\(format) \(regime) in batches of \(batchRows)")
            }
        }
    }

    @Test("A compact decision's JSON line equals the JSON line of its text form, row by row")
    func compactLineEqualsTextLine() throws {
        let file = try TransactionReader.read(reader: CSVRecordReader(bytes: OutputTests.synthetic, displayName: "synthetic.csv"), book: book)
        let regime = try book.compile(regime: "ai-diffusion-2025")
        let compact = Screener(regime: regime, items: file.items, parties: file.parties, snapshot: .empty)
        let text = Screener(regime: regime, items: file.items, parties: file.parties, snapshot: .empty)
        for transaction in file.transactions.prefix(3_000) {
            let decision = compact.decide(transaction)
            let line = ScreeningRun.jsonLine(transaction, decision, tables: compact.tables)
            #expect(line == ScreeningRun.jsonLine(text.evaluate(transaction).determination))
        }
    }
}
