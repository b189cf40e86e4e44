import Foundation
import Testing

/// `ai-diffusion simulate` through the real executable: the rule-pack lever from a file, bad input.
@Suite struct SimulateCommandTests {
    /// Issue 8 must-show: `simulate --lever-pack examples/packs/gulf-g2g.yaml` runs, unchanged pack.
    @Test func gulfG2GPackRunsAsALever() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sim-g2g-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try run(["simulate", "--lever-pack", "examples/packs/gulf-g2g.yaml", "--draws", "200", "--robustness-seeds", "", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("gulf-g2g"))
        for file in ["summary.json", "where-to-slow.csv", "report.html", "levers.csv", "durability.svg"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        let summary = try String(contentsOfFile: out + "/summary.json", encoding: .utf8)
        #expect(summary.contains("{\"name\": \"gulf-g2g\", \"kind\": \"lever\"}"))
    }

    /// A pack file with a typo: one line naming file, line and key; exit code 1; nothing written.
    @Test func aBadPackNamesFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sim-bad-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pack = dir.appendingPathComponent("bad.yaml").path
        try "id: bad\ntitle: Bad\nextends: ai-diffusion-2025\nlayer_overides: {}\n".write(toFile: pack, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out").path
        let r = try run(["simulate", "--lever-pack", pack, "--draws", "10", "--out", out])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("bad.yaml:4"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func anUnknownResponseIsAUsageError() throws {
        let r = try run(["simulate", "--all-levers", "--without-response", "efficency", "--draws", "10"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("domestic-substitution, smuggling, efficiency"))
    }
}
