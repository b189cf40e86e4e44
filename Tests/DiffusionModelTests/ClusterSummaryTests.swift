import Foundation
import SimulationInputs
import Testing

@Suite struct ClusterSummaryTests {
    @Test func bundledSummaryMatchesTheCommittedEpochData() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let csv = repo.appendingPathComponent("data/epoch/gpu_clusters/gpu_clusters.csv").path
        let derived = try ClusterSummary.derive(csvPath: csv, map: BundledSimulationInputs.actorMap())
        let bundled = try String(contentsOfFile: BundledSimulationInputs.resourceDirectory + "/cluster-summary.yaml", encoding: .utf8)
        #expect(derived.yaml() == bundled)
        #expect(derived.rows_read == 786)
        let s = derived.shares.initial_stock_share
        #expect(abs(s.values.reduce(0, +) - 1) < 1e-4)
    }
}
