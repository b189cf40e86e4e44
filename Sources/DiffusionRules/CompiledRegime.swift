import ComputeMetrics

/// A regime compiled for evaluation: the timeline is cut into *epochs* in which the set of active
/// layers and Country Group membership are constant, and each epoch holds its prongs, rules and
/// country sets resolved to bit sets.
///
/// Build one with ``RuleBook/compile(regime:)``; evaluate transactions with a ``Screener``.
public final class CompiledRegime: Sendable {
    public let id: String
    public let title: String
    let book: RuleBook
    let epochs: [Epoch]
    /// ECCN names; a compiled condition refers to them by index.
    let eccnNames: [String]
    let eccnIndex: [String: Int]
    /// Constant texts of determinations under this regime, by id (``TextRegistry``); a run's own
    /// texts (classifications of its items) follow them in ``ScreeningTables``.
    let texts: [String]
    let common: CommonTexts
    /// Whether any epoch has a cap measured on installed bases (UVEU, NVEU): only then does a run
    /// keep holders' installed bases while it screens.
    let hasInstalledBaseCaps: Bool
    /// The epochs flattened for the decision loop.
    let decisionTables: DecisionTables

    init(definition: RegimeDefinition, book: RuleBook) throws(RuleBookError) {
        self.id = definition.id
        self.title = definition.title
        self.book = book

        var refs: [(RuleLayer, Bool)] = []
        for ref in definition.layers {
            guard let layer = book.layers[ref.layer] else {
                throw RuleBookError(message: "regime \(definition.id) names unknown layer \"\(ref.layer)\"")
            }
            refs.append((layer, ref.asWritten ?? false))
        }

        // ECCN names used anywhere.
        var names = [Classification.notControlled]
        func note(_ eccn: String) { if !names.contains(eccn) { names.append(eccn) } }
        for (layer, _) in refs {
            layer.classification?.prongs.forEach { note($0.eccn) }
            layer.licensing?.rules.forEach { rule in CompiledRegime.eccns(in: rule.when).forEach(note) }
            layer.flags?.forEach { flag in CompiledRegime.eccns(in: flag.when).forEach(note) }
        }
        definition.standingRules?.forEach { rule in CompiledRegime.eccns(in: rule.when).forEach(note) }
        definition.installedBase?.countedEccns.forEach(note)
        guard names.count <= 64 else { throw RuleBookError(message: "more than 64 ECCNs in regime \(definition.id)") }
        self.eccnNames = names
        self.eccnIndex = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

        // Epoch boundaries.
        var days = Set<Day>(book.groups.membershipChangeDays)
        for (layer, asWritten) in refs { days.formUnion(layer.boundaryDays(asWritten: asWritten)) }
        let starts = [Day(ordinal: Int32.min / 2)] + days.sorted()
        var epochs: [Epoch] = []
        var texts = TextRegistry()
        self.common = CommonTexts(&texts)
        for start in starts {
            let active = refs.filter { $0.0.isActive(on: start, asWritten: $0.1) }.map(\.0)
            epochs.append(try Epoch(start: start, layers: active, definition: definition, book: book,
                                    eccnIndex: eccnIndex, texts: &texts))
        }
        self.epochs = epochs
        self.texts = texts.strings
        self.decisionTables = DecisionTables(epochs: epochs, registry: book.registry)
        self.hasInstalledBaseCaps = epochs.contains { epoch in
            epoch.ruleCaps.contains { cap in
                cap.map { $0.definition.mechanism == .uveuDistribution || $0.definition.mechanism == .nveuSchedule } ?? false
            }
        }
    }

    private static func eccns(in condition: RuleCondition?) -> [String] {
        guard let condition else { return [] }
        var out = condition.eccnIn ?? []
        for child in (condition.anyOf ?? []) + (condition.allOf ?? []) + (condition.noneOf ?? []) {
            out += eccns(in: child)
        }
        return out
    }

    /// The epoch in force on `day`.
    func epochIndex(for day: Day) -> Int { decisionTables.epoch(of: day) }

    /// Ids of the layers applied on `day`.
    public func layerIDs(on day: Day) -> [String] { epochs[epochIndex(for: day)].layerIDs }

