import ArgumentParser
import ChannelInputs
import CloudMonitoring
import DiffusionRules
import Foundation
import ModelWeights
import RuleData
import TabularIO

struct CloudCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloud",
        abstract: "IaaS monitoring: large training runs by beneficial owner, clusters, red flag 28.",
        subcommands: [CloudReportCommand.self]
    )
}

/// `cloud report USAGE.csv`: owners, their cumulative operations, runs, flags and reasons.
struct CloudReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Aggregate IaaS usage per beneficial owner and flag large training runs.",
        discussion: """
        Usage CSV columns: account, beneficial_owner, owner_hq, chip, utilization, and gpu_hours or \
        start, end, chip_count; optional reseller, cluster, run, data_type (general|biological), precision. \
        Operations = GPU-hours x 3600 x peak FLOP/s at the precision (TPP x 1e12 / bits; BF16 by default) \
        x utilization. Records are aggregated per beneficial owner across accounts and resellers; a run is \
        (owner, run label), and an owner's unlabelled records form one run.
        Criteria packs: eo-14110-interim (10^26 operations, 10^23 for primarily biological sequence data, \
        clusters >= 10^20 operations/s with networking over 100 Gbit/s; revoked Jan 2025), \
        part702-2024-proposed (10^26; clusters over 10^20 operations/s and 300 Gbit/s; never final), or a YAML file.
        Red flag 28 (4E091-scale run for an owner headquartered outside Supplement No. 5(a)) comes from \
        the AI Diffusion layer of --regime (default ai-diffusion-2025).

        Examples:
          ai-diffusion cloud report examples/cloud-usage.csv --customers examples/cloud-customers.csv \\
              --clusters examples/cloud-clusters.csv --as-of 2024-12-01
          ai-diffusion cloud report examples/cloud-usage.csv --criteria part702-2024-proposed --format json
        """
    )

    @Argument(help: "Usage CSV.") var file: String
    @Option(name: .long, help: "Criteria pack: eo-14110-interim (default), part702-2024-proposed, or a YAML file.")
    var criteria: String = "eo-14110-interim"
    @Option(name: .long, help: "Customer-identification CSV: account, customer_name, country, beneficial_owner, verification_status.")
    var customers: String?
    @Option(name: .long, help: "Clusters CSV: cluster, chip, chip_count, network_gbps.")
    var clusters: String?
    @OptionGroup var regimeOption: WeightsRegimeOption
    @OptionGroup var asOf: AsOfOption
    @Flag(name: .customLong("flagged-only"), help: "Only owners with flags.") var flaggedOnly = false
    @Option(name: .long, help: "Table: unflagged owners to show after the flagged ones.") var top: Int = 10
    @OptionGroup var formatOption: FormatOption

    func run() throws {
        var context = try WeightsContext.load()
        let day = try asOf.day()
        let pack = try CloudCriteriaLoader.load(criteria)
        let redFlag = try RedFlagResolver.resolve(&context, regime: regimeOption.regime, on: day)
        let book = context.rules.book
        // Validate the side files first, then the usage (nothing is printed unless all are good).
        let customerRecords = try customers.map { try CustomerReader.read(path: $0, registry: book.registry) }
        let clusterSpecs = try clusters.map { try ClusterReader.read(path: $0, catalog: book.catalog, peakBits: pack.cluster.peakBits) } ?? []
        let reader = UsageReader(catalog: book.catalog, registry: book.registry, methodology: context.methodology,
                                 peakBits: pack.cluster.peakBits)
        let usage = try reader.read(path: file)
        var report = CloudReportBuilder.build(usage, criteria: pack, asOf: day, redFlag: redFlag, clusters: clusterSpecs,
                                              customers: customerRecords)
        let g = context.methodology.gpuHours
        report.warnings.append("operations = GPU-hours x 3600 x peak FLOP/s at the record's precision x utilization; records without a precision are taken as \(g.defaultPrecision.uppercased()) (models/methodology.yaml); \(g.peakAssumption) (\(g.peakConfidence.rawValue) confidence)")
        CloudOutput.write(report, format: formatOption.format, flaggedOnly: flaggedOnly, top: top, file: file,
                          sink: ByteSink.standardOutput())
    }
}

/// Red flag 28 from the regime's AI Diffusion layer: its 4E091 threshold, the flag's text and the
/// headquarters set its condition names.
enum RedFlagResolver {
    static func resolve(_ context: inout WeightsContext, regime name: String, on day: Day) throws -> RedFlag28Test? {
        let regime = try context.regime(name)
        let provisions = regime.provisions(on: day)
        guard let block = provisions.block, let layerID = provisions.layerID, let layer = context.rules.book.layers[layerID],
              let flag = layer.flags?.first(where: { $0.id == "red-flag-28" }), let setName = flag.when.consigneeHqNotIn else {
            return nil
        }
        var members = regime.members(setName, on: day)
        if members == nil, let definition = layer.countrySets?[setName] {
            members = Set(definition.countries ?? [])
        }
        let note: String? = provisions.inForce
            ? provisions.warnings.first.map { "red flag 28: \($0)" }
            : "red flag 28 does not apply under \(regime.id) on \(day): \(provisions.notInForce?.text ?? "not in force"); runs that would raise it are noted as warnings"
        return RedFlag28Test(operations: block.trainingOperations, headquarters: members ?? [], warning: flag.warning,
                             citation: flag.citation, inForce: provisions.inForce, note: note)
    }
}
