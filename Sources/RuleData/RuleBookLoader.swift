import ComputeMetrics
import DiffusionRules
import StrictYAML
import Yams

/// Builds the ``RuleBook`` from the bundled rule data, and adds a user's pack on top.
///
/// ```swift
/// var book = try RuleBookLoader.loadBundled()
/// let regime = try RuleBookLoader.addPack(at: "my-pack.yaml", to: &book)   // "gulf-g2g"
/// let compiled = try book.compile(regime: regime)
/// ```
public enum RuleBookLoader {
    /// The part of a layer that classification reads (decoding only this halves start-up time).
    struct ClassificationPart: Codable {
        var id: String
        var title: String
        var citation: String
        var effectiveFrom: Day
        var complianceFrom: Day?
        var enforcedUntil: Day?
        var supersededOn: Day?
        var classification: ClassificationBlock?

        enum CodingKeys: String, CodingKey {
            case id, title, citation, classification
            case effectiveFrom = "effective_from"
            case complianceFrom = "compliance_from"
            case enforcedUntil = "enforced_until"
            case supersededOn = "superseded_on"
        }

        var layer: RuleLayer {
            RuleLayer(id: id, title: title, citation: citation, effectiveFrom: effectiveFrom, complianceFrom: complianceFrom,
                      enforcedUntil: enforcedUntil, supersededOn: supersededOn, classification: classification)
        }
    }

    struct Units: Codable {
        var h100Equivalent: SourcedNumber

        enum CodingKeys: String, CodingKey {
            case h100Equivalent = "h100_equivalent"
        }
    }

    /// All bundled layers, regimes, countries, groups, chips and units.
    ///
    /// `strict` also rejects unknown keys in the bundled YAML (it re-encodes every file, which
    /// doubles start-up time); the tests load strictly, the tool does not.
    public static func loadBundled(strict: Bool = false) throws -> RuleBook {
        try load(strict: strict, countries: true)
    }

    /// Layers, regimes, chips and units, without countries and Country Groups: enough for
    /// ``RuleBook/classify(_:regime:on:)`` and quicker to start (`classify chip`). Uses the derived
    /// ``ClassificationSnapshot`` when it was made from the bundled files as they are, else the YAML.
    public static func loadForClassification() throws -> RuleBook {
        if let book = ClassificationSnapshot.load() { return book }
        return try loadClassificationYAML()
    }

    /// ``loadForClassification()`` from the YAML and CSV themselves.
    public static func loadClassificationYAML() throws -> RuleBook {
        try load(strict: false, countries: false)
    }

    static func load(strict: Bool, countries: Bool) throws -> RuleBook {
        var layers: [String: RuleLayer] = [:]
        for file in BundledFiles.list("layers", suffix: ".yaml") {
            let path = BundledFiles.path("layers/\(file)"), name = "layers/\(file)"
            let layer = countries
                ? try StrictYAML.decode(RuleLayer.self, fromFile: path, displayName: name, bundled: !strict)
                : try StrictYAML.decode(ClassificationPart.self, fromFile: path, displayName: name, bundled: true).layer
            layers[layer.id] = layer
        }
        var regimes: [String: RegimeDefinition] = [:]
        for file in BundledFiles.list("regimes", suffix: ".yaml") {
            let regime = try StrictYAML.decode(RegimeDefinition.self, fromFile: BundledFiles.path("regimes/\(file)"),
                                               displayName: "regimes/\(file)", bundled: !strict)
            regimes[regime.id] = regime
        }
        let (registry, treatedAs) = countries ? try CountryDataLoader.registry(strict: strict) : (CountryRegistry(countries: []), [:])
        let units = try StrictYAML.decode(Units.self, fromFile: BundledFiles.path("units.yaml"), displayName: "units.yaml", bundled: !strict)
        return RuleBook(layers: layers, regimes: regimes, groups: countries ? try CountryDataLoader.groups(strict: strict) : CountryGroupTable.empty, registry: registry,
                        catalog: try ChipCatalogLoader.load(strict: strict),
                        h100: H100Equivalence(tppPerH100: TPP(units.h100Equivalent.value)), treatedAs: treatedAs)
    }

