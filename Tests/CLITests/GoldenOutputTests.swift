import AllocationLedger
import Foundation
import Screening
import Testing

/// One line of `Tests/Fixtures/golden/manifest.txt`: a `screen` command and how to prepare its ledger.
struct GoldenCase: Sendable, CustomStringConvertible {
    var name: String
    /// `-`, `fleet:FILE` or `commit-twice`.
    var setup: String
    var arguments: [String]

    var description: String { name }

    static let directory = repositoryRoot + "/Tests/Fixtures/golden"

    static let all: [GoldenCase] = {
        let text = (try? String(contentsOfFile: directory + "/manifest.txt", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let parts = line.components(separatedBy: " | ")
            guard parts.count == 3 else { return nil }
            return GoldenCase(name: parts[0], setup: parts[1], arguments: parts[2].split(separator: " ").map(String.init))
        }
    }()
}

/// The 100,000-row synthetic file of the goldens (seed 42), written once per test process.
private let syntheticFile: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("golden-synthetic-\(getpid()).csv").path
    FileManager.default.createFile(atPath: path, contents: Data(SyntheticTransactions.csv(rows: 100_000, seed: 42)))
    return path
}()

/// Byte-identical output (issue 11): every command of the golden manifest, run with this build, prints
/// exactly what the implementation before the compact determination core printed (stdout byte for
/// byte; stderr with the ledger path replaced by `LEDGER`, less issue 10's one note that parties were
/// not screened). The goldens were written once by
/// `scripts/golden-screening.sh` and are never regenerated: a difference here is a change of output.
@Suite("Golden outputs of screen (byte-identical to the pinned implementation)")
struct GoldenOutputTests {
    static let partiesNote = "note: parties were not screened against restricted-party lists (no --parties file given; none is bundled)"

    @Test("The synthetic generator still writes the pinned file")
    func syntheticInput() throws {
        let expected = try String(contentsOfFile: GoldenCase.directory + "/synthetic-100k.csv.sha256", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Digest.sha256Hex(fileAt: syntheticFile) == expected)
    }

    @Test("The manifest lists every golden")
    func manifestComplete() {
        #expect(GoldenCase.all.count == 74)
    }

    @Test("Output is byte-identical to the golden", arguments: GoldenCase.all)
    func golden(_ golden: GoldenCase) throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID())").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let ledger = work + "/ledger.sqlite"
        let arguments = golden.arguments.map { $0 == "{synthetic}" ? syntheticFile : $0 }
        var runs: [(suffix: String, result: Result)] = []
        switch golden.setup {
        case "-":
            runs.append(("", try run(arguments, environment: ["AI_DIFFUSION_NOW": "2026-12-01T12:00:00Z"])))
        case let setup where setup.hasPrefix("fleet:"):
            let seeded = try run(["ledger", "seed-fleet", String(setup.dropFirst(6)), "--ledger", ledger])
            #expect(seeded.status == 0)
            runs.append(("", try run(arguments + ["--ledger", ledger], environment: ["AI_DIFFUSION_NOW": "2026-12-01T12:00:00Z"])))
        case "commit-twice":
            for k in 1...2 {
                runs.append((".\(k)", try run(arguments + ["--ledger", ledger], environment: ["AI_DIFFUSION_NOW": "2026-12-01T12:00:00Z"])))
            }
        default:
            Issue.record("unknown setup \(golden.setup)")
        }
        for (suffix, result) in runs {
            let name = golden.name + suffix
            #expect(result.status == 0, "\(name): exit \(result.status): \(result.stderr)")
            if name.hasPrefix("synthetic.") {
                try compareChunks(name, result.stdoutBytes)
            } else {
                let expected = try Data(contentsOf: URL(fileURLWithPath: GoldenCase.directory + "/" + name))
                if Array(expected) != result.stdoutBytes {
                    Issue.record("\(name): stdout differs from the golden at \(firstDifference(Array(expected), result.stdoutBytes))")
                }
            }
            let errPath = GoldenCase.directory + "/" + name + ".err"
            let expectedErr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            // Issue 10 adds one line when no restricted-party list is given (no list is bundled); the
            // goldens predate it. It must be there exactly once; the rest of stderr is compared as is.
            var errLines = result.stderr.replacingOccurrences(of: ledger, with: "LEDGER").split(separator: "\n", omittingEmptySubsequences: false)
            let notes = errLines.indices.filter { errLines[$0] == Self.partiesNote }
            #expect(notes.count == 1, "\(name): the note that parties were not screened is printed once")
            for i in notes.reversed() { errLines.remove(at: i) }
            #expect(errLines.joined(separator: "\n") == expectedErr, "\(name): stderr differs")
        }
    }

    /// Compares output to the golden's SHA-256 of 1,000-line chunks; names the first chunk that differs.
    private func compareChunks(_ name: String, _ bytes: [UInt8]) throws {
        let expected = try String(contentsOfFile: GoldenCase.directory + "/" + name + ".sha256", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var chunks: [String] = []
        var start = 0, lines = 0
        for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lines += 1
            if lines == 1000 {
                chunks.append(Digest.sha256Hex(bytes[start...i]))
                start = i + 1
                lines = 0
            }
        }
        if start < bytes.count { chunks.append(Digest.sha256Hex(bytes[start...])) }
        #expect(chunks.count == expected.count, "\(name): \(chunks.count) chunks of 1,000 lines, golden has \(expected.count)")
        if let first = zip(chunks, expected).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
            Issue.record("\(name): lines \(first.offset * 1000 + 1)-\(first.offset * 1000 + 1000) differ from the golden (first differing chunk)")
        }
    }

    private func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let index = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        let line = a[..<min(index, a.count)].filter { $0 == UInt8(ascii: "\n") }.count + 1
        func excerpt(_ bytes: [UInt8]) -> String {
            String(decoding: bytes[min(index, bytes.count)..<min(index + 80, bytes.count)], as: UTF8.self)
        }
        return "byte \(index) (line \(line)): golden \"\(excerpt(a))\", now \"\(excerpt(b))\""
    }
}
