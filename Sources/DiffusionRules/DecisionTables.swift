import ComputeMetrics

/// One fact a rule condition tests, about one part of the row.
enum Predicate: Hashable {
    // About the item (on the epoch's classification).
    case eccn(UInt64), datacenter(Bool), items(Set<Int>), tpp(ThresholdRange), dram(ThresholdRange)
    // About places and the declared VEU status and end use.
    case destination(CountrySet), headquarters(CountrySet), exporter(CountrySet), veu(VEUStatus), endUse(Set<UInt8>)

    var isItemFact: Bool {
        switch self {
        case .eccn, .datacenter, .items, .tpp, .dram: return true
        default: return false
        }
    }

    /// Whether an item fact holds (`facts`: the row facts of ``CompiledCondition/matches(_:)``).
    func holds(for facts: RowFacts) -> Bool {
        switch self {
        case let .eccn(mask): return mask & facts.eccnBit != 0
        case let .datacenter(value): return value == facts.datacenter
        case let .items(set): return set.contains(facts.item)
        case let .tpp(range): return facts.tppPerUnit.map(range.contains) ?? false
        case let .dram(range): return facts.dramBandwidth.map(range.contains) ?? false
        default: return false
        }
    }
}

/// A condition as bit tests on a row's fact vector: every `required` bit set, no `forbidden` bit
/// set, and the groups of children (`any_of`, `all_of`, `none_of`) satisfied.
struct MatchNode: Sendable {
    var required: UInt64 = 0, forbidden: UInt64 = 0
    var anyStart: Int32 = 0, anyCount: Int32 = 0
    var allStart: Int32 = 0, allCount: Int32 = 0
    var noneStart: Int32 = 0, noneCount: Int32 = 0
}

/// An authorization and review policy.
struct OutcomeCode: Sendable {
    var authorization: Authorization
    var reviewPolicy: ReviewPolicy?

    init(_ outcome: RuleOutcome) {
        authorization = outcome.authorization
        reviewPolicy = outcome.reviewPolicy
    }
}

/// What a rule decides, as plain values (no text): its condition's node, and the outcomes.
struct RuleStep: Sendable {
    var node: Int32
    /// Bit of the authorization of `then` (for red-flag removals).
    var authorizationBit: UInt8
    /// Index into ``DecisionTables/caps``, or -1 for a rule without a cap.
    var cap: Int32
    var then: OutcomeCode
    /// `when_exceeded` and `after_window` (valid when `hasWhenExceeded`, `hasAfterWindow`).
    var whenExceeded: OutcomeCode, afterWindow: OutcomeCode
    var hasWhenExceeded: Bool, hasAfterWindow: Bool
    var hasSchedule: Bool
}

/// A red flag as plain values: its condition's node and the authorizations it removes (bits).
struct FlagStep: Sendable {
    var node: Int32
    var removes: UInt8
}

/// A cap's numbers as plain values (``CompiledCap``, flattened).
struct CapNumbers: Sendable {
    var mechanism: CapMechanism
    var limit: TPP
    var window: (from: Day, through: Day)?
    var multiplierStart: Int32, multiplierCount: Int32
    var scheduleStart: Int32, scheduleCount: Int32
    var maxOutsideTier1: Double?, maxSingleCountry: Double?, maxOutsideUS: Double?
}

