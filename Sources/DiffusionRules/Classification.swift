import ComputeMetrics

/// The ECCN an item falls under on a date, which prong fired, and how far the item sits from every
/// threshold of the prongs in force.
///
/// ```swift
/// let result = regime.classify(catalog.lookup("H100"), on: Day("2025-06-01")!)
/// result.eccn    // "3A090.a"
/// result.prong   // "3A090.a.1"
/// ```
public struct Classification: Sendable {
    /// ECCN (`3A090.a`, `3A090.b`, `3A090.c`) or ``Classification/notControlled``.
    public var eccn: String
    /// Id of the prong that fired, if any.
    public var prong: String?
    public var reasons: [Reason]
    public var warnings: [String]
    /// Every threshold of every prong in force, with the item's value and margin.
    public var checks: [ThresholdCheck]

    /// ECCN reported when no prong fires.
    public static let notControlled = "not-3A090"
    /// ECCN reported when the item's TPP is not known (nothing can be checked).
    public static let unknown = "unknown"
}

/// One threshold of one prong against an item's figure: `margin` = value − threshold (positive
/// means above). Value and margin are nil when the item's figure is unknown.
public struct ThresholdCheck: Sendable, Hashable {
    public var prong: String
    /// `tpp`, `performance_density`, `interconnect_bandwidth`, `dram_bandwidth`, `memory_bandwidth_density`.
    public var metric: String
    /// `>=`, `>`, `<`, `<=`.
    public var comparison: String
    public var threshold: Double
    public var value: Double?
    public var satisfied: Bool?

    public var margin: Double? { value.map { $0 - threshold } }
}

/// Classifies items against an ordered list of prongs (first match wins).
struct Classifier: Sendable {
    let prongs: [ClassificationProng]

    /// The metric values of an item, by prong field.
    private static func metrics(_ spec: ChipSpec) -> [(String, KeyPath<ClassificationProng, ThresholdRange?>, Double?)] {
        [
            ("tpp", \.tpp, spec.tpp?.value),
            ("performance_density", \.performanceDensity, spec.performanceDensity),
            ("interconnect_bandwidth", \.interconnectBandwidth, spec.interconnectGBps),
            ("dram_bandwidth", \.dramBandwidth, spec.dramBandwidthGBps),
            ("memory_bandwidth_density", \.memoryBandwidthDensity, spec.memoryBandwidthDensity),
        ]
    }

    private static let units = [
        "tpp": "TPP", "performance_density": "TPP/mm²", "interconnect_bandwidth": "GB/s",
        "dram_bandwidth": "GB/s", "memory_bandwidth_density": "GB/s/mm²",
    ]

    func classify(_ spec: ChipSpec) -> Classification {
        var result = Classification(eccn: Classification.notControlled, prong: nil, reasons: [], warnings: spec.warnings, checks: [])
        if spec.tpp == nil && spec.kind != .highBandwidthMemory {
            result.eccn = Classification.unknown
            result.reasons.append(Reason(code: "unknown-tpp", text: "the TPP of \(spec.name) is not in the catalog, so no 3A090 threshold can be checked; give its figures",
                                         citation: "15 CFR part 774, Supp. 1, ECCN 3A090, Technical Note 2"))
            return result
        }
        let kind = spec.kind.rawValue
        let datacenter = spec.datacenter ?? true
        if spec.datacenter == nil {
            result.warnings.append("datacenter design or marketing of \(spec.name) is unknown; treated as designed for datacenters (the reading that controls more)")
        }
        var unknownMetrics = Set<String>()
        for prong in prongs {
            let kinds = prong.kinds ?? [ItemKind.integratedCircuit.rawValue]
            guard kinds.contains(kind) else { continue }
            var satisfiedAll = true
            var unknown: [String] = []
            for (name, path, value) in Classifier.metrics(spec) {
                guard let range = prong[keyPath: path] else { continue }
                for (comparison, threshold) in Classifier.bounds(range) {
                    let ok = value.map { Classifier.compare($0, comparison, threshold) }
                    result.checks.append(ThresholdCheck(prong: prong.id, metric: name, comparison: comparison,
                                                        threshold: threshold, value: value, satisfied: ok))
                    if ok == nil { unknown.append(name) }
                    if ok != true { satisfiedAll = false }
                }
            }
            guard result.prong == nil else { continue } // keep collecting checks for headroom
            if satisfiedAll {
                if prong.appliesTo == .datacenter && !datacenter {
                    if let note = prong.nonDatacenterNote {
                        result.reasons.append(Reason(code: "\(prong.id)/not-datacenter", text: note, citation: prong.citation))
                    }
                    if let assumption = prong.assumption { result.warnings.append("assumption: \(assumption)") }
                    continue
                }
                result.eccn = prong.eccn
                result.prong = prong.id
                result.reasons.append(Reason(code: prong.id, text: Classifier.describe(prong, spec), citation: prong.citation))
                if prong.confidence == .low {
                    result.warnings.append("low-confidence threshold \(prong.id): \(prong.source)")
                }
            } else {
                for name in unknown where unknownMetrics.insert(name).inserted {
                    result.warnings.append("\(name.split(separator: "_").joined(separator: " ")) of \(spec.name) is unknown; prongs that need it (\(prong.id)) could not be checked")
                }
            }
        }
        if result.prong == nil {
            let text = prongs.isEmpty
                ? "no 3A090 classification is in force on this date"
                : "meets no 3A090 prong in force (\(prongs.map(\.id).joined(separator: ", "))); other EAR controls are outside this tool's scope"
            result.reasons.append(Reason(code: "not-3A090", text: text, citation: "15 CFR part 774, Supp. 1, ECCN 3A090"))
        }
        return result
    }

    static func bounds(_ range: ThresholdRange) -> [(String, Double)] {
        var out: [(String, Double)] = []
        if let min = range.min { out.append((">=", min)) }
        if let above = range.above { out.append((">", above)) }
        if let below = range.below { out.append(("<", below)) }
        if let max = range.max { out.append(("<=", max)) }
        return out
    }

    static func compare(_ value: Double, _ comparison: String, _ threshold: Double) -> Bool {
        switch comparison {
        case ">=": return value >= threshold
        case ">": return value > threshold
        case "<": return value < threshold
        default: return value <= threshold
        }
    }

    static func describe(_ prong: ClassificationProng, _ spec: ChipSpec) -> String {
        var parts: [String] = []
        for (name, path, value) in metrics(spec) {
            guard let range = prong[keyPath: path], let value else { continue }
            let unit = units[name] ?? ""
            parts.append("\(name.split(separator: "_").joined(separator: " ")) \(NumberText.plain((value * 100).rounded() / 100)) \(unit) (\(range.text))")
        }
        return "\(prong.eccn) (\(prong.id)): " + parts.joined(separator: ", ")
    }
}
