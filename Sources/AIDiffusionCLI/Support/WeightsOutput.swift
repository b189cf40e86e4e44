import ArgumentParser
import DiffusionRules
import ModelWeights
import RuleData
import TabularIO

/// The rule book plus what the weights channel needs: methodology, Epoch's models, the estimator.
struct WeightsContext {
    var rules: RuleContext
    var methodology: EstimationMethodology
    var models: ModelCatalog
    var estimator: OperationsEstimator

    static func load() throws -> WeightsContext {
        let methodology = try EpochModelsData.loadMethodology()
        return WeightsContext(rules: try RuleContext.load(), methodology: methodology,
                              models: try EpochModelsData.loadCatalog(methodology: methodology),
                              estimator: OperationsEstimator(methodology: methodology))
    }

    mutating func regime(_ name: String) throws -> WeightsRegime {
        try WeightsRegime(book: rules.book, regime: rules.regimeID(name))
    }
}

/// `--regime` for the weights commands: default `ai-diffusion-2025`, the only regime in which
/// 4E091 ever applied (under `enforced` it was never enforced, and the output says so).
struct WeightsRegimeOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Regime: ai-diffusion-2025 (default; 4E091 as written), enforced (4E091 never enforced), or a pack file.",
                                            valueName: "regime"))
    var regime: String = "ai-diffusion-2025"
}

/// JSON fragments shared by `classify model` and `screen-weights`.
enum WeightsJSON {
    static func q(_ s: String) -> String { JSONEscaping.quoted(s) }

    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    static func estimate(_ e: OperationsEstimate) -> String {
        "{\"method\":\(q(e.method.rawValue)),\"point\":\(number(e.point)),\"low\":\(number(e.low)),\"high\":\(number(e.high)),\"formula\":\(q(e.formula))}"
    }

    static func reasons(_ reasons: [Reason]) -> String {
        "[" + reasons.map { "{\"code\":\(q($0.code)),\"text\":\(q($0.text)),\"citation\":\(q($0.citation))}" }.joined(separator: ",") + "]"
    }

    static func strings(_ items: [String]) -> String { "[" + items.map(q).joined(separator: ",") + "]" }

    static func classification(_ c: WeightsClassification, weights: Bool?, estimates: [OperationsEstimate]) -> String {
        var out = "{\"model\":\(q(c.name)),\"regime\":\(q(c.regime)),\"as_of\":\(q(c.day.description)),\"layers\":\(strings(c.layers))"
        out += ",\"status\":\(q(c.status.rawValue)),\"eccn\":\(q(c.eccn)),\"meets_4e091_as_written\":\(c.meetsCriteria)"
        out += ",\"weights\":\(weights.map { q($0 ? "open" : "closed") } ?? "null")"
        out += ",\"operations\":\(estimate(c.operations))"
        out += ",\"estimates\":[" + estimates.map { e in
            let position = e.straddles(c.threshold, c.thresholdComparison) ? "straddles" : (c.thresholdComparison.holds(e.point, c.threshold) ? "meets" : "below")
            return String(estimate(e).dropLast()) + ",\"position\":\(q(position))}"
        }.joined(separator: ",") + "]"
        out += ",\"threshold\":\(number(c.threshold)),\"threshold_basis\":\(q(c.thresholdBasis))"
        if let f = c.frontier {
            out += ",\"published_frontier\":{\"name\":\(q(f.name)),\"operations\":\(number(f.operations)),\"publication_date\":\(q(f.publicationDate.description))}"
        } else {
            out += ",\"published_frontier\":null"
        }
        if let d = c.derivedTest {
            out += ",\"derived\":{\"additional_operations\":\(number(d.additional)),\"bound\":\(number(d.bound)),\"caught\":\(d.caught)}"
        } else {
            out += ",\"derived\":null"
        }
        out += ",\"straddles_threshold\":\(c.straddles),\"settle\":\(strings(c.settle))"
        out += ",\"reasons\":\(reasons(c.reasons)),\"warnings\":\(strings(c.warnings))}"
        return out
    }

