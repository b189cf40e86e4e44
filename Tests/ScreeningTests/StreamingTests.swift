import DiffusionRules
import Foundation
import Screening
import TabularIO
import Testing

/// The two-pass reader (``ValidatedFile``): the first pass keeps no rows, yet reports exactly what
/// the in-memory reader reports, wherever the bad cell is; the second pass reads the same rows.
@Suite("Streaming: validate in a first pass, screen in a second")
struct StreamingTests {
    static let rows = SyntheticTransactions.csv(rows: 2_100, seed: 11)

    /// The synthetic file's lines, header first.
    static var lines: [String] { String(decoding: rows, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    func inMemoryError(_ text: String) -> String? {
        do {
            _ = try TransactionReader.read(reader: CSVRecordReader(bytes: Array(text.utf8), displayName: "deals.csv"), book: book)
            return nil
        } catch {
            return error.description
        }
    }

    func streamedError(_ text: String, batchRows: Int, fingerprintBits: Int = 32) -> String? {
        let path = temporaryFile(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ValidatedFile.validate(path: path, displayName: "deals.csv", book: book, batchRows: batchRows, fingerprintBits: fingerprintBits)
            return nil
        } catch {
            return error.description
        }
    }

    /// The file with line `row` (1 = first data row) replaced by `edit(line)`.
    func corrupt(_ row: Int, _ edit: (String) -> String) -> String {
        var lines = StreamingTests.lines
        lines[row] = edit(lines[row])
        return lines.joined(separator: "\n")
    }

    static let edits: [(String, @Sendable (String) -> String)] = [
        ("bad date", { line in var cells = line.split(separator: ",", omittingEmptySubsequences: false); cells[1] = "2025-02-30"; return cells.joined(separator: ",") }),
        ("bad quantity", { line in var cells = line.split(separator: ",", omittingEmptySubsequences: false); cells[3] = "-5"; return cells.joined(separator: ",") }),
        ("bad country", { line in var cells = line.split(separator: ",", omittingEmptySubsequences: false); cells[4] = "UK"; return cells.joined(separator: ",") }),
        ("unknown item", { line in var cells = line.split(separator: ",", omittingEmptySubsequences: false); cells[2] = "H10"; return cells.joined(separator: ",") }),
        ("duplicate id", { line in var cells = line.split(separator: ",", omittingEmptySubsequences: false); cells[0] = "S3"; return cells.joined(separator: ",") }),
        ("missing field", { line in String(line.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",")) }),
        ("bad VEU", { line in var cells = line.split(separator: ",", omittingEmptySubsequences: false); cells[8] = "XVEU"; return cells.joined(separator: ",") }),
    ]

    @Test("A bad cell anywhere (first, batch edges, last row) gives the in-memory reader's one-line error",
          arguments: [1, 37, 38, 2048, 2049, 2100])
    func firstErrorWherever(row: Int) {
        for (name, edit) in StreamingTests.edits {
            let text = corrupt(row, edit)
            let expected = inMemoryError(text)
            #expect(expected != nil, "\(name) at row \(row) is an error")
            for batchRows in [37, 2048] {
                #expect(streamedError(text, batchRows: batchRows) == expected, "\(name) at row \(row), batches of \(batchRows)")
            }
        }
    }

    @Test("Two bad rows: the earlier one is reported (a duplicate id before a bad cell, and after)")
    func earliestOfTwo() {
        var lines = StreamingTests.lines
        lines[1500] = lines[1500].replacingOccurrences(of: "S1499,", with: "S10,")
        lines[2000] = lines[2000].replacingOccurrences(of: ",H", with: ",Q")
        let duplicateFirst = lines.joined(separator: "\n")
        #expect(streamedError(duplicateFirst, batchRows: 100) == inMemoryError(duplicateFirst))
        #expect(streamedError(duplicateFirst, batchRows: 100)?.contains("duplicate id (first used on line 12)") == true)
        lines = StreamingTests.lines
        lines[1500] = lines[1500].replacingOccurrences(of: "S1499,", with: "S10,")
        lines[1000] = lines[1000].replacingOccurrences(of: ",20", with: ",2x")
        let badCellFirst = lines.joined(separator: "\n")
        #expect(streamedError(badCellFirst, batchRows: 100) == inMemoryError(badCellFirst))
        #expect(streamedError(badCellFirst, batchRows: 100)?.contains(":1001:") == true)
    }

    @Test("Fingerprint collisions of different ids are confirmed away; a real duplicate is still found")
    func fingerprintCollisions() {
        let clean = String(decoding: StreamingTests.rows, as: UTF8.self)
        // 4-bit fingerprints: almost every id collides with an earlier one, and every candidate is re-read.
        #expect(streamedError(clean, batchRows: 512, fingerprintBits: 4) == nil)
        let duplicated = corrupt(1321) { $0.replacingOccurrences(of: "S1320,", with: "S17,") }
        #expect(streamedError(duplicated, batchRows: 512, fingerprintBits: 4) == inMemoryError(duplicated))
        #expect(inMemoryError(duplicated)?.contains("duplicate id (first used on line 19)") == true)
    }

    @Test("Quoted commas and line breaks, CRLF and lone CR line ends, empty lines: the same rows and lines in any batch size")
    func awkwardCSV() throws {
        var text = "id,date,item,quantity,destination,consignee,consignee_hq\r\n"
        for i in 0..<60 {
            let consignee: String
            switch i % 5 {
            case 0: consignee = "\"Acme, Inc.\""
            case 1: consignee = "\"Multi\nline \"\"quoted\"\" name\""
            case 2: consignee = "Plain \(i)"
            case 3: consignee = "\"\(i)\r\nCRLF inside\""
            default: consignee = "  padded \(i)  "
            }
            let end = i % 7 == 0 ? "\r" : (i % 3 == 0 ? "\n\n" : "\r\n")
            text += "Q\(i),2025-0\(1 + i % 9)-1\(i % 10),H100,\(1 + i),IN,\(consignee),IN\(end)"
        }
        let reference = try TransactionReader.read(reader: CSVRecordReader(bytes: Array(text.utf8), displayName: "x.csv"), book: book)
        let path = temporaryFile(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        for batchRows in [1, 2, 3, 7, 64] {
            let file = try ValidatedFile.validate(path: path, displayName: "x.csv", book: book, batchRows: batchRows)
            let rows = try file.allTransactions()
            #expect(rows.map(\.id) == reference.transactions.map(\.id), "batches of \(batchRows)")
            #expect(rows.map(\.line) == reference.transactions.map(\.line), "batches of \(batchRows)")
            #expect(rows.map { file.parties[$0.consignee] } == reference.transactions.map { reference.parties[$0.consignee] })
        }
    }

    @Test("A file changed between the passes stops the second pass with an error")
    func changedFile() throws {
        let path = temporaryFile(StreamingTests.rows)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try ValidatedFile.validate(path: path, displayName: "deals.csv", book: book, batchRows: 1000)
        #expect(try file.transactions(inBatch: 0).count == 1000)
        let handle = FileHandle(forWritingAtPath: path)!
        handle.seekToEndOfFile()
        handle.write(Data("S99999,2025-01-01,H100,1,IN,X,IN,X,\n".utf8))
        try handle.close()
        #expect(throws: CSVInputError.self) { try file.transactions(inBatch: 1) }
    }

    @Test("Runs of records cut without parsing are the records the reader reads (random CSV with quotes, line ends, empty lines)")
    func recordBoundaries() throws {
        var random = SystemRandomNumberGenerator()
        let pieces = ["a", "b,", "\"q,\"", "\"x\ny\"", "\"\"\"\"", ",", "\n", "\r\n", "\r", "\n\n", "é", " "]
        for _ in 0..<100 {
            var text = "h1,h2\n"
            for _ in 0..<Int.random(in: 1...80, using: &random) { text += pieces.randomElement(using: &random)! }
            let bytes = Array(text.utf8)
            let whole = CSVRecordReader(bytes: bytes, displayName: "r.csv")
            var expected: [(Int, [String])] = []
            var expectedError: CSVInputError?
            do {
                while let record = try whole.next() { expected.append((record.line, record.strings)) }
            } catch {
                expectedError = error
            }
            let path = temporaryFile(bytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let descriptor = open(path, O_RDONLY)
            defer { close(descriptor) }
            let headerReader = try CSVRecordReader(path: path, displayName: "r.csv")
            guard (try? headerReader.next()) != nil, expected.count > 0 else { continue }
            for perRun in [1, 2, 5] {
                var runs = RecordBoundaries(descriptor: descriptor, start: headerReader.consumed, line: headerReader.nextLine,
                                            afterCarriageReturn: headerReader.afterCarriageReturn, recordsPerRun: perRun, blockSize: 7)
                var got: [(Int, [String])] = [expected[0]]
                var gotError: CSVInputError?
                outer: while let run = runs.next() {
                    let reader = CSVRecordReader(bytes: run.bytes, displayName: "r.csv", firstLine: run.firstLine,
                                                 afterCarriageReturn: run.afterCarriageReturn)
                    do {
                        var count = 0
                        while let record = try reader.next() {
                            got.append((record.line, record.strings))
                            count += 1
                        }
                        #expect(count == run.records)
                    } catch {
                        gotError = error
                        break outer
                    }
                }
                #expect(got.map(\.0) == expected.map(\.0), "\(text.debugDescription) in runs of \(perRun)")
                #expect(got.map(\.1) == expected.map(\.1), "\(text.debugDescription) in runs of \(perRun)")
                #expect(gotError == expectedError, "\(text.debugDescription) in runs of \(perRun)")
            }
        }
    }
}
