import Screening
import TabularIO
import Testing

@Suite("Bad input: one-line errors naming file, line, column and value")
struct BadInputTests {
    let good = "A,2025-06-01,H100,10,IN,Cloud,IN"

    func error(_ row: String, header customHeader: String = header) -> CSVInputError? {
        readError("\(customHeader)\n\(good)\n\(row)\n")
    }

    @Test("Unknown country code, with a hint")
    func unknownCountry() throws {
        let e = try #require(error("B,2025-06-01,H100,10,UK,Cloud,GB"))
        #expect(e.description == "test.csv:3: column \"destination\": \"UK\" is not an ISO 3166-1 alpha-2 code (did you mean GB?)")
        #expect(error("B,2025-06-01,H100,10,IN,Cloud,XX")?.column == "consignee_hq")
    }

    @Test("Bad dates", arguments: ["2025-02-30", "2025/06/01", "", "June 1"])
    func badDate(value: String) throws {
        let e = try #require(error("B,\(value),H100,10,IN,Cloud,IN"))
        #expect(e.line == 3 && e.column == "date" && e.value == value)
    }

    @Test("Quantity 0, negative, fractional or not a number", arguments: ["0", "-5", "1.5", "ten", ""])
    func badQuantity(value: String) throws {
        let e = try #require(error("B,2025-06-01,H100,\(value),IN,Cloud,IN"))
        #expect(e.line == 3 && e.column == "quantity" && e.value == value)
    }

    @Test("Unknown item, with suggestions")
    func unknownItem() throws {
        let e = try #require(error("B,2025-06-01,H10O,10,IN,Cloud,IN"))
        #expect(e.column == "item" && e.value == "H10O" && e.message.contains("did you mean"))
    }

    @Test("Unknown column is named with the allowed ones")
    func unknownColumn() throws {
        let e = try #require(readError("id,date,item,quantity,destination,consignee,consignee_hq,destinaton\n"))
        #expect(e.line == 1 && e.value == "destinaton" && e.message.contains("did you mean destination?"))
    }

    @Test("Duplicate id names the first line")
    func duplicateID() throws {
        let e = try #require(error("A,2025-06-02,H100,1,IN,Cloud,IN"))
        #expect(e.line == 3 && e.column == "id" && e.message.contains("first used on line 2"))
    }

    @Test("Empty file and header-only file")
    func empty() throws {
        #expect(readError("")?.message.contains("empty") == true)
        #expect(readError("\(header)\n")?.message.contains("no transactions") == true)
    }

    @Test("Wrong encoding: Latin-1 bytes and UTF-16 are rejected with the line")
    func encoding() throws {
        var bytes = Array("\(header)\n\(good)\nB,2025-06-01,H100,10,IN,Soci".utf8)
        bytes += [0xE9, 0x74, 0xE9] // "Société" in Latin-1
        bytes += Array(",IN\n".utf8)
        do {
            _ = try TransactionReader.read(reader: CSVRecordReader(bytes: bytes, displayName: "latin1.csv"), book: book)
            Issue.record("expected an encoding error")
        } catch {
            #expect(error.line == 3 && error.message.contains("UTF-8"))
        }
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("i\0d\0".utf8)
        do {
            _ = try TransactionReader.read(reader: CSVRecordReader(bytes: utf16, displayName: "utf16.csv"), book: book)
            Issue.record("expected an encoding error")
        } catch {
            #expect(error.message.contains("UTF-16"))
        }
    }

    @Test("Wrong number of fields and broken quotes")
    func structure() throws {
        #expect(error("B,2025-06-01,H100,10,IN")?.message.contains("fields") == true)
        #expect(error("B,2025-06-01,\"H100,10,IN,Cloud,IN")?.message.contains("not terminated") == true)
        #expect(error("B,2025-06-01,\"H100\"x,10,IN,Cloud,IN")?.message.contains("closing quote") == true)
    }

    @Test("A quoted cell spanning lines keeps later line numbers right")
    func multilineCell() throws {
        let csv = "\(header)\nA,2025-06-01,H100,10,IN,\"Cloud\nLine two\",IN\nB,2025-06-01,H100,10,ZZ,Cloud,IN\n"
        #expect(readError(csv)?.line == 4)
    }

    @Test("Missing required value and bad optional cells",
          arguments: [("B,2025-06-01,H100,10,IN,,IN", "consignee"), ("B,2025-06-01,,10,IN,Cloud,IN", "item")])
    func missing(row: String, column: String) throws {
        #expect(error(row)?.column == column)
    }

    @Test("Optional columns are validated too")
    func optionalColumns() throws {
        let h = "\(header),veu,end_use,datacenter,tpp"
        func error(_ row: String, header: String) -> CSVInputError? { readError("\(header)\n\(good),,,,\n\(row)\n") }
        #expect(error("B,2025-06-01,H100,10,IN,Cloud,IN,XVEU,,,", header: h)?.column == "veu")
        #expect(error("B,2025-06-01,H100,10,IN,Cloud,IN,,training,,", header: h)?.column == "end_use")
        #expect(error("B,2025-06-01,,10,IN,Cloud,IN,,,maybe,100", header: h)?.column == "datacenter")
        #expect(error("B,2025-06-01,,10,IN,Cloud,IN,,,true,-100", header: h)?.column == "tpp")
    }
}
