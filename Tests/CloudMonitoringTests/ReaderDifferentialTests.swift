import Foundation
import TabularIO
import Testing

/// The `CSVRecordReader` with the fast path for unquoted fields must read
/// every input exactly as the original did: the same records, lines and fields, or the same error.
@Suite struct ReaderMatchesTheOriginal {
    enum Outcome: Equatable {
        case records([[String]], [Int])
        case error(String)
    }

    static func optimized(_ reader: CSVRecordReader) -> Outcome {
        var rows: [[String]] = [], lines: [Int] = []
        do {
            while let record = try reader.next() {
                rows.append(record.strings)
                lines.append(record.line)
                // The unsafe view agrees with the per-field accessor.
                let viaView: [String] = record.withUnsafeFields { bytes, ends in
                    (0..<ends.count).map { i in
                        String(decoding: UnsafeBufferPointer(rebasing: bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]]), as: UTF8.self)
                    }
                }
                if viaView != record.strings { return .error("withUnsafeFields disagrees") }
            }
            return .records(rows, lines)
        } catch {
            return .error(error.description)
        }
    }

    static func reference(_ bytes: [UInt8]) -> Outcome {
        let reader = ReferenceCSVRecordReader(bytes: bytes, displayName: "x.csv")
        var rows: [[String]] = [], lines: [Int] = []
        do {
            while let record = try reader.next() {
                rows.append(record.strings)
                lines.append(record.line)
            }
            return .records(rows, lines)
        } catch {
            return .error(error.description)
        }
    }

    /// In memory, and from a file read in 16-byte chunks (every field crosses chunk boundaries).
    static func check(_ bytes: [UInt8]) throws -> Bool {
        let expected = reference(bytes)
        guard optimized(CSVRecordReader(bytes: bytes, displayName: "x.csv")) == expected else { return false }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("diff-\(UUID()).csv").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return optimized(try CSVRecordReader(path: path, displayName: "x.csv", chunkSize: 16)) == expected
    }

    @Test func handPickedEdgeCases() throws {
        let cases = [
            "a,b,c\n1,2,3\n", "a,b\r\n1,2\r\n", "a,b\r1,2\r", "\n\na,b\n\n1,2\n\n", "a,\"b,c\",d\n", "a,\"x\"\"y\",z\n",
            "a,\"multi\nline\",b\nnext,row,here\n", "a,x\"y,b\n", "a,\"q\"x,b\n", "a,\"unterminated\n", "\u{FEFF}a,b\n1,2\n",
            "a,b\n1,\u{00}2\n", "é,ü\nα,β\n", "a,b", ",,\n,,\n", "owner,hq\nHelios Labs Pte Ltd,SG\n", "\"\"\n",
            "  padded  ,x\n", "a,b\n\r\n1,2",
        ]
        for text in cases { #expect(try Self.check(Array(text.utf8)), "\(text.debugDescription)") }
        #expect(try Self.check([0xFF, 0xFE, 0x61, 0x00]))
        #expect(try Self.check(Array("a,b\n".utf8) + [0xC3, 0x28, 0x2C, 0x61, 0x0A]))
    }

    @Test func randomBytes() throws {
        var state: UInt64 = 12_345
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        // Bytes drawn mostly from CSV's special characters so every state is exercised.
        let alphabet: [UInt8] = Array("ab ,,,\"\"\n\r\u{0}é1".utf8) + [0xFF, 0x80]
        for _ in 0..<400 {
            let count = Int(next() % 120)
            let bytes = (0..<count).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            #expect(try Self.check(bytes), "\(bytes)")
        }
    }

    @Test func syntheticUsageFile() throws {
        let text = "account,owner\n" + (0..<500).map { "acct-\($0),\"Owner, \($0 % 7)\"" }.joined(separator: "\n") + "\n"
        #expect(try Self.check(Array(text.utf8)))
    }
}
