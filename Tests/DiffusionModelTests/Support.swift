import DiffusionModel
import Foundation
import SimulationInputs

/// Bundled inputs with the bundled scenarios named (all if nil); no rule packs.
func testInputs(scenarioNames: [String]? = nil, responses: ResponseSwitches = ResponseSwitches()) throws -> ModelInputs {
    var scenarios = try BundledSimulationInputs.scenarios()
    if let scenarioNames { scenarios = scenarios.filter { scenarioNames.contains($0.name) } }
    var inputs = try BundledSimulationInputs.modelInputs(scenarios: scenarios)
    inputs.responses = responses
    return inputs
}

func testModel(scenarioNames: [String]? = nil, responses: ResponseSwitches = ResponseSwitches()) throws -> CompiledModel {
    try CompiledModel(try testInputs(scenarioNames: scenarioNames, responses: responses))
}

/// The repository root (for examples/ and scripts/).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
