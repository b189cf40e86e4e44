import AllocationLedger
import ComputeMetrics
import DiffusionRules
import RuleData
import TabularIO

/// Rule data and chip classifications as the command line's `--format json` and the API's reference
/// routes print them (one JSON object per element, fields in a fixed order).
///
/// ```swift
/// let tiers = try service.tiers(regime: "ai-diffusion-2025", on: Day("2025-06-01")!)
/// ReferenceJSON.tier(tiers.countries[0], view: tiers.view)   // {"country":"AD","name":"Andorra","tier":2,"groups":[]}
/// ```
public enum ReferenceJSON {
    static func q(_ s: String) -> String { JSONEscaping.quoted(s) }

    /// A rule layer: dates, title and citation (`rules list`).
    public static func layer(_ layer: RuleLayer) -> String {
        "{\"id\":\(q(layer.id)),\"effective_from\":\"\(layer.effectiveFrom)\",\"compliance_from\":\(layer.complianceFrom.map { "\"\($0)\"" } ?? "null"),\"enforced_until\":\(layer.enforcedUntil.map { "\"\($0)\"" } ?? "null"),\"superseded_on\":\(layer.supersededOn.map { "\"\($0)\"" } ?? "null"),\"title\":\(q(layer.title)),\"citation\":\(q(layer.citation))}"
    }

    /// A regime: id, title and its layers in order.
    public static func regime(_ regime: RegimeDefinition) -> String {
        "{\"id\":\(q(regime.id)),\"title\":\(q(regime.title)),\"layers\":[" + regime.layers.map {
            "{\"layer\":\(q($0.layer)),\"as_written\":\($0.asWritten == true)}"
        }.joined(separator: ",") + "]}"
    }

    /// Country Groups shown with tiers.
    public static let tierGroups = ["A:5", "A:6", "D:1", "D:4", "D:5", "E:1", "E:2"]

    /// A country with its tier and groups on the view's day (`rules tiers`).
    public static func tier(_ country: CountryRegistry.Country, view: RegimeView) -> String {
        let groups = tierGroups.filter { view.groups[$0]?.contains(country.code) ?? false }
        return "{\"country\":\"\(country.code)\",\"name\":\(q(country.name)),\"tier\":\(view.tiers?[country.code] ?? 2),\"groups\":[\(groups.map { "\"\($0)\"" }.joined(separator: ","))]}"
    }

    /// One change between two regime views (`rules diff`).
    public static func change(_ change: RegimeDiff.Change) -> String {
        "{\"kind\":\"\(change.kind)\",\"key\":\(q(change.key)),\"before\":\(change.before.map(q) ?? "null"),\"after\":\(change.after.map(q) ?? "null")}"
    }

    /// A cap's balance with its limit (`ledger show`).
    public static func cap(_ c: CapView) -> String {
        let b = c.balance
        return "{\"cap\":\(q(b.cap)),\"kind\":\"\(b.kind)\",\"used\":\(b.used),\"reserved\":\(b.reserved),\"limit\":\(c.limit?.description ?? "null"),\"remaining\":\(c.remaining?.description ?? "null"),\"debits\":\(b.debitCount)}"
    }
}

/// A chip with its classification (`classify chip`, `POST /v1/classify/chip`).
public struct ChipClassification: Sendable {
    public var chip: ChipSpec
    public var result: Classification
    public var h100: H100Equivalence

    public init(chip: ChipSpec, result: Classification, h100: H100Equivalence) {
        self.chip = chip
        self.result = result
        self.h100 = h100
    }

    public var density: String { chip.performanceDensity.map { TPP($0).description } ?? "" }
    public var h100e: String { chip.tpp.map { TPP(h100.h100Equivalents($0)).description } ?? "" }

