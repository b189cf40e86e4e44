import ComputeMetrics

/// Everything screening needs besides the transactions: the rule layers and regimes, Country Groups
/// with their dated changes, the country registry, the chip catalog and the H100-equivalent.
///
/// A pure value: built by `RuleData` from the bundled files (and a user's pack), then compiled per
/// regime with ``compile(regime:)``.
public struct RuleBook: Sendable {
    public var layers: [String: RuleLayer]
    public var regimes: [String: RegimeDefinition]
    public var groups: CountryGroupTable
    public var registry: CountryRegistry
    public var catalog: ChipCatalog
    public var h100: H100Equivalence
    /// Destinations evaluated as another (Hong Kong as China), with source.
    public var treatedAs: [CountryCode: TreatedAs]

    public struct TreatedAs: Sendable, Hashable, Codable {
        public var country: CountryCode
        public var source: String
        public var confidence: Confidence

        enum CodingKeys: String, CodingKey {
            case country = "as"
            case source, confidence
        }
    }

    public init(layers: [String: RuleLayer], regimes: [String: RegimeDefinition], groups: CountryGroupTable,
                registry: CountryRegistry, catalog: ChipCatalog, h100: H100Equivalence,
                treatedAs: [CountryCode: TreatedAs]) {
        self.layers = layers
        self.regimes = regimes
        self.groups = groups
        self.registry = registry
        self.catalog = catalog
        self.h100 = h100
        self.treatedAs = treatedAs
    }

    /// Layers sorted by effective date, then id.
    public var layersByDate: [RuleLayer] {
        layers.values.sorted { ($0.effectiveFrom, $0.id) < ($1.effectiveFrom, $1.id) }
    }

    /// Classifies an item under a regime on a date without compiling the regime (no country data is
    /// needed): returns the classification and the ids of the layers applied.
    public func classify(_ spec: ChipSpec, regime id: String, on day: Day) throws(RuleBookError) -> (Classification, [String]) {
        guard let definition = regimes[id] else {
            throw RuleBookError(message: "unknown regime \"\(id)\" (known: \(regimes.keys.sorted().joined(separator: ", ")))")
        }
        var active: [RuleLayer] = []
        for ref in definition.layers {
            guard let layer = layers[ref.layer] else {
                throw RuleBookError(message: "regime \(id) names unknown layer \"\(ref.layer)\"")
            }
            if layer.isActive(on: day, asWritten: ref.asWritten ?? false) { active.append(layer) }
        }
        return (Classifier(prongs: Epoch.prongs(of: active)).classify(spec), active.map(\.id))
    }

    /// Compiles a regime for fast evaluation. Throws ``RuleBookError`` for dangling references.
    public func compile(regime id: String) throws(RuleBookError) -> CompiledRegime {
        guard let definition = regimes[id] else {
            throw RuleBookError(message: "unknown regime \"\(id)\" (known: \(regimes.keys.sorted().joined(separator: ", ")))")
        }
        return try CompiledRegime(definition: definition, book: self)
    }
}

/// A rule book that does not hold together (a rule names a set, cap or layer that does not exist).
public struct RuleBookError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