    /// A user's hypothetical pack (`--regime my-pack.yaml`):
    ///
    /// ```yaml
    /// id: gulf-g2g
    /// title: Gulf states with government-to-government assurances
    /// extends: ai-diffusion-2025          # a regime in the book
    /// layer_overrides:                    # deep-merged into layers of that regime
    ///   ai-diffusion-2025:
    ///     country_sets:
    ///       supp5b: {countries: [AE, SA], source: "hypothetical G2G assurances", confidence: low}
    /// add_layers: []                      # whole new layers, appended to the regime
    /// ```
    ///
    /// Overridden layers get the id `<layer>+<pack id>` so determinations show they were changed.
    /// Returns the new regime's id. Throws ``YAMLInputError`` naming the pack's file, line and key.
    @discardableResult
    public static func addPack(at path: String, to book: inout RuleBook) throws -> String {
        let root = try StrictYAML.compose(fileAt: path)
        let pack = try StrictYAML.decode(UserPack.self, node: root, file: path)
        guard let base = book.regimes[pack.extends] else {
            let mark = StrictYAML.locate(path: ["extends"], in: root)
            throw YAMLInputError(file: path, line: mark?.line, column: mark?.column, keyPath: "extends",
                                 message: "\"\(pack.extends)\" is not a regime (known: \(book.regimes.keys.sorted().joined(separator: ", ")))")
        }
        guard book.regimes[pack.id] == nil else {
            let mark = StrictYAML.locate(path: ["id"], in: root)
            throw YAMLInputError(file: path, line: mark?.line, column: mark?.column, keyPath: "id",
                                 message: "\"\(pack.id)\" is already a regime; choose another id")
        }
        var regime = base
        regime.id = pack.id
        regime.title = pack.title
        regime.description = pack.description ?? "User pack \(path), extending \(base.id)"

        guard case let .mapping(rootMapping) = root else { return pack.id }
        if case let .mapping(overrides)? = rootMapping["layer_overrides"] {
            for pair in overrides {
                guard let layerID = pair.key.string else { continue }
                guard let index = regime.layers.firstIndex(where: { $0.layer == layerID }),
                      let layer = book.layers[layerID] else {
                    throw YAMLInputError(file: path, line: pair.key.mark?.line, column: pair.key.mark?.column,
                                         keyPath: "layer_overrides.\(layerID)",
                                         message: "regime \(base.id) has no layer \"\(layerID)\"")
                }
                guard let baseTree = try Yams.compose(yaml: YAMLEncoder().encode(layer)) else { continue }
                let merged = StrictYAML.merge(baseTree, pair.value)
                var changed = try StrictYAML.decode(RuleLayer.self, node: merged, file: path)
                changed.id = "\(layerID)+\(pack.id)"
                book.layers[changed.id] = changed
                regime.layers[index].layer = changed.id
            }
        }
        if case let .sequence(added)? = rootMapping["add_layers"] {
            for node in added {
                let layer = try StrictYAML.decode(RuleLayer.self, node: node, file: path)
                guard book.layers[layer.id] == nil else {
                    throw YAMLInputError(file: path, line: node.mark?.line, column: node.mark?.column, keyPath: "add_layers",
                                         message: "layer id \"\(layer.id)\" already exists")
                }
                book.layers[layer.id] = layer
                regime.layers.append(RegimeLayer(layer: layer.id, asWritten: pack.addedLayersAsWritten))
            }
        }
        book.regimes[regime.id] = regime
        do {
            _ = try book.compile(regime: regime.id)
        } catch {
            throw YAMLInputError(file: path, line: nil, column: nil, keyPath: "", message: error.message)
        }
        return regime.id
    }
}

/// The top level of a user's pack file (see ``RuleBookLoader/addPack(at:to:)``). Layer contents are
/// checked when merged, against the layer format.
struct UserPack: Codable {
    var id: String
    var title: String
    var description: String?
    var extends: String
    var layerOverrides: [String: IgnoredValue]?
    var addLayers: [IgnoredValue]?
    /// Whether added layers apply as written (ignoring compliance and enforcement dates); default true.
    var addedLayersAsWrittenFlag: Bool?

    var addedLayersAsWritten: Bool { addedLayersAsWrittenFlag ?? true }

    enum CodingKeys: String, CodingKey {
        case id, title, description, extends
        case layerOverrides = "layer_overrides"
        case addLayers = "add_layers"
        case addedLayersAsWrittenFlag = "added_layers_as_written"
    }
}

/// Accepts any YAML value and re-encodes as an empty mapping-free placeholder; used where contents
/// are validated separately.
struct IgnoredValue: Codable {
    init(from decoder: Decoder) throws {}
    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}
