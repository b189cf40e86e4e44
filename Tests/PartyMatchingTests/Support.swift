import DiffusionRules
import Foundation
import PartyLists
import PartyMatching
import PartyScreening
import RuleData

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let configuration = try! PartyMatchingData.configuration(strict: true)
let catalog = try! PartyMatchingData.listCatalog(strict: true)
let book = try! RuleBookLoader.loadBundled()

/// The sample lists copied from shared/data/restricted_parties (data/parties/lists).
let sampleListPaths = ["csl_sample_2019.csv", "csl_sample_2025.csv", "bis_denied_persons_list_2022.tsv"]
    .map { repositoryRoot + "/data/parties/lists/" + $0 }
let samples = try! ListFiles.load(sampleListPaths, catalog: catalog, registry: book.registry, configuration: configuration)

func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

/// The entry of a sample list by file stem and data row.
func entry(_ stem: String, _ row: Int) -> Int {
    samples.entries.firstIndex { $0.file.hasSuffix("/\(stem)") && $0.row == row }!
}
