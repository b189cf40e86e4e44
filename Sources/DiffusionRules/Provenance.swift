/// How sure we are of a regulatory fact, as graded in `regulation-facts.md`:
/// **high** = primary text or several agreeing sources; **medium** = one good secondary source or
/// arithmetic on a sourced number; **low** = a single weak source, a recollection or an inference.
public enum Confidence: String, Codable, Sendable, Comparable, CaseIterable {
    case low, medium, high

    public static func < (lhs: Confidence, rhs: Confidence) -> Bool {
        let order: [Confidence] = [.low, .medium, .high]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// A number from the regulation with its unit, source and confidence.
///
/// ```yaml
/// limit: {value: 26900000, unit: TPP, source: "15 CFR 740.29(a), 90 FR 4559", confidence: high}
/// ```
public struct SourcedNumber: Codable, Sendable, Hashable {
    public var value: Double
    /// Unit as written: `TPP`, `TPP/mm2`, `GB/s`, `share`, `operations`, ...
    public var unit: String
    public var source: String
    public var confidence: Confidence
    /// Set when the number is the product's choice where the text is unclear.
    public var assumption: String?

    public init(value: Double, unit: String, source: String, confidence: Confidence, assumption: String? = nil) {
        self.value = value
        self.unit = unit
        self.source = source
        self.confidence = confidence
        self.assumption = assumption
    }
}

/// One entry of the `reasons` list of a determination or classification.
public struct Reason: Sendable, Hashable {
    /// Stable machine code, e.g. `3A090.a.1`, `aidf/lpp`, `embargo/part-746`.
    public var code: String
    public var text: String
    /// Regulation cited, e.g. `15 CFR 740.29(a)`.
    public var citation: String

    public init(code: String, text: String, citation: String) {
        self.code = code
        self.text = text
        self.citation = citation
    }
}