    /// Classifies a catalog or custom item under the prongs in force on `day`.
    public func classify(_ spec: ChipSpec, on day: Day) -> Classification {
        epochs[epochIndex(for: day)].classifier.classify(spec)
    }

    /// The AI Diffusion tier of a country on `day`, or nil when no tiers are in force.
    public func tier(of country: CountryCode, on day: Day) -> Int? {
        let epoch = epochs[epochIndex(for: day)]
        guard let index = book.registry.index(of: country) else { return nil }
        return epoch.tier(of: index)
    }

    /// The members of a named country set on `day` (`tier1`, `tier3`, `supp5b`, ...), or nil if unknown.
    public func members(ofSet name: String, on day: Day) -> [CountryCode]? {
        guard let set = epochs[epochIndex(for: day)].sets[name] else { return nil }
        return set.indices.map { book.registry.countries[$0].code }
    }

    /// Cap definitions in force on `day`, by key.
    public func caps(on day: Day) -> [String: CapDefinition] { epochs[epochIndex(for: day)].caps }
}

/// A period with constant active layers and group membership (a class: rows refer to it, never copy it).
final class Epoch: Sendable {
    let start: Day
    let layerIDs: [String]
    let classifier: Classifier
    let rules: [CompiledRule]
    let flags: [CompiledFlag]
    let tier1: CountrySet?
    let tier3: CountrySet?
    let tierSource: String?
    let caps: [String: CapDefinition]
    /// The same caps with their numbers converted (checked when the regime is compiled).
    let compiledCaps: [String: CompiledCap]
    let sets: [String: CountrySet]
    let installedBaseMask: UInt64
    /// For each rule (same order as `rules`): the compiled cap it draws on, if any.
    let ruleCaps: [CompiledCap?]
    /// For each rule: its texts and outcomes by id.
    let ruleTexts: [RuleTexts]
    /// For each red flag: the id of its warning.
    let flagWarnings: [Int32]

    init(start: Day, layers: [RuleLayer], definition: RegimeDefinition, book: RuleBook,
         eccnIndex: [String: Int], texts: inout TextRegistry) throws(RuleBookError) {
        self.start = start
        self.layerIDs = layers.map(\.id)

        let prongs = Epoch.prongs(of: layers)
        // Licensing: rules tagged with their layer so `replace` can drop earlier ones.
        var rules: [(layer: String, rule: LicenseRule)] = []
        var setDefinitions = definition.countrySets ?? [:]
        var tiers: TierDefinition?
        var caps: [String: CapDefinition] = [:]
        var flags: [RedFlag] = []
        for layer in layers {
            if let block = layer.licensing {
                let tagged = block.rules.map { (layer: layer.id, rule: $0) }
                switch block.mode {
                case .replace:
                    if let replaced = block.replaces {
                        rules = rules.filter { !replaced.contains($0.layer) } + tagged
                    } else {
                        rules = tagged
                    }
                case .prepend: rules = tagged + rules
                case .extend: rules = rules + tagged
                }
            }
            for (name, set) in layer.countrySets ?? [:] { setDefinitions[name] = set }
            if let layerTiers = layer.tiers { tiers = layerTiers }
            for (name, cap) in layer.caps ?? [:] { caps[name] = cap }
            flags += layer.flags ?? []
        }
        self.classifier = Classifier(prongs: prongs)
        self.caps = caps

        // Resolve every named set on this epoch's start day.
        var resolver = SetResolver(definitions: setDefinitions, book: book, day: start)
        var sets: [String: CountrySet] = [:]
        for name in setDefinitions.keys.sorted() { sets[name] = try resolver.resolve(name) }
        self.sets = sets
        var compiledCaps: [String: CompiledCap] = [:]
        for (name, definition) in caps {
            do {
                compiledCaps[name] = try CompiledCap(definition, sets: sets)
            } catch {
                throw RuleBookError(message: "cap \(name): \(error.message)")
            }
        }
        self.compiledCaps = compiledCaps

        if let tiers {
            guard let t1 = sets[tiers.tier1], let t3 = sets[tiers.tier3] else {
                throw RuleBookError(message: "tiers name unknown country sets \(tiers.tier1)/\(tiers.tier3)")
            }
            self.tier1 = t1
            self.tier3 = t3
            self.tierSource = tiers.source
        } else {
            self.tier1 = nil
            self.tier3 = nil
            self.tierSource = nil
        }

        let compiler = ConditionCompiler(sets: sets, eccnIndex: eccnIndex, catalog: book.catalog)
        var compiled: [CompiledRule] = []
        for rule in definition.standingRules ?? [] {
            compiled.append(try CompiledRule(rule: rule, layer: definition.id, compiler: compiler, caps: caps))
        }
        for (layer, rule) in rules {
            compiled.append(try CompiledRule(rule: rule, layer: layer, compiler: compiler, caps: caps))
        }
        self.rules = compiled
        var compiledFlags: [CompiledFlag] = []
        for flag in flags {
            compiledFlags.append(CompiledFlag(flag: flag, condition: try compiler.compile(flag.when)))
        }
        self.flags = compiledFlags
        var mask: UInt64 = 0
        for eccn in definition.installedBase?.countedEccns ?? [] { if let i = eccnIndex[eccn] { mask |= 1 << UInt64(i) } }
        self.installedBaseMask = mask
        self.ruleCaps = compiled.map { rule in rule.rule.cap.flatMap { compiledCaps[$0.cap] } }
        self.ruleTexts = compiled.map { RuleTexts($0, &texts) }
        self.flagWarnings = compiledFlags.map { texts.id($0.flag.warning) }
    }

