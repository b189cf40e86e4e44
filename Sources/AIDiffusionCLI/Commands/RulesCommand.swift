import ArgumentParser
import ComplianceService
import DiffusionRules
import Foundation
import RuleData
import Screening
import TabularIO

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Rule layers, regimes, tiers, and what changes between regimes or dates.",
        subcommands: [RulesListCommand.self, RulesShowCommand.self, RulesTiersCommand.self, RulesDiffCommand.self, RulesSnapshotCommand.self]
    )
}

/// `rules list`: every layer with its dates and citation, and the regimes.
struct RulesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List rule layers and regimes.")
    @OptionGroup var formatOption: FormatOption

    func run() throws {
        let context = try RuleContext.load()
        let layers = context.book.layersByDate
        let sink = ByteSink.standardOutput()
        switch formatOption.format {
        case .json, .jsonl:
            let lines = layers.map(ReferenceJSON.layer)
            formatOption.writeJSON(lines, to: sink)
        case .csv:
            sink.write("id,effective_from,compliance_from,enforced_until,superseded_on,citation\n")
            for layer in layers {
                sink.write([layer.id, layer.effectiveFrom.description, layer.complianceFrom?.description ?? "",
                            layer.enforcedUntil?.description ?? "", layer.supersededOn?.description ?? "", layer.citation]
                    .map(csvField).joined(separator: ",") + "\n")
            }
        case .table:
            var table = TextTable(header: ["LAYER", "EFFECTIVE", "COMPLIANCE", "ENFORCED UNTIL", "SUPERSEDED", "CITATION"])
            for layer in layers {
                let suspended = (layer.suspensions ?? []).map { " (suspended \($0.from)..\($0.through))" }.joined()
                table.add([layer.id, layer.effectiveFrom.description + suspended, layer.complianceFrom?.description ?? "-",
                           layer.enforcedUntil?.description ?? "-", layer.supersededOn?.description ?? "-", layer.citation])
            }
            sink.write(table.render())
            sink.write("\nRegimes:\n")
            for regime in context.book.regimes.values.sorted(by: { $0.id < $1.id }) {
                func names(_ refs: [RegimeLayer]) -> String { refs.map { $0.layer + ($0.asWritten == true ? " (as written)" : "") }.joined(separator: ", ") }
                sink.write("  \(regime.id): \(regime.title)\n    layers: \(names(regime.layers))\n")
                if let endUser = regime.endUserLayers, !endUser.isEmpty {
                    sink.write("    part 744 (party screening, after the chip rules): \(names(endUser))\n")
                }
            }
        }
        sink.flush()
    }
}

/// `rules show LAYER`: the layer's YAML as bundled.
struct RulesShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a rule layer (its YAML, with sources).")
    @Argument(help: "Layer id, e.g. ai-diffusion-2025.")
    var layer: String

    func run() throws {
        let context = try RuleContext.load()
        guard context.book.layers[layer] != nil else {
            throw InputError("\"\(layer)\" is not a rule layer (known: \(context.book.layers.keys.sorted().joined(separator: ", ")))")
        }
        print(BundledFiles.text("layers/\(layer).yaml"), terminator: "")
    }
}

/// `rules tiers --as-of DATE`: every country with its tier.
struct RulesTiersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tiers", abstract: "Every country with its AI Diffusion tier on a date.")
    @Option(name: .long, help: "Regime (default: ai-diffusion-2025, the one with tiers), or a pack file.")
    var regime: String = "ai-diffusion-2025"
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var formatOption: FormatOption

    func run() throws {
        var context = try RuleContext.load()
        let id = try context.regimeID(regime)
        let day = try asOf.day()
        let (view, countries) = try ComplianceService(rules: context.book).tiers(regime: id, on: day)
        let tiers = view.tiers ?? [:]
        let shown = ReferenceJSON.tierGroups
        let sink = ByteSink.standardOutput()
        switch formatOption.format {
        case .json, .jsonl:
            let lines = countries.map { ReferenceJSON.tier($0, view: view) }
            formatOption.writeJSON(lines, to: sink)
        case .csv:
            sink.write("country,name,tier,groups\n")
            for c in countries {
                sink.write([c.code.description, c.name, String(tiers[c.code] ?? 2), shown.filter { view.groups[$0]?.contains(c.code) ?? false }.joined(separator: " ")]
                    .map(csvField).joined(separator: ",") + "\n")
            }
        case .table:
            var table = TextTable(header: ["CC", "COUNTRY", "TIER", "GROUPS"])
            for c in countries {
                table.add([c.code.description, c.name, String(tiers[c.code] ?? 2), shown.filter { view.groups[$0]?.contains(c.code) ?? false }.joined(separator: " ")])
            }
            sink.write("Tiers under \(id) on \(day) (Tier 1 = Supplement No. 5(a); Tier 3 = D:5 + Macau; Hong Kong as China)\n")
            sink.write(table.render())
            let counts = (1...3).map { tier in tiers.values.filter { $0 == tier }.count }
            sink.write("\nTier 1: \(counts[0])  Tier 2: \(counts[1])  Tier 3: \(counts[2])\n")
        }
        sink.flush()
    }
}

/// `rules diff A B`: what changes between two regimes, or one regime on two dates (`enforced@2025-01-01`).
struct RulesDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changes between two regimes or dates.",
        discussion: """
        Each side is a regime, a pack file, or REGIME@DATE. Without a date a side uses --as-of.
          ai-diffusion rules diff enforced ai-diffusion-2025 --as-of 2025-06-01
          ai-diffusion rules diff enforced@2025-11-01 enforced@2026-02-01
        """
    )
    @Argument(help: "First regime (or REGIME@DATE).") var a: String
    @Argument(help: "Second regime (or REGIME@DATE).") var b: String
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var formatOption: FormatOption

    func run() throws {
        var context = try RuleContext.load()
        // Pack files named on either side are added to the book first.
        func id(_ side: String) throws -> String {
            let parts = side.split(separator: "@", maxSplits: 1).map(String.init)
            return try context.regimeID(parts[0]) + (parts.count == 2 ? "@" + parts[1] : "")
        }
        let (left, right) = (try id(a), try id(b))
        let diff = try ComplianceService(rules: context.book).diff(left, right, on: try asOf.day())
        let sink = ByteSink.standardOutput()
        switch formatOption.format {
        case .json, .jsonl:
            let lines = diff.changes.map(ReferenceJSON.change)
            formatOption.writeJSON(lines, to: sink)
        case .csv:
            sink.write("kind,key,before,after\n")
            for c in diff.changes { sink.write([c.kind, c.key, c.before ?? "", c.after ?? ""].map(csvField).joined(separator: ",") + "\n") }
        case .table:
            sink.write("\(diff.a.regime) on \(diff.a.day)  ->  \(diff.b.regime) on \(diff.b.day): \(diff.changes.count) changes\n")
            var table = TextTable(header: ["KIND", "KEY", "BEFORE", "AFTER"])
            for c in diff.changes { table.add([c.kind, c.key, c.before ?? "-", c.after ?? "-"]) }
            sink.write(table.render())
        }
        sink.flush()
    }
}

/// `rules snapshot`: prints the derived classification snapshot made from the bundled YAML (see
/// ``ClassificationSnapshot``); scripts/regenerate-snapshot.sh writes it into the bundle.
struct RulesSnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Print the classification snapshot derived from the bundled rule data (for scripts/regenerate-snapshot.sh).",
        shouldDisplay: false)

    func run() throws {
        print(ClassificationSnapshot.render(try RuleBookLoader.loadClassificationYAML()), terminator: "")
    }
}
