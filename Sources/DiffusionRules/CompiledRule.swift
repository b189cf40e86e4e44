import ComputeMetrics

/// The facts about one row that rule conditions test, resolved once per row.
struct RowFacts {
    var destination: Int
    var consigneeHQ: Int
    var exporter: Int
    var eccnBit: UInt64
    var datacenter: Bool
    var item: Int
    var veu: VEUStatus
    var endUse: EndUse
    var tppPerUnit: Double?
    var dramBandwidth: Double?
}

/// A ``RuleCondition`` with set names resolved to bit sets and ECCNs to a bit mask.
final class CompiledCondition: @unchecked Sendable {
    var eccnMask: UInt64?
    var datacenter: Bool?
    var destinationIn: CountrySet?
    var destinationNotIn: CountrySet?
    var hqIn: CountrySet?
    var hqNotIn: CountrySet?
    var exporterIn: CountrySet?
    var exporterNotIn: CountrySet?
    var items: Set<Int>?
    var veu: VEUStatus?
    var endUses: Set<UInt8>?
    var tpp: ThresholdRange?
    var dram: ThresholdRange?
    var anyOf: [CompiledCondition] = []
    var allOf: [CompiledCondition] = []
    var noneOf: [CompiledCondition] = []

    init() {}

    func matches(_ row: RowFacts) -> Bool {
        if let eccnMask, eccnMask & row.eccnBit == 0 { return false }
        if let datacenter, datacenter != row.datacenter { return false }
        if let destinationIn, !destinationIn.contains(index: row.destination) { return false }
        if let destinationNotIn, destinationNotIn.contains(index: row.destination) { return false }
        if let hqIn, !hqIn.contains(index: row.consigneeHQ) { return false }
        if let hqNotIn, hqNotIn.contains(index: row.consigneeHQ) { return false }
        if let exporterIn, !exporterIn.contains(index: row.exporter) { return false }
        if let exporterNotIn, exporterNotIn.contains(index: row.exporter) { return false }
        if let items, !items.contains(row.item) { return false }
        if let veu, veu != row.veu { return false }
        if let endUses, !endUses.contains(row.endUse.rawValue) { return false }
        if let tpp {
            guard let value = row.tppPerUnit, tpp.contains(value) else { return false }
        }
        if let dram {
            guard let value = row.dramBandwidth, dram.contains(value) else { return false }
        }
        if !anyOf.isEmpty {
            var any = false
            for condition in anyOf where condition.matches(row) {
                any = true
                break
            }
            if !any { return false }
        }
        for condition in allOf where !condition.matches(row) { return false }
        for condition in noneOf where condition.matches(row) { return false }
        return true
    }
}

/// Compiles conditions against one epoch's sets.
struct ConditionCompiler {
    let sets: [String: CountrySet]
    let eccnIndex: [String: Int]
    let catalog: ChipCatalog

    func compile(_ condition: RuleCondition?) throws(RuleBookError) -> CompiledCondition {
        let out = CompiledCondition()
        guard let condition else { return out }
        func set(_ name: String?) throws(RuleBookError) -> CountrySet? {
            guard let name else { return nil }
            guard let set = sets[name] else { throw RuleBookError(message: "condition names unknown country set \"\(name)\"") }
            return set
        }
        if let eccns = condition.eccnIn {
            var mask: UInt64 = 0
            for eccn in eccns { if let i = eccnIndex[eccn] { mask |= 1 << UInt64(i) } }
            out.eccnMask = mask
        }
        out.datacenter = condition.datacenter
        out.destinationIn = try set(condition.destinationIn)
        out.destinationNotIn = try set(condition.destinationNotIn)
        out.hqIn = try set(condition.consigneeHqIn)
        out.hqNotIn = try set(condition.consigneeHqNotIn)
        out.exporterIn = try set(condition.exporterIn)
        out.exporterNotIn = try set(condition.exporterNotIn)
        if let names = condition.itemIn {
            var items = Set<Int>()
            for name in names {
                guard let index = catalog.index(of: name) else {
                    throw RuleBookError(message: "condition names item \"\(name)\" that is not in the chip catalog")
                }
                items.insert(index)
            }
            out.items = items
        }
        if let veu = condition.veu {
            guard let status = VEUStatus(code: veu), status != .none else {
                throw RuleBookError(message: "condition veu must be UVEU or NVEU, not \"\(veu)\"")
            }
            out.veu = status
        }
        if let uses = condition.endUseIn {
            var codes = Set<UInt8>()
            for use in uses {
                guard let endUse = EndUse(code: use) else { throw RuleBookError(message: "unknown end use \"\(use)\"") }
                codes.insert(endUse.rawValue)
            }
            out.endUses = codes
        }
        out.tpp = condition.tpp
        out.dram = condition.dramBandwidth
        for child in condition.anyOf ?? [] { out.anyOf.append(try compile(child)) }
        for child in condition.allOf ?? [] { out.allOf.append(try compile(child)) }
        for child in condition.noneOf ?? [] { out.noneOf.append(try compile(child)) }
        return out
    }
}

/// A licensing rule ready for evaluation (a class, so that walking the rule list copies nothing).
final class CompiledRule: Sendable {
    let rule: LicenseRule
    let layer: String
    let condition: CompiledCondition
    let cap: CapDefinition?
    let reason: Reason
    /// Warnings always attached when the rule decides (low confidence, assumptions).
    let warnings: [String]
    /// Reason codes for the rule's cap outcomes, built once.
    let capCode: String, capExceededCode: String, noWindowCode: String, outcomeCode: String

    init(rule: LicenseRule, layer: String, compiler: ConditionCompiler, caps: [String: CapDefinition]) throws(RuleBookError) {
        self.rule = rule
        self.layer = layer
        self.condition = try compiler.compile(rule.when)
        if let check = rule.cap {
            guard let cap = caps[check.cap] else {
                throw RuleBookError(message: "rule \(rule.id) draws on unknown cap \"\(check.cap)\"")
            }
            self.cap = cap
        } else {
            self.cap = nil
        }
        self.reason = Reason(code: rule.id, text: rule.reason, citation: rule.citation)
        self.capCode = "\(rule.id)/cap"
        self.capExceededCode = "\(rule.id)/cap-exceeded"
        self.noWindowCode = "\(rule.id)/no-window"
        self.outcomeCode = "\(rule.id)/outcome"
        var warnings: [String] = []
        if rule.confidence == .low { warnings.append("low-confidence rule \(rule.id): \(rule.source)") }
        if let assumption = rule.assumption { warnings.append("assumption (\(rule.id)): \(assumption)") }
        self.warnings = warnings
    }

    /// The review policy on `day`: `policy`, replaced by the latest entry of the rule's schedule
    /// that has started (H20: presumption of denial, then case-by-case from 2025-08-08).
    func scheduledPolicy(_ policy: ReviewPolicy?, on day: Day) -> ReviewPolicy? {
        var policy = policy
        for entry in rule.reviewPolicySchedule ?? [] where entry.from <= day { policy = entry.reviewPolicy }
        return policy
    }
}

/// A red flag ready for evaluation.
final class CompiledFlag: Sendable {
    let flag: RedFlag
    let condition: CompiledCondition

    init(flag: RedFlag, condition: CompiledCondition) {
        self.flag = flag
        self.condition = condition
    }
}