/// The compiled regime flattened for the decision loop: every table a row reads is a flat array of
/// plain values indexed by epoch, registry index or rule, small enough to stay in the processor's
/// caches (a few tens of KiB), so deciding a row costs a handful of loads and bit tests.
///
/// A row's *facts* are one 64-bit vector, the OR of its item's facts (per epoch and item, computed
/// once per run), its destination's, its headquarters', its exporter's, its VEU status's and its end
/// use's. Each rule's and red flag's condition is a ``MatchNode`` over those bits. An epoch whose
/// conditions use more than 64 distinct facts is not flattened (`bitMode` false): its rows are
/// matched with ``CompiledCondition`` instead, with the same result.
struct DecisionTables: Sendable {
    let countryCount: Int
    /// Day ordinal of each epoch's start; and, for the days from `dayBase`, the epoch of each day.
    let epochStarts: [Int32]
    let dayBase: Int32
    let epochOfDay: [UInt16]
    let installedBaseMask: [UInt64]
    let tier1: [CountrySet?], tier3: [CountrySet?]
    /// Per epoch x registry index: the AI Diffusion tier (1, 2, 3; -1 when the epoch has no tiers).
    let tiers: [Int8]
    let usIndex: Int
    let bitMode: [Bool]
    /// Per epoch: the item facts by bit (evaluated once per item and run).
    let itemPredicates: [[(bit: Int, predicate: Predicate)]]
    /// Per epoch x registry index (`epoch * countryCount + index`).
    let destinationBits: [UInt64], hqBits: [UInt64], exporterBits: [UInt64]
    /// Per epoch x 4.
    let veuBits: [UInt64], endUseBits: [UInt64]
    let nodes: [MatchNode]
    let children: [Int32]
    /// Per epoch: the range of its rules and flags in `rules` and `flags`.
    let ruleStart: [Int32], flagStart: [Int32]
    let rules: [RuleStep]
    let flags: [FlagStep]
    let caps: [CapNumbers]
    let multipliers: [(set: CountrySet, factor: Double)]
    let schedules: [(quarter: Int, tpp: TPP)]

    static func authorizationBit(_ authorization: Authorization) -> UInt8 {
        UInt8(1) << UInt8(Authorization.allCases.firstIndex(of: authorization)!)
    }

