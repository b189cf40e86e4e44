/// What one regime says on one date, reduced to comparable parts (for `rules diff`).
public struct RegimeView: Sendable {
    public var regime: String
    public var day: Day
    public var layers: [String]
    /// Tier by country (nil when no tiers are in force).
    public var tiers: [CountryCode: Int]?
    /// Prong id → threshold text.
    public var prongs: [String: String]
    /// Rule id → outcome text.
    public var rules: [String: String]
    /// Cap key → description of its numbers.
    public var caps: [String: String]
    /// Country Group → members.
    public var groups: [String: Set<CountryCode>]
}

extension CompiledRegime {
    /// The view of this regime on `day`.
    public func view(on day: Day) -> RegimeView {
        let epoch = epochs[epochIndex(for: day)]
        var tiers: [CountryCode: Int]?
        if epoch.tier1 != nil {
            var map: [CountryCode: Int] = [:]
            for (index, country) in book.registry.countries.enumerated() { map[country.code] = epoch.tier(of: index) }
            tiers = map
        }
        var prongs: [String: String] = [:]
        for prong in epoch.classifier.prongs {
            var parts: [String] = []
            if let r = prong.tpp { parts.append("TPP \(r.text)") }
            if let r = prong.performanceDensity { parts.append("PD \(r.text)") }
            if let r = prong.interconnectBandwidth { parts.append("interconnect \(r.text) GB/s") }
            if let r = prong.dramBandwidth { parts.append("DRAM \(r.text) GB/s") }
            if let r = prong.memoryBandwidthDensity { parts.append("memory bandwidth density \(r.text)") }
            prongs[prong.id] = "\(prong.eccn): \(parts.joined(separator: ", ")) [\(prong.appliesTo.rawValue)]"
        }
        var rules: [String: String] = [:]
        for rule in epoch.rules {
            var text = rule.rule.then.authorization.rawValue
            if let policy = rule.rule.then.reviewPolicy { text += " " + policy.rawValue }
            if let cap = rule.rule.cap { text += " (cap \(cap.cap))" }
            rules[rule.rule.id] = text
        }
        var caps: [String: String] = [:]
        for (key, cap) in epoch.caps {
            var parts = [cap.mechanism.rawValue]
            if let limit = cap.limit { parts.append("limit \(NumberText.plain(limit.value)) \(limit.unit)") }
            if let window = cap.window { parts.append("\(window.from)..\(window.through)") }
            for m in cap.multipliers ?? [] { parts.append("x\(NumberText.plain(m.factor)) for \(m.set)") }
            if let s = cap.maxShareOutsideTier1 { parts.append("outside Tier 1 <= \(NumberText.plain(s.value))") }
            if let s = cap.maxShareSingleCountry { parts.append("single country <= \(NumberText.plain(s.value))") }
            if let s = cap.maxShareOutsideUSForUSHeadquartered { parts.append("outside US <= \(NumberText.plain(s.value))") }
            if let schedule = cap.schedule, let last = schedule.last { parts.append("schedule \(schedule.count) quarters to \(NumberText.plain(last.installedBaseTPP))") }
            caps[key] = parts.joined(separator: "; ")
        }
        var groups: [String: Set<CountryCode>] = [:]
        for group in book.groups.groups {
            groups[group] = Set(book.registry.countries.map(\.code).filter { book.groups.isMember($0, of: group, on: day) })
        }
        return RegimeView(regime: id, day: day, layers: epoch.layerIDs, tiers: tiers, prongs: prongs, rules: rules,
                          caps: caps, groups: groups)
    }
}

/// Differences between two regime views, as lines for people.
public struct RegimeDiff: Sendable {
    public struct Change: Sendable, Hashable {
        /// `layer`, `tier`, `prong`, `rule`, `cap`, `group`.
        public var kind: String
        public var key: String
        public var before: String?
        public var after: String?
    }

    public var a: RegimeView
    public var b: RegimeView
    public var changes: [Change]

    public init(_ a: RegimeView, _ b: RegimeView) {
        self.a = a
        self.b = b
        var changes: [Change] = []
        for layer in a.layers where !b.layers.contains(layer) { changes.append(Change(kind: "layer", key: layer, before: "applied", after: nil)) }
        for layer in b.layers where !a.layers.contains(layer) { changes.append(Change(kind: "layer", key: layer, before: nil, after: "applied")) }
        if let aTiers = a.tiers, let bTiers = b.tiers {
            for country in Set(aTiers.keys).union(bTiers.keys).sorted() where aTiers[country] != bTiers[country] {
                changes.append(Change(kind: "tier", key: country.description,
                                      before: aTiers[country].map { "Tier \($0)" }, after: bTiers[country].map { "Tier \($0)" }))
            }
        } else if let tiers = a.tiers ?? b.tiers {
            // Tiers appear or disappear: list them once instead of one line per country.
            for tier in 1...3 {
                let members = tiers.filter { $0.value == tier }.keys.sorted()
                let text = tier == 2 ? "\(members.count) countries" : "\(members.count): " + members.map(\.description).joined(separator: " ")
                changes.append(Change(kind: "tier", key: "Tier \(tier)", before: a.tiers == nil ? nil : text, after: a.tiers == nil ? text : nil))
            }
        }
        func compare(_ kind: String, _ x: [String: String], _ y: [String: String]) {
            for key in Set(x.keys).union(y.keys).sorted() where x[key] != y[key] {
                changes.append(Change(kind: kind, key: key, before: x[key], after: y[key]))
            }
        }
        compare("prong", a.prongs, b.prongs)
        compare("rule", a.rules, b.rules)
        compare("cap", a.caps, b.caps)
        for group in Set(a.groups.keys).union(b.groups.keys).sorted() {
            let x = a.groups[group] ?? [], y = b.groups[group] ?? []
            for country in x.subtracting(y).sorted() { changes.append(Change(kind: "group", key: "\(group) \(country)", before: "member", after: nil)) }
            for country in y.subtracting(x).sorted() { changes.append(Change(kind: "group", key: "\(group) \(country)", before: nil, after: "member")) }
        }
        self.changes = changes
    }
}
