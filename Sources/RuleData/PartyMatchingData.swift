import PartyMatching
import PartyScreening
import StrictYAML

/// The bundled matching configuration (`parties/matching.yaml`): thresholds, weights, legal forms.
///
/// ```swift
/// let configuration = try PartyMatchingData.configuration()
/// configuration.thresholds(.default)?.match   // 0.88
/// ```
public enum PartyMatchingData {
    /// Decodes `parties/matching.yaml`; `strict` also rejects unknown keys (the tests load strictly).
    public static func configuration(strict: Bool = false) throws -> MatchingConfiguration {
        let configuration = try StrictYAML.decode(MatchingConfiguration.self, fromFile: BundledFiles.path("parties/matching.yaml"),
                                                  displayName: "parties/matching.yaml", bundled: !strict)
        for algorithm in MatchAlgorithm.allCases {
            guard let t = configuration.thresholds(algorithm) else {
                throw RuleDataError("parties/matching.yaml: algorithms has no \(algorithm.rawValue) thresholds")
            }
            guard t.review > 0, t.review <= t.match, t.match <= 1 else {
                throw RuleDataError("parties/matching.yaml: \(algorithm.rawValue) thresholds must satisfy 0 < review <= match <= 1")
            }
        }
        return configuration
    }
}

extension PartyMatchingData {
    /// The bundled list catalog (`parties/lists.yaml`).
    public static func listCatalog(strict: Bool = false) throws -> ListCatalog {
        try StrictYAML.decode(ListCatalog.self, fromFile: BundledFiles.path("parties/lists.yaml"),
                              displayName: "parties/lists.yaml", bundled: !strict)
    }
}
