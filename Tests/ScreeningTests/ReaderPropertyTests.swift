import PropertyBased
import Screening
import TabularIO
import Testing

@Suite("The CSV reader never crashes")
struct ReaderPropertyTests {
    /// Any outcome but a crash is fine: a file or a CSVInputError.
    func survive(_ bytes: [UInt8]) -> Bool {
        do {
            _ = try TransactionReader.read(reader: CSVRecordReader(bytes: bytes, displayName: "random.csv"), book: book)
            return true
        } catch {
            return !error.description.isEmpty && error.file == "random.csv"
        }
    }

    @Test("Random bytes")
    func randomBytes() async {
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...400)) { bytes in
            #expect(survive(bytes))
        }
    }

    @Test("Random bytes after a valid header")
    func randomBodies() async {
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...300)) { bytes in
            #expect(survive(Array("\(header)\n".utf8) + bytes))
        }
    }

    @Test("Random CSV made of plausible and implausible cells")
    func randomCSV() async {
        let cells = ["A", "B", "2025-06-01", "2025-13-40", "H100", "RTX 4090", "0", "10", "-1", "IN", "CN", "UK", "\"q\"", "\"a,b\"",
                     "", " ", "\"", "x\"y", "é", "Cloud", "US"]
        let cell = Gen.element(of: cells).map { $0 ?? "" }
        let row = cell.array(of: 0...9).map { $0.joined(separator: ",") }
        await propertyCheck(count: 300, input: row.array(of: 0...6)) { rows in
            let text = ([header] + rows).joined(separator: "\n")
            #expect(survive(Array(text.utf8)))
        }
    }
}
