import ComputeMetrics
import DiffusionRules
import Foundation
import RuleData
import Testing

/// The derived classification snapshot (the cold start of `classify chip`) is the bundled YAML and
/// CSV exactly, and never used when they change.
@Suite("Classification snapshot: derived from the YAML, equal to it, never the source of truth")
struct SnapshotTests {
    @Test("The bundled snapshot is what the YAML gives today (else run scripts/regenerate-snapshot.sh)")
    func upToDate() throws {
        let bundled = try String(contentsOfFile: BundledFiles.path(ClassificationSnapshot.relativePath), encoding: .utf8)
        let fresh = ClassificationSnapshot.render(try RuleBookLoader.loadClassificationYAML())
        #expect(bundled == fresh, "the snapshot is stale: run scripts/regenerate-snapshot.sh")
    }

    @Test("Loading the snapshot gives the YAML's layers, regimes, catalog, aliases and H100-equivalent")
    func sameBook() throws {
        let yaml = try RuleBookLoader.loadClassificationYAML()
        let snapshot = try #require(ClassificationSnapshot.load())
        #expect(snapshot.layers == yaml.layers)
        #expect(snapshot.regimes.mapValues(\.layers) == yaml.regimes.mapValues(\.layers))
        #expect(snapshot.catalog.chips == yaml.catalog.chips)
        #expect(snapshot.catalog.aliases == yaml.catalog.aliases)
        #expect(snapshot.h100 == yaml.h100)
        // And every chip classifies the same under both regimes, on each layer's boundary days.
        for regime in yaml.regimes.keys {
            for day in ["2022-01-01", "2022-10-07", "2023-11-17", "2024-12-02", "2025-01-13", "2025-05-14", "2025-08-08", "2026-01-15"] {
                for chip in yaml.catalog.chips {
                    let a = try yaml.classify(chip, regime: regime, on: Day(day)!)
                    let b = try snapshot.classify(chip, regime: regime, on: Day(day)!)
                    #expect(a.0.eccn == b.0.eccn && a.0.prong == b.0.prong && a.0.checks == b.0.checks && a.1 == b.1)
                }
            }
        }
    }

    @Test("A snapshot made from other files (a digest that differs) is refused: the YAML is read")
    func staleRefused() throws {
        let bundled = try String(contentsOfFile: BundledFiles.path(ClassificationSnapshot.relativePath), encoding: .utf8)
        #expect(ClassificationSnapshot.load(text: bundled) != nil)
        var lines = bundled.split(separator: "\n").map(String.init)
        lines[0] = "digest\t0123456789abcdef"
        #expect(ClassificationSnapshot.load(text: lines.joined(separator: "\n")) == nil)
    }
}
