import Foundation

/// Paths of the rule data bundled with the package (`Sources/RuleData/Resources`).
///
/// | file | holds |
/// |---|---|
/// | `layers/*.yaml` | one rule layer per regulatory act |
/// | `regimes/*.yaml` | the `enforced` and `ai-diffusion-2025` regimes |
/// | `ear/country_groups.csv`, `ear/country_group_changes.csv`, `ear/groups.yaml` | Supplement No. 1 to part 740 and its dated changes |
/// | `countries/country-codes.csv`, `countries/overrides.yaml` | ISO 3166-1 and hints |
/// | `chips/epoch-catalog.csv` | generated from Epoch AI's ML hardware data (CC BY 4.0) |
/// | `chips/supplement.yaml`, `chips/aliases.yaml` | hand-kept figures and typed names |
/// | `units.yaml` | the H100-equivalent |
/// | `models/epoch-notable-models.csv` | generated from Epoch AI's Notable AI Models data (CC BY 4.0) |
/// | `models/methodology.yaml` | how training operations are estimated; Epoch accessibility → "published" |
/// | `cloud/*.yaml` | IaaS reporting criteria packs (EO 14110 interim; part 702 proposal) |
public enum BundledFiles {
    /// Absolute path of a bundled file, e.g. `path("layers/ai-diffusion-2025.yaml")`.
    public static func path(_ relative: String) -> String {
        root + "/" + relative
    }

    /// Absolute path of the bundled `Resources` directory.
    public static let root: String = {
        // On Linux, Bundle.resourceURL of a flat bundle may already end in "Resources"; look for
        // a known file instead of assuming the layout.
        let candidates = [Bundle.module.bundleURL.appendingPathComponent("Resources"),
                          Bundle.module.resourceURL?.appendingPathComponent("Resources"),
                          Bundle.module.resourceURL].compactMap { $0 }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("units.yaml").path) {
            return candidate.path
        }
        return candidates[0].path
    }()

    /// File names (not paths) in a bundled directory, sorted.
    public static func list(_ directory: String, suffix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path(directory))) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted()
    }

    /// Contents of a bundled text file.
    public static func text(_ relative: String) -> String {
        (try? String(contentsOfFile: path(relative), encoding: .utf8)) ?? ""
    }
}

/// A problem with rule data (bundled or a user's pack): a one-line message naming the file.
public struct RuleDataError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
