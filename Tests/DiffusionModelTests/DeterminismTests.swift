import DiffusionModel
import Simulation
import Testing

@Suite struct DeterminismTests {
    /// Same seed and inputs give the same bytes in every output file, whatever the thread count
    /// (rule-pack lever included); another seed gives other draws.
    @Test func sameSeedSameBytesWhateverTheThreadCount() throws {
        var options = SimulationOptions()
        options.allLevers = false; options.draws = 600; options.seed = 7; options.robustnessSeeds = [1]
        options.leverPacks = ["ai-diffusion-2025"]
        options.scenarioFiles = []
        let inputs = try SimulationRunner.prepareInputs(options)
        func files(threads: Int) throws -> [String] {
            var o = options
            o.threads = threads
            return try SimulationRunner.run(inputs: inputs, options: o).files(perDraw: true, traceDraw: 3).map(\.text)
        }
        let a = try files(threads: 2), b = try files(threads: 2), c = try files(threads: 1), d = try files(threads: 3)
        #expect(a == b)
        #expect(a == c)
        #expect(a == d)
        var other = options
        other.seed = 8
        #expect(try SimulationRunner.run(inputs: inputs, options: other).result.parameters != SimulationRunner.run(inputs: inputs, options: options).result.parameters)
    }
}
