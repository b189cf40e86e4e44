import DiffusionModel
import SimulationInputs

/// Bundled inputs without the Tier-2 lever (its numbers come from the rule data at the CLI edge).
func testModel(scenarioNames: [String]? = nil) throws -> CompiledModel {
    var scenarios = try BundledSimulationInputs.scenarios().filter { $0.tier2_cap_structure == nil }
    if let scenarioNames { scenarios = scenarios.filter { scenarioNames.contains($0.name) } }
    return try CompiledModel(try BundledSimulationInputs.modelInputs(scenarios: scenarios, tierCaps: nil))
}
