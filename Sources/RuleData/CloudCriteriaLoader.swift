import CloudMonitoring
import StrictYAML

/// Loads cloud reporting criteria: the bundled packs (`cloud/*.yaml`) or a user's pack file.
///
/// ```swift
/// let eo = try CloudCriteriaLoader.load("eo-14110-interim")
/// let mine = try CloudCriteriaLoader.load("my-criteria.yaml")
/// ```
public enum CloudCriteriaLoader {
    /// Ids of the bundled packs, sorted.
    public static func bundledIDs() -> [String] {
        BundledFiles.list("cloud", suffix: ".yaml").map { String($0.dropLast(5)) }
    }

    /// A bundled pack by id, or a pack file by path. Throws ``YAMLInputError`` for a malformed file
    /// and ``RuleDataError`` for an unknown id.
    public static func load(_ name: String) throws -> CloudCriteria {
        if bundledIDs().contains(name) {
            return try StrictYAML.decode(CloudCriteria.self, fromFile: BundledFiles.path("cloud/\(name).yaml"),
                                         displayName: "cloud/\(name).yaml")
        }
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            return try StrictYAML.decode(CloudCriteria.self, fromFile: name)
        }
        throw RuleDataError("--criteria \"\(name)\" is neither a bundled pack (\(bundledIDs().joined(separator: ", "))) nor a .yaml file")
    }
}