    init(epochs: [Epoch], registry: CountryRegistry) {
        let countryCount = registry.countries.count
        self.countryCount = countryCount
        epochStarts = epochs.map(\.start.ordinal)
        // Direct day -> epoch table between the first and the last boundary (binary search outside).
        let first = epochs.count > 1 ? epochs[1].start.ordinal : 0
        let last = epochs.last!.start.ordinal
        dayBase = first
        var table: [UInt16] = []
        if epochs.count > 1 && last - first < 200_000 {
            var e = 1
            table.reserveCapacity(Int(last - first) + 1)
            for day in first...last {
                while e + 1 < epochs.count && epochs[e + 1].start.ordinal <= day { e += 1 }
                table.append(UInt16(e))
            }
        }
        epochOfDay = table
        installedBaseMask = epochs.map(\.installedBaseMask)
        tier1 = epochs.map(\.tier1)
        tier3 = epochs.map(\.tier3)
        tiers = epochs.flatMap { epoch in (0..<countryCount).map { Int8(epoch.tier(of: $0) ?? -1) } }
        usIndex = registry.index(of: .unitedStates) ?? -1

        var bitMode: [Bool] = [], itemPredicates: [[(Int, Predicate)]] = []
        var destinationBits: [UInt64] = [], hqBits: [UInt64] = [], exporterBits: [UInt64] = []
        var veuBits: [UInt64] = [], endUseBits: [UInt64] = []
        var nodes: [MatchNode] = [], children: [Int32] = []
        var ruleStart: [Int32] = [], flagStart: [Int32] = []
        var rules: [RuleStep] = [], flags: [FlagStep] = []
        var caps: [CapNumbers] = [], multipliers: [(CountrySet, Double)] = [], schedules: [(Int, TPP)] = []
        for epoch in epochs {
            var compiler = NodeCompiler()
            let ruleNodes = epoch.rules.map { compiler.node($0.condition, into: &nodes, children: &children) }
            let flagNodes = epoch.flags.map { compiler.node($0.condition, into: &nodes, children: &children) }
            let fits = compiler.predicates.count <= 64
            bitMode.append(fits)
            var items: [(Int, Predicate)] = []
            var destination = [UInt64](repeating: 0, count: countryCount), hq = destination, exporter = destination
            var veu = [UInt64](repeating: 0, count: 4), endUse = [UInt64](repeating: 0, count: 4)
            if fits {
                for (bit, predicate) in compiler.predicates.enumerated() {
                    let mask: UInt64 = 1 << UInt64(bit)
                    switch predicate {
                    case let .destination(set): for i in 0..<countryCount where set.contains(index: i) { destination[i] |= mask }
                    case let .headquarters(set): for i in 0..<countryCount where set.contains(index: i) { hq[i] |= mask }
                    case let .exporter(set): for i in 0..<countryCount where set.contains(index: i) { exporter[i] |= mask }
                    case let .veu(status): veu[Int(status.rawValue)] |= mask
                    case let .endUse(uses): for use in uses { endUse[Int(use)] |= mask }
                    default: items.append((bit, predicate))
                    }
                }
            }
            itemPredicates.append(items)
            destinationBits += destination
            hqBits += hq
            exporterBits += exporter
            veuBits += veu
            endUseBits += endUse
            ruleStart.append(Int32(rules.count))
            for (i, rule) in epoch.rules.enumerated() {
                var capIndex: Int32 = -1
                if let cap = epoch.ruleCaps[i] {
                    capIndex = Int32(caps.count)
                    let definition = cap.definition
                    caps.append(CapNumbers(
                        mechanism: definition.mechanism, limit: cap.limit ?? .zero,
                        window: definition.window.map { ($0.from, $0.through) },
                        multiplierStart: Int32(multipliers.count), multiplierCount: Int32(cap.multipliers.count),
                        scheduleStart: Int32(schedules.count), scheduleCount: Int32(cap.schedule.count),
                        maxOutsideTier1: definition.maxShareOutsideTier1?.value, maxSingleCountry: definition.maxShareSingleCountry?.value,
                        maxOutsideUS: definition.maxShareOutsideUSForUSHeadquartered?.value))
                    multipliers += cap.multipliers.map { ($0.set, $0.factor) }
                    schedules += cap.schedule.map { ($0.quarter, $0.tpp) }
                }
                let check = rule.rule.cap
                rules.append(RuleStep(
                    node: ruleNodes[i], authorizationBit: Self.authorizationBit(rule.rule.then.authorization), cap: capIndex,
                    then: OutcomeCode(rule.rule.then),
                    whenExceeded: OutcomeCode(check?.whenExceeded ?? rule.rule.then), afterWindow: OutcomeCode(check?.afterWindow ?? rule.rule.then),
                    hasWhenExceeded: check?.whenExceeded != nil, hasAfterWindow: check?.afterWindow != nil,
                    hasSchedule: !(rule.rule.reviewPolicySchedule ?? []).isEmpty))
            }
            flagStart.append(Int32(flags.count))
            for (i, flag) in epoch.flags.enumerated() {
                let removes = (flag.flag.removes ?? []).reduce(UInt8(0)) { $0 | Self.authorizationBit($1) }
                flags.append(FlagStep(node: flagNodes[i], removes: removes))
            }
        }
        ruleStart.append(Int32(rules.count))
        flagStart.append(Int32(flags.count))
        self.bitMode = bitMode
        self.itemPredicates = itemPredicates
        self.destinationBits = destinationBits
        self.hqBits = hqBits
        self.exporterBits = exporterBits
        self.veuBits = veuBits
        self.endUseBits = endUseBits
        self.nodes = nodes
        self.children = children
        self.ruleStart = ruleStart
        self.flagStart = flagStart
        self.rules = rules
        self.flags = flags
        self.caps = caps
        self.multipliers = multipliers
        self.schedules = schedules
    }

