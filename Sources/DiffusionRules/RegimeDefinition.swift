/// A regime: an ordered set of rule layers, how each is selected on a date, and the standing rules
/// that apply before any layer (comprehensive embargoes, part 746).
///
/// Two regimes are bundled: `enforced` (each layer only while effective, past compliance and not past
/// `enforced_until`) and `ai-diffusion-2025` (the framework as written, from 13 Jan 2025, never
/// rescinded). A user pack may define its own (see `RuleData`).
///
/// ```yaml
/// id: ai-diffusion-2025
/// title: The AI Diffusion Framework as written
/// layers:
///   - {layer: ear-2023-10-advanced-computing}
///   - {layer: ai-diffusion-2025, as_written: true}
/// ```
public struct RegimeDefinition: Codable, Sendable, Hashable {
    public var id: String
    public var title: String
    public var description: String?
    public var layers: [RegimeLayer]
    public var countrySets: [String: CountrySetDefinition]?
    /// Rules evaluated before every layer's rules (embargoes).
    public var standingRules: [LicenseRule]?
    /// Which ECCNs count toward a holder's installed base (for VEU limits).
    public var installedBase: InstalledBaseDefinition?
    /// Layers that carry only part 744 end-user controls (the Entity List's meaning, the Affiliates
    /// Rule): evaluated by party screening after the chip rules, selected on a date like `layers`,
    /// and not listed in a determination's `layers` (which name the layers the chip rules applied).
    public var endUserLayers: [RegimeLayer]?

    /// A regime of layers only (no sets or standing rules: enough to classify items).
    public init(id: String, title: String, description: String? = nil, layers: [RegimeLayer]) {
        self.id = id
        self.title = title
        self.description = description
        self.layers = layers
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, layers
        case countrySets = "country_sets"
        case standingRules = "standing_rules"
        case installedBase = "installed_base"
        case endUserLayers = "end_user_layers"
    }
}

/// A layer in a regime and how it is selected on a date.
public struct RegimeLayer: Codable, Sendable, Hashable {
    public var layer: String
    /// When true, the layer applies from `effective_from` regardless of `compliance_from` and
    /// `enforced_until` (the act "as written").
    public var asWritten: Bool?

    public init(layer: String, asWritten: Bool? = nil) {
        self.layer = layer
        self.asWritten = asWritten
    }

    enum CodingKeys: String, CodingKey {
        case layer
        case asWritten = "as_written"
    }
}

/// What counts as a holder's installed base of AI compute (Supp. 10 to part 748 ¶6: "chips that
/// meet or exceed the scope of ECCN 3A090.a").
public struct InstalledBaseDefinition: Codable, Sendable, Hashable {
    public var countedEccns: [String]
    public var source: String
    public var confidence: Confidence

    enum CodingKeys: String, CodingKey {
        case countedEccns = "counted_eccns"
        case source, confidence
    }
}

extension RuleLayer {
    /// Whether the layer applies on `day` under the given selection.
    public func isActive(on day: Day, asWritten: Bool) -> Bool {
        if day < effectiveFrom { return false }
        if let supersededOn, day >= supersededOn { return false }
        if asWritten { return true }
        if let complianceFrom, day < complianceFrom { return false }
        if let enforcedUntil, day > enforcedUntil { return false }
        if let suspensions, suspensions.contains(where: { $0.contains(day) }) { return false }
        return true
    }

    /// The suspension in force on `day`, if any (the layer is then not enforced).
    public func suspension(on day: Day) -> LayerSuspension? {
        suspensions?.first { $0.contains(day) }
    }

    /// The latest suspension that ended before `day`, if any.
    public func suspensionEnded(before day: Day) -> LayerSuspension? {
        suspensions?.filter { $0.through < day }.max { $0.through < $1.through }
    }

    /// Days on which the layer's activity can change under the given selection.
    public func boundaryDays(asWritten: Bool) -> [Day] {
        var days = [effectiveFrom]
        if let supersededOn { days.append(supersededOn) }
        if !asWritten {
            if let complianceFrom { days.append(complianceFrom) }
            if let enforcedUntil { days.append(enforcedUntil.next) }
            for suspension in suspensions ?? [] { days += [suspension.from, suspension.through.next] }
        }
        return days
    }
}
