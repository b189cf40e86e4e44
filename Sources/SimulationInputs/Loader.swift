import DiffusionModel
import Foundation
import StrictYAML

/// Simulator input types that check their own values after decoding.
public protocol SelfValidating { func validate() throws(ValidationIssue) }
extension PriorSet: SelfValidating {}
extension PolicyTimeline: SelfValidating {}
extension Scenario: SelfValidating {}
extension CalibrationTargets: SelfValidating {}
extension DomainSet: SelfValidating {}
extension ClusterSummary: SelfValidating { public func validate() throws(ValidationIssue) {} }
extension ActorMap: SelfValidating { public func validate() throws(ValidationIssue) {} }

/// Wraps a value so StrictYAML runs its checks and reports them at the offending key's line.
struct Checked<T: Codable & SelfValidating>: Codable, YAMLValidatable {
    var value: T
    init(from decoder: Decoder) throws { value = try T(from: decoder) }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
    func validate() throws(ValidationFailure) {
        do { try value.validate() } catch { throw ValidationFailure(path: error.path, message: error.message) }
    }
}

/// Loads simulator inputs: bundled defaults or user files. Every error is a one-line
/// `YAMLInputError` naming file, line, column and key.
public enum SimulationInputLoader {
    /// Decodes `T` from YAML text, then runs its checks; every problem is a file:line:key error.
    public static func decode<T: Codable & SelfValidating>(_ type: T.Type, text: String, file: String) throws(YAMLInputError) -> T {
        try StrictYAML.decode(Checked<T>.self, from: text, file: file).value
    }

    static func read(_ path: String, displayName: String? = nil) throws(YAMLInputError) -> String {
        let name = displayName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw YAMLInputError(file: name, line: nil, column: nil, keyPath: "", message: "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw YAMLInputError(file: name, line: nil, column: nil, keyPath: "", message: "file is not valid UTF-8")
        }
        return text
    }

    public static func priors(path: String, displayName: String? = nil) throws(YAMLInputError) -> PriorSet {
        try decode(PriorSet.self, text: read(path, displayName: displayName), file: displayName ?? path)
    }
    public static func timeline(path: String, displayName: String? = nil) throws(YAMLInputError) -> PolicyTimeline {
        try decode(PolicyTimeline.self, text: read(path, displayName: displayName), file: displayName ?? path)
    }
    public static func scenario(path: String, displayName: String? = nil) throws(YAMLInputError) -> Scenario {
        try decode(Scenario.self, text: read(path, displayName: displayName), file: displayName ?? path)
    }
    public static func calibration(path: String, displayName: String? = nil) throws(YAMLInputError) -> CalibrationTargets {
        try decode(CalibrationTargets.self, text: read(path, displayName: displayName), file: displayName ?? path)
    }
    public static func domains(path: String, displayName: String? = nil) throws(YAMLInputError) -> DomainSet {
        try decode(DomainSet.self, text: read(path, displayName: displayName), file: displayName ?? path)
    }
    public static func clusterSummary(path: String, displayName: String? = nil) throws(YAMLInputError) -> ClusterSummary {
        try decode(ClusterSummary.self, text: read(path, displayName: displayName), file: displayName ?? path)
    }
    public static func actorMap(path: String, displayName: String? = nil) throws(YAMLInputError) -> ActorMap {
        try decode(ActorMap.self, text: read(path, displayName: displayName), file: displayName ?? path)
    }
}

/// The simulator's bundled inputs (priors, timeline, calibration, scenarios, cluster summary).
public enum BundledSimulationInputs {
    /// Directory of the bundled resources.
    public static var resourceDirectory: String {
        let base = Bundle.module.bundleURL.appendingPathComponent("Resources")
        return base.path
    }

    static func path(_ name: String) -> String { resourceDirectory + "/" + name }

    public static func priors() throws(YAMLInputError) -> PriorSet { try SimulationInputLoader.priors(path: path("priors.yaml"), displayName: "priors.yaml") }
    public static func timeline() throws(YAMLInputError) -> PolicyTimeline { try SimulationInputLoader.timeline(path: path("policy-timeline.yaml"), displayName: "policy-timeline.yaml") }
    public static func calibration() throws(YAMLInputError) -> CalibrationTargets { try SimulationInputLoader.calibration(path: path("calibration.yaml"), displayName: "calibration.yaml") }
    public static func domains() throws(YAMLInputError) -> DomainSet { try SimulationInputLoader.domains(path: path("domains.yaml"), displayName: "domains.yaml") }
    public static func clusterSummary() throws(YAMLInputError) -> ClusterSummary { try SimulationInputLoader.clusterSummary(path: path("cluster-summary.yaml"), displayName: "cluster-summary.yaml") }
    public static func actorMap() throws(YAMLInputError) -> ActorMap { try SimulationInputLoader.actorMap(path: path("actor-map.yaml"), displayName: "actor-map.yaml") }

    /// Every bundled scenario, baseline first, then the levers in file-name order.
    public static func scenarios() throws(YAMLInputError) -> [Scenario] {
        let dir = path("scenarios")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        var result: [Scenario] = []
        for f in files { result.append(try SimulationInputLoader.scenario(path: dir + "/" + f, displayName: "scenarios/" + f)) }
        return result
    }

    /// Model inputs with the bundled data; `scenarios` defaults to all bundled ones. Rule packs are
    /// added by the caller (``ModelInputs/packs``), since screening them needs the rule engine.
    public static func modelInputs(scenarios: [Scenario]? = nil, priors: PriorSet? = nil, domains: DomainSet? = nil,
                                   calendar: SimulationCalendar = SimulationCalendar()) throws(YAMLInputError) -> ModelInputs {
        let p: PriorSet
        if let priors { p = priors } else { p = try self.priors() }
        let s: [Scenario]
        if let scenarios { s = scenarios } else { s = try self.scenarios() }
        let d: DomainSet
        if let domains { d = domains } else { d = try self.domains() }
        return ModelInputs(priors: p, timeline: try timeline(), scenarios: s, shares: try clusterSummary().shares,
                           calibration: try calibration(), domains: d, calendar: calendar)
    }
}
