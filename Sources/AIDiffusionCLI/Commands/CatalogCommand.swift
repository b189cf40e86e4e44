import ArgumentParser
import Foundation
import RuleData

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "The chip catalog's and the AI-model data (Epoch AI, CC BY 4.0).",
        subcommands: [CatalogRefreshCommand.self, CatalogRefreshModelsCommand.self]
    )
}

/// `catalog refresh --epoch FILE [--out PATH]`: regenerate the bundled catalog from Epoch's CSV.
struct CatalogRefreshCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Regenerate chips/epoch-catalog.csv from Epoch AI's ml_hardware.csv.",
        discussion: """
        Download Epoch's "Data on Machine Learning Hardware" (https://epoch.ai/data/machine-learning-hardware, \
        CC BY 4.0), then:
          ai-diffusion catalog refresh --epoch data/epoch/ml_hardware/ml_hardware.csv \\
              --out Sources/RuleData/Resources/chips/epoch-catalog.csv
        and rebuild. TPP = Epoch's "Total processing performance (bit-OP/s)" / 1e12.
        """
    )
    @Option(name: .long, help: "Epoch's ml_hardware.csv.") var epoch: String
    @Option(name: .long, help: "Where to write the catalog (default: standard output).") var out: String?

    func run() throws {
        let text = try EpochCatalogGenerator.generate(epochCSV: epoch)
        if let out {
            try text.write(toFile: out, atomically: true, encoding: .utf8)
            printError("wrote \(text.split(separator: "\n").count - 1) chips to \(out)")
        } else {
            print(text, terminator: "")
        }
    }
}

/// `catalog refresh-models --notable FILE [--frontier FILE] [--out PATH]`: regenerate the bundled
/// AI-model data from Epoch's Notable AI Models CSV (and Frontier AI Models for compute bounds).
struct CatalogRefreshModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh-models",
        abstract: "Regenerate models/epoch-notable-models.csv from Epoch AI's notable_ai_models.csv.",
        discussion: """
        Download Epoch's "Data on AI Models" (https://epoch.ai/data/ai-models, CC BY 4.0), then:
          ai-diffusion catalog refresh-models --notable data/epoch/ai_models/notable_ai_models.csv \\
              --frontier data/epoch/ai_models/frontier_ai_models.csv \\
              --out Sources/RuleData/Resources/models/epoch-notable-models.csv
        and rebuild.
        """
    )
    @Option(name: .long, help: "Epoch's notable_ai_models.csv.") var notable: String
    @Option(name: .long, help: "Epoch's frontier_ai_models.csv (for compute lower/upper bounds).") var frontier: String?
    @Option(name: .long, help: "Where to write (default: standard output).") var out: String?

    func run() throws {
        let (text, rows, notes) = try EpochModelsData.generate(notableCSV: notable, frontierCSV: frontier)
        notes.forEach { printError("note: " + $0) }
        if let out {
            try text.write(toFile: out, atomically: true, encoding: .utf8)
            printError("wrote \(rows) models to \(out)")
        } else {
            print(text, terminator: "")
        }
    }
}
