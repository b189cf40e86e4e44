import DiffusionModel
import Foundation
import Simulation
import Testing

/// Issue 8 item 7: an independent Python/numpy implementation of the engine's equations
/// (`scripts/reference_engine.py`) replays draws from `trace.json` and must agree with the Swift
/// engine to 1e-9 relative on every state variable in every quarter of every scenario. Needs
/// python3 with numpy (scripts/test.sh installs them); without them this test fails, it never skips.
@Suite struct ReferenceEngineTests {
    static let script = repositoryRoot.appendingPathComponent("scripts/reference_engine.py").path

    /// Runs python3 with `arguments`; returns its exit status and output.
    func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func reference(_ trace: String) throws -> (status: Int32, output: String) { try python([Self.script, trace]) }

    @Test func pythonAndNumpyArePresent() throws {
        let r = try python(["-c", "import numpy; print(numpy.__version__)"])
        #expect(r.status == 0, "python3 with numpy is required (scripts/test.sh installs it): \(r.output)")
    }

    /// Every lever, the built-in rule-pack lever and gulf-g2g, three draws (one per response setting).
    @Test(arguments: [(3, true), (11, true), (5, false)])
    func numpyReferenceAgreesOnEveryStateVariable(draw: Int, responses: Bool) throws {
        var options = SimulationOptions()
        options.draws = 20; options.seed = 20_260_101; options.robustnessSeeds = []
        options.leverPacks = [repositoryRoot.appendingPathComponent("examples/packs/gulf-g2g.yaml").path]
        if !responses { options.withoutResponses = ["domestic-substitution", "smuggling", "efficiency"] }
        let inputs = try SimulationRunner.prepareInputs(options)
        let model = try CompiledModel(inputs)
        let text = TraceFile.render(model: model, draw: draw, seed: options.seed)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reference-\(draw)-\(responses)-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("trace.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let r = try reference(path)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("agree to 1e-09 relative"), "\(r.output)")
        #expect(r.output.contains("12 scenarios"), "\(r.output)")

        // Negative control: one state value off by 1e-7 relative must be caught.
        var json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        var rows = json["trace"] as! [[Double]]
        let names = json["trace_names"] as! [String]
        let i = names.firstIndex(of: "d1_own_lag_CN")!
        let k = rows.indices.first { rows[$0][1] == 30 && rows[$0][i] > 0 }!
        rows[k][i] *= 1 + 1e-7
        json["trace"] = rows
        let corrupted = dir.appendingPathComponent("corrupted.json").path
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: corrupted))
        let bad = try reference(corrupted)
        #expect(bad.status == 1 && bad.output.contains("d1_own_lag_CN"), "\(bad.output)")
    }
}
