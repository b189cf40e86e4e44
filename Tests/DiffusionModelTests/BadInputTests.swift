import Foundation
import SimulationInputs
import StrictYAML
import Testing

@Suite struct BadInputTests {
    func priorsText(replacing old: String, with new: String) throws -> String {
        let text = try String(contentsOfFile: BundledSimulationInputs.resourceDirectory + "/priors.yaml", encoding: .utf8)
        #expect(text.contains(old))
        return text.replacingOccurrences(of: old, with: new)
    }
    func line(of needle: String, in text: String) -> Int { text.components(separatedBy: "\n").firstIndex { $0.contains(needle) }! + 1 }

    @Test func unknownKeyNamesFileLineAndKey() throws {
        let text = try priorsText(replacing: "    unit: months\n", with: "    unit: months\n    sorce: typo\n")
        let e = #expect(throws: YAMLInputError.self) { try SimulationInputLoader.decode(PriorSetBox.T.self, text: text, file: "p.yaml") }
        #expect(e?.file == "p.yaml")
        #expect(e?.line == line(of: "sorce: typo", in: text))
        #expect(e?.keyPath.hasSuffix("sorce") == true)
    }

    @Test func negativeRateIsRejected() throws {
        let text = try priorsText(replacing: "triangular: {min: 0.15, mode: 0.20, max: 0.30}", with: "triangular: {min: -0.15, mode: 0.20, max: 0.30}")
        let e = #expect(throws: YAMLInputError.self) { try SimulationInputLoader.decode(PriorSetBox.T.self, text: text, file: "p.yaml") }
        #expect(e?.keyPath == "priors.depreciation_delta.triangular.min")
        #expect(e?.line == line(of: "min: -0.15", in: text))
        #expect(e?.description.contains("negative") == true)
    }

    @Test func minAboveMaxIsRejected() throws {
        let text = try priorsText(replacing: "triangular: {min: 5, mode: 8, max: 14}", with: "triangular: {min: 15, mode: 8, max: 14}")
        let e = #expect(throws: YAMLInputError.self) { try SimulationInputLoader.decode(PriorSetBox.T.self, text: text, file: "p.yaml") }
        #expect(e?.keyPath == "priors.alg_halving_months.triangular.min")
        #expect(e?.line == line(of: "min: 15, mode: 8", in: text))
    }

    @Test func missingFieldInScenarioIsRejected() throws {
        let text = """
        name: my-lever
        title: A lever
        events:
          - date: 2026-01-01
            title: t
            source: s
            set: {chip_enforcement: true}
        """
        let e = #expect(throws: YAMLInputError.self) { try SimulationInputLoader.decode(ScenarioBox.T.self, text: text, file: "s.yaml") }
        #expect(e?.file == "s.yaml")
        #expect(e?.line != nil)
        #expect(e?.description.contains("meaning") == true || e?.description.contains("confidence") == true)
    }

    @Test func unknownPolicyFieldInScenarioNamesLine() throws {
        let text = """
        name: my-lever
        title: A lever
        kind: lever
        meaning: m
        events:
          - date: 2026-01-01
            title: t
            source: s
            confidence: low
            set: {chip_enforcment: true}
        """
        let e = #expect(throws: YAMLInputError.self) { try SimulationInputLoader.decode(ScenarioBox.T.self, text: text, file: "s.yaml") }
        #expect(e?.line == 10)
        #expect(e?.keyPath == "events.[0].set.chip_enforcment")
    }
}

import DiffusionModel
enum PriorSetBox { typealias T = PriorSet }
enum ScenarioBox { typealias T = Scenario }