    /// The epoch in force on `day`.
    @inline(__always) func epoch(of day: Day) -> Int {
        let offset = Int(day.ordinal) - Int(dayBase)
        if !epochOfDay.isEmpty || epochStarts.count == 1 {
            // The table runs from the first boundary to the last: before it is epoch 0, after it the last.
            if offset < 0 { return 0 }
            return offset < epochOfDay.count ? Int(epochOfDay[offset]) : epochStarts.count - 1
        }
        var low = 0, high = epochStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if epochStarts[mid] <= day.ordinal { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// Whether condition node `index` holds for a row's `facts`.
    @inline(__always) func matches(_ index: Int32, _ facts: UInt64) -> Bool {
        let node = nodes[Int(index)]
        if facts & node.required != node.required || facts & node.forbidden != 0 { return false }
        if node.anyCount | node.allCount | node.noneCount == 0 { return true }
        return childrenMatch(node, facts)
    }

    private func childrenMatch(_ node: MatchNode, _ facts: UInt64) -> Bool {
        if node.anyCount > 0 {
            var any = false
            for i in node.anyStart..<(node.anyStart + node.anyCount) where matches(children[Int(i)], facts) {
                any = true
                break
            }
            if !any { return false }
        }
        for i in node.allStart..<(node.allStart + node.allCount) where !matches(children[Int(i)], facts) { return false }
        for i in node.noneStart..<(node.noneStart + node.noneCount) where matches(children[Int(i)], facts) { return false }
        return true
    }

    /// The tier of a registry index on an epoch (-1: no tiers).
    @inline(__always) func tier(_ epoch: Int, _ country: Int) -> Int8 { tiers[epoch &* countryCount &+ country] }

    /// The facts of a row apart from its item's.
    @inline(__always) func placeFacts(epoch: Int, destination: Int, hq: Int, exporter: Int, veu: VEUStatus, endUse: EndUse) -> UInt64 {
        let base = epoch &* countryCount
        return destinationBits[base &+ destination] | hqBits[base &+ hq] | exporterBits[base &+ exporter]
            | veuBits[epoch &* 4 &+ Int(veu.rawValue)] | endUseBits[epoch &* 4 &+ Int(endUse.rawValue)]
    }

    /// The item facts of an item on an epoch (once per item and run).
    func itemFacts(epoch: Int, _ facts: RowFacts) -> UInt64 {
        var bits: UInt64 = 0
        for (bit, predicate) in itemPredicates[epoch] where predicate.holds(for: facts) { bits |= 1 << UInt64(bit) }
        return bits
    }
}

/// Assigns bits to the distinct facts of one epoch's conditions and builds their nodes.
private struct NodeCompiler {
    private(set) var predicates: [Predicate] = []
    private var bits: [Predicate: Int] = [:]

    private mutating func bit(_ predicate: Predicate) -> UInt64 {
        if let bit = bits[predicate] { return bit < 64 ? 1 << UInt64(bit) : 0 }
        let bit = predicates.count
        predicates.append(predicate)
        bits[predicate] = bit
        return bit < 64 ? 1 << UInt64(bit) : 0
    }

    mutating func node(_ condition: CompiledCondition, into nodes: inout [MatchNode], children: inout [Int32]) -> Int32 {
        var node = MatchNode()
        if let mask = condition.eccnMask { node.required |= bit(.eccn(mask)) }
        if let value = condition.datacenter { node.required |= bit(.datacenter(value)) }
        if let set = condition.destinationIn { node.required |= bit(.destination(set)) }
        if let set = condition.destinationNotIn { node.forbidden |= bit(.destination(set)) }
        if let set = condition.hqIn { node.required |= bit(.headquarters(set)) }
        if let set = condition.hqNotIn { node.forbidden |= bit(.headquarters(set)) }
        if let set = condition.exporterIn { node.required |= bit(.exporter(set)) }
        if let set = condition.exporterNotIn { node.forbidden |= bit(.exporter(set)) }
        if let items = condition.items { node.required |= bit(.items(items)) }
        if let veu = condition.veu { node.required |= bit(.veu(veu)) }
        if let uses = condition.endUses { node.required |= bit(.endUse(uses)) }
        if let range = condition.tpp { node.required |= bit(.tpp(range)) }
        if let range = condition.dram { node.required |= bit(.dram(range)) }
        func group(_ conditions: [CompiledCondition]) -> (Int32, Int32) {
            let ids = conditions.map { self.node($0, into: &nodes, children: &children) }
            let start = Int32(children.count)
            children += ids
            return (start, Int32(ids.count))
        }
        (node.anyStart, node.anyCount) = group(condition.anyOf)
        (node.allStart, node.allCount) = group(condition.allOf)
        (node.noneStart, node.noneCount) = group(condition.noneOf)
        nodes.append(node)
        return Int32(nodes.count - 1)
    }
}
