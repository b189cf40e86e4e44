import ArgumentParser
import Foundation
import RuleData

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "The chip catalog's data (Epoch AI, CC BY 4.0).",
        subcommands: [CatalogRefreshCommand.self]
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