    public func json(regime: String, day: Day, layers: [String]) -> String {
        func q(_ s: String) -> String { JSONEscaping.quoted(s) }
        func number(_ value: Double?) -> String { value.map { TPP($0).description } ?? "null" }
        var text = "{\"name\":\(q(chip.name)),\"regime\":\(q(regime)),\"as_of\":\(q(day.description))"
        text += ",\"layers\":[\(layers.map(q).joined(separator: ","))]"
        text += ",\"eccn\":\(q(result.eccn)),\"prong\":\(result.prong.map(q) ?? "null")"
        text += ",\"tpp\":\(chip.tpp?.description ?? "null"),\"die_area_mm2\":\(number(chip.dieAreaMM2))"
        text += ",\"performance_density\":\(number(chip.performanceDensity))"
        text += ",\"h100_equivalents\":\(chip.tpp.map { TPP(h100.h100Equivalents($0)).description } ?? "null")"
        text += ",\"datacenter\":\(chip.datacenter.map { $0 ? "true" : "false" } ?? "null")"
        text += ",\"interconnect_gbps\":\(number(chip.interconnectGBps)),\"dram_bandwidth_gbps\":\(number(chip.dramBandwidthGBps))"
        text += ",\"headroom\":["
        text += result.checks.map { check in
            "{\"prong\":\(q(check.prong)),\"metric\":\(q(check.metric)),\"comparison\":\(q(check.comparison)),\"threshold\":\(TPP(check.threshold)),\"value\":\(number(check.value)),\"margin\":\(number(check.margin)),\"satisfied\":\(check.satisfied.map { $0 ? "true" : "false" } ?? "null")}"
        }.joined(separator: ",")
        text += "],\"reasons\":["
        text += result.reasons.map { "{\"code\":\(q($0.code)),\"text\":\(q($0.text)),\"citation\":\(q($0.citation))}" }.joined(separator: ",")
        text += "],\"citations\":[\(Array(Set(result.reasons.map(\.citation))).sorted().map(q).joined(separator: ","))]"
        text += ",\"warnings\":[\(result.warnings.map(q).joined(separator: ","))]"
        text += ",\"sources\":{\(chip.sources.sorted { $0.key < $1.key }.map { "\(q($0.key)):\(q($0.value))" }.joined(separator: ","))}}"
        return text
    }
}

extension ComplianceService {
    /// The rule layers by date and the regimes.
    public func rules() -> (layers: [RuleLayer], regimes: [RegimeDefinition]) {
        (book.layersByDate, book.regimes.values.sorted { $0.id < $1.id })
    }

    /// Every country with its tier under `regime` on `day`; a 400 when the regime has no tiers then.
    public func tiers(regime name: String, on day: Day) throws -> (view: RegimeView, countries: [CountryRegistry.Country]) {
        let view = try regime(name).view(on: day)
        guard view.tiers != nil else {
            throw ServiceError(.badRequest, "regime \(name) has no tiers on \(day) (layers: \(view.layers.joined(separator: ", ")))")
        }
        return (view, book.registry.countries)
    }

    /// What changes between two sides, each `REGIME` or `REGIME@YYYY-MM-DD` (a side without a date uses `day`).
    public func diff(_ a: String, _ b: String, on day: Day) throws -> RegimeDiff {
        func side(_ text: String) throws -> RegimeView {
            let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
            var date = day
            if parts.count == 2 {
                guard let parsed = Day(parts[1]) else {
                    throw ServiceError(.badRequest, "\"\(parts[1])\" in \"\(text)\" is not a date in YYYY-MM-DD form", value: text)
                }
                date = parsed
            }
            return try regime(parts[0]).view(on: date)
        }
        return RegimeDiff(try side(a), try side(b))
    }

    /// Classifies a catalog chip (by name or alias) or a described one under a regime on a day.
    public func classify(_ chip: ChipSpec, regime id: String, on day: Day) throws -> (ChipClassification, layers: [String]) {
        _ = try regime(id)
        let (result, layers) = try book.classify(chip, regime: id, on: day)
        return (ChipClassification(chip: chip, result: result, h100: book.h100), layers)
    }
}