    /// The classification prongs of active layers, in order: a `replace` block drops earlier prongs,
    /// `extend`/`prepend` add to them.
    static func prongs(of layers: [RuleLayer]) -> [ClassificationProng] {
        var prongs: [ClassificationProng] = []
        for layer in layers {
            if let block = layer.classification {
                prongs = block.mode == .replace ? block.prongs : prongs + block.prongs
            }
        }
        return prongs
    }

    /// Tier of a registry index, or nil without tiers.
    @inline(__always) func tier(of index: Int) -> Int? {
        guard let tier1, let tier3 else { return nil }
        if tier1.contains(index: index) { return 1 }
        if tier3.contains(index: index) { return 3 }
        return 2
    }
}

/// Resolves named country sets (with references between them) to bit sets over the registry's
/// indices on one day (also used by party screening for end-use destinations).
public struct SetResolver {
    let definitions: [String: CountrySetDefinition]
    let book: RuleBook
    let day: Day
    var done: [String: CountrySet] = [:]
    var inProgress: Set<String> = []

    public init(definitions: [String: CountrySetDefinition], book: RuleBook, day: Day) {
        self.definitions = definitions
        self.book = book
        self.day = day
    }

    public mutating func resolve(_ name: String) throws(RuleBookError) -> CountrySet {
        if let set = done[name] { return set }
        guard let definition = definitions[name] else { throw RuleBookError(message: "unknown country set \"\(name)\"") }
        guard inProgress.insert(name).inserted else { throw RuleBookError(message: "country set \"\(name)\" refers to itself") }
        var set = try build(countries: definition.countries, groups: definition.groups, sets: definition.sets)
        if let except = definition.except {
            set = set.subtracting(try build(countries: except.countries, groups: except.groups, sets: except.sets))
        }
        // Destinations treated as another (Hong Kong as China) join every set their counterpart is in.
        for (country, treated) in book.treatedAs {
            if let from = book.registry.index(of: treated.country), let to = book.registry.index(of: country) {
                if set.contains(index: from) { set.insert(index: to) } else { set.remove(index: to) }
            }
        }
        inProgress.remove(name)
        done[name] = set
        return set
    }

    private mutating func build(countries: [CountryCode]?, groups: [String]?, sets: [String]?) throws(RuleBookError) -> CountrySet {
        var set = CountrySet()
        for country in countries ?? [] {
            guard let index = book.registry.index(of: country) else {
                throw RuleBookError(message: "country set names unknown country \(country)")
            }
            set.insert(index: index)
        }
        for group in groups ?? [] {
            guard book.groups.groups.contains(group) else { throw RuleBookError(message: "unknown Country Group \"\(group)\"") }
            for (index, country) in book.registry.countries.enumerated()
            where book.groups.isMember(country.code, of: group, on: day) {
                set.insert(index: index)
            }
        }
        for other in sets ?? [] { set = set.union(try resolve(other)) }
        return set
    }
}