    static func determination(_ d: WeightsDetermination) -> String {
        var out = "{\"id\":\(q(d.id)),\"date\":\(q(d.date.description)),\"regime\":\(q(d.regime)),\"layers\":\(strings(d.layers))"
        out += ",\"model\":\(q(d.model)),\"eccn\":\(q(d.classification.eccn)),\"status\":\(q(d.classification.status.rawValue))"
        out += ",\"meets_4e091_as_written\":\(d.classification.meetsCriteria),\"training_operations\":\(estimate(d.classification.operations))"
        out += ",\"straddles_threshold\":\(d.classification.straddles)"
        out += ",\"destination\":\(q(d.destination.description)),\"destination_tier\":\(d.destinationTier.map(String.init) ?? "null")"
        out += ",\"recipient_hq_tier\":\(d.recipientHQTier.map(String.init) ?? "null")"
        out += ",\"license_required\":\(d.licenseRequired),\"authorization\":\(q(d.authorization.rawValue))"
        out += ",\"review_policy\":\(d.reviewPolicy.map { q($0.rawValue) } ?? "null")"
        out += ",\"obligations\":[" + d.obligations.map {
            "{\"id\":\(q($0.id)),\"text\":\(q($0.text)),\"citation\":\(q($0.citation)),\"applies_from\":\($0.appliesFrom.map { q($0.description) } ?? "null")}"
        }.joined(separator: ",") + "]"
        out += ",\"reasons\":\(reasons(d.reasons)),\"warnings\":\(strings(d.warnings))}"
        return out
    }
}

/// Plain-text rendering for people.
enum WeightsText {
    static func classification(_ c: WeightsClassification, weights: Bool?, estimates: [OperationsEstimate]) -> [String] {
        var lines: [String] = []
        let status: String
        switch c.status {
        case .controlled: status = "CONTROLLED: \(c.eccn)"
        case .notControlled: status = "not controlled (\(c.eccn))"
        case .notInForce: status = "4E091 not in force" + (c.meetsCriteria ? "; as written it would be controlled" : "; as written it would not be controlled")
        }
        lines.append("\(c.name): \(status)")
        lines.append("  rules:       \(c.regime) on \(c.day); layers \(c.layers.joined(separator: ", "))")
        lines.append("  weights:     \(weights.map { $0 ? "open (published)" : "closed (unpublished)" } ?? "unknown (treated as unpublished)")")
        lines.append("  operations:  \(c.operations.text)  [\(c.operations.method.rawValue): \(c.operations.formula)]")
        if estimates.count > 1 {
            for e in estimates {
                let position = e.straddles(c.threshold, c.thresholdComparison) ? "straddles" : (c.thresholdComparison.holds(e.point, c.threshold) ? "meets" : "below")
                lines.append("    \(e.method.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(e.text)  (\(position) \(Scientific.format(c.threshold)))")
            }
        }
        lines.append("  threshold:   \(c.thresholdBasis)")
        if let f = c.frontier {
            lines.append("  published frontier on \(c.day): \(f.name), \(Scientific.format(f.operations)) operations (published \(f.publicationDate))")
        }
        if let d = c.derivedTest {
            lines.append("  derived:     additional \(Scientific.format(d.additional)) vs bound \(Scientific.format(d.bound)): \(d.caught ? "exceeds (exclusion lost)" : "within (excluded)")")
        }
        if c.straddles {
            lines.append("  UNCERTAIN:   the interval straddles the threshold; evidence that would settle it:")
            lines += c.settle.map { "    - \($0)" }
        }
        lines.append("  reasons:")
        lines += c.reasons.map { "    - \($0.text) [\($0.citation)]" }
        if !c.warnings.isEmpty {
            lines.append("  warnings:")
            lines += c.warnings.map { "    - \($0)" }
        }
        return lines
    }

    static func determination(_ d: WeightsDetermination) -> [String] {
        var lines: [String] = []
        let policy = d.reviewPolicy.map { ", \($0.rawValue)" } ?? ""
        lines.append("export \(d.id) on \(d.date): \(d.model) to \(d.destination) (tier \(d.destinationTier.map(String.init) ?? "-")), recipient HQ tier \(d.recipientHQTier.map(String.init) ?? "-"): \(d.authorization.rawValue)\(policy)")
        for obligation in d.obligations {
            lines.append("  OBLIGATION (\(obligation.citation)\(obligation.appliesFrom.map { "; from \($0)" } ?? "")): \(obligation.text)")
        }
        let own = d.reasons.filter { r in !d.classification.reasons.contains { $0.code == r.code && $0.text == r.text } }
        lines += own.map { "  - \($0.text) [\($0.citation)]" }
        let extra = d.warnings.filter { !d.classification.warnings.contains($0) }
        lines += extra.map { "  warning: \($0)" }
        return lines
    }
}
