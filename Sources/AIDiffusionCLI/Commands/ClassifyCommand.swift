import ArgumentParser
import ComplianceService
import ComputeMetrics
import DiffusionRules
import RuleData
import Screening
import TabularIO

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify items under the rules in force on a date.",
        subcommands: [ClassifyChipCommand.self, ClassifyModelCommand.self]
    )
}

/// `classify chip NAME | --tpp N [--die-area MM2] [--consumer] | --all`.
struct ClassifyChipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chip",
        abstract: "ECCN, prong, TPP, performance density, H100-equivalents and headroom to each threshold.",
        discussion: """
        Examples:
          ai-diffusion classify chip H100
          ai-diffusion classify chip --tpp 4707 --die-area 609 --consumer --as-of 2024-01-01
          ai-diffusion classify chip --all --format jsonl
        Chip data: Epoch AI, "Data on Machine Learning Hardware" (CC BY 4.0), plus a hand-kept supplement.
        """
    )

    @Argument(help: "Catalog name or alias (case-insensitive), e.g. H100, \"Gaudi 3\", MI300X.")
    var name: String?

    @Flag(name: .long, help: "Classify every catalog chip.")
    var all = false

    @Option(name: .long, help: "TPP of an uncatalogued chip (TPP = 2 x MacTOPS x bit length, dense).")
    var tpp: Double?

    @Option(name: .customLong("die-area"), help: "Applicable die area in mm² (for performance density).")
    var dieArea: Double?

    @Flag(name: .long, help: "The chip is not designed or marketed for datacenters.")
    var consumer = false

    @Option(name: .customLong("interconnect"), help: "Bidirectional chip-to-chip bandwidth, GB/s (the 2022 layer).")
    var interconnect: Double?

    @Option(name: .customLong("dram-bandwidth"), help: "DRAM bandwidth, GB/s.")
    var dramBandwidth: Double?

    @OptionGroup var regimeOption: RegimeOption
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var formatOption: FormatOption

    /// Sources of the figures given on the command line.
    private var commandLineSources: [String: String] {
        var sources = ["tpp": "command line (--tpp)", "datacenter": consumer ? "command line (--consumer)" : "default: designed for datacenters (no --consumer)"]
        if dieArea != nil { sources["die_area_mm2"] = "command line (--die-area)" }
        if interconnect != nil { sources["interconnect_gbps"] = "command line (--interconnect)" }
        if dramBandwidth != nil { sources["dram_bandwidth_gbps"] = "command line (--dram-bandwidth)" }
        return sources
    }

    func validate() throws {
        let modes = [name != nil, all, tpp != nil].filter { $0 }.count
        if modes != 1 { throw ValidationError("give exactly one of NAME, --all or --tpp") }
        if let tpp, tpp <= 0 { throw ValidationError("--tpp must be positive") }
        if let dieArea, dieArea <= 0 { throw ValidationError("--die-area must be positive") }
    }

    func run() throws {
        // Built-in regimes classify without country data (a quicker start); a pack needs the full book.
        var book = try RuleBookLoader.loadForClassification()
        var regimeID = regimeOption.regime
        if book.regimes[regimeID] == nil {
            var context = try RuleContext.load()
            regimeID = try context.regimeID(regimeID)
            book = context.book
        }
        let day = try asOf.day()
        var chips: [ChipSpec]
        if all {
            chips = book.catalog.chips
        } else if let name {
            chips = [try book.catalog.lookup(name)]
        } else {
            chips = [ChipSpec(name: "uncatalogued chip", tpp: TPP(tpp ?? 0), dieAreaMM2: dieArea, datacenter: !consumer,
                              interconnectGBps: interconnect, dramBandwidthGBps: dramBandwidth,
                              sources: commandLineSources)]
        }
        var layers: [String] = []
        var results: [ChipClassification] = []
        for chip in chips {
            let (result, applied) = try book.classify(chip, regime: regimeID, on: day)
            layers = applied
            results.append(ChipClassification(chip: chip, result: result, h100: book.h100))
        }
        let sink = ByteSink.standardOutput()
        switch formatOption.format {
        case .jsonl, .json:
            formatOption.writeJSON(results.map { $0.json(regime: regimeID, day: day, layers: layers) }, to: sink)
        case .csv:
            sink.write("name,eccn,prong,tpp,die_area_mm2,performance_density,h100_equivalents,datacenter,warnings\n")
            for r in results {
                sink.write([r.chip.name, r.result.eccn, r.result.prong ?? "", r.chip.tpp?.description ?? "",
                            r.chip.dieAreaMM2.map { NumberText.plain($0) } ?? "", r.density, r.h100e,
                            r.chip.datacenter.map { $0 ? "true" : "false" } ?? "", r.result.warnings.joined(separator: "; ")]
                    .map(csvField).joined(separator: ",") + "\n")
            }
        case .table:
            if results.count == 1 {
                sink.write(results[0].text(regime: regimeID, day: day, layers: layers))
            } else {
                var table = TextTable(header: ["NAME", "ECCN", "PRONG", "TPP", "PD", "H100E", "DATACENTER"], rightAligned: [3, 4, 5])
                for r in results {
                    table.add([r.chip.name, r.result.eccn, r.result.prong ?? "-", r.chip.tpp?.description ?? "?", r.density.isEmpty ? "?" : r.density,
                               r.h100e.isEmpty ? "?" : r.h100e, r.chip.datacenter.map { $0 ? "yes" : "no" } ?? "?"])
                }
                sink.write("Classification under \(regimeID) on \(day) (layers: \(layers.joined(separator: ", ")))\n")
                sink.write(table.render())
            }
        }
        sink.flush()
    }
}

/// The people's rendering of a classification (its JSON is the application layer's).
extension ChipClassification {
    func text(regime: String, day: Day, layers: [String]) -> String {
        var lines: [String] = []
        lines.append("\(chip.name): \(result.eccn)\(result.prong.map { " (prong \($0))" } ?? "")")
        lines.append("  rules:        \(regime) on \(day); layers \(layers.joined(separator: ", "))")
        lines.append("  TPP:          \(chip.tpp?.description ?? "unknown")   H100-equivalents: \(h100e.isEmpty ? "unknown" : h100e)")
        lines.append("  die area:     \(chip.dieAreaMM2.map { NumberText.plain($0) + " mm²" } ?? "unknown")   performance density: \(density.isEmpty ? "unknown" : density)")
        lines.append("  datacenter:   \(chip.datacenter.map { $0 ? "yes" : "no (not designed or marketed for datacenters)" } ?? "unknown")")
        if !result.checks.isEmpty {
            var table = TextTable(header: ["PRONG", "METRIC", "THRESHOLD", "VALUE", "MARGIN", "MET"], rightAligned: [3, 4])
            for check in result.checks {
                table.add([check.prong, check.metric, "\(check.comparison) \(NumberText.plain(check.threshold))",
                           check.value.map { TPP($0).description } ?? "unknown", check.margin.map { TPP($0).description } ?? "-",
                           check.satisfied.map { $0 ? "yes" : "no" } ?? "?"])
            }
            lines.append("  headroom:")
            lines += table.render().split(separator: "\n").map { "    " + $0 }
        }
        lines.append("  reasons:")
        lines += result.reasons.map { "    - \($0.text) [\($0.citation)]" }
        if !result.warnings.isEmpty {
            lines.append("  warnings:")
            lines += result.warnings.map { "    - \($0)" }
        }
        lines.append("  sources:")
        lines += chip.sources.sorted { $0.key < $1.key }.map { "    \($0.key): \($0.value)" }
        return lines.joined(separator: "\n") + "\n"
    }
}
