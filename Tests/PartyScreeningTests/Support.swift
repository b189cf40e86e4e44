import DiffusionRules
import Foundation
import PartyLists
import PartyMatching
import PartyScreening
import RuleData
import Screening
import TabularIO

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let book = try! RuleBookLoader.loadBundled()
let configuration = try! PartyMatchingData.configuration()
let catalog = try! PartyMatchingData.listCatalog()
let sampleListPaths = ["csl_sample_2019.csv", "csl_sample_2025.csv", "bis_denied_persons_list_2022.tsv"]
    .map { repositoryRoot + "/data/parties/lists/" + $0 }
let samples = try! ListFiles.load(sampleListPaths, catalog: catalog, registry: book.registry, configuration: configuration)

/// Screens CSV text under a regime with the part 744 stage (lists and ownership optional).
func screen(_ csv: String, regime: String, library: PartyLibrary? = samples, ownership: String? = nil) throws -> [Determination] {
    let compiled = try book.compile(regime: regime)
    let file = try TransactionReader.read(reader: CSVRecordReader(bytes: Array(csv.utf8), displayName: "test.csv"), book: book)
    let graph = try ownership.map {
        OwnershipGraph(records: try OwnershipFile.read(CSVRecordReader(bytes: Array($0.utf8), displayName: "ownership.csv")),
                       normalizer: NameNormalizer(configuration))
    }
    let stage = PartyStage(rules: try EndUserRules(regime: regime, book: book), library: library, ownership: graph)
    var out: [Determination] = []
    ScreeningRun.screen(file, regime: compiled, snapshot: .empty, stage: stage) { out.append($0.determination) }
    return out
}

/// Screens without the part 744 stage (the chip rules alone, as before party screening existed).
func screenChipOnly(_ csv: String, regime: String) throws -> [Determination] {
    let compiled = try book.compile(regime: regime)
    let file = try TransactionReader.read(reader: CSVRecordReader(bytes: Array(csv.utf8), displayName: "test.csv"), book: book)
    var out: [Determination] = []
    ScreeningRun.screen(file, regime: compiled, snapshot: .empty) { out.append($0.determination) }
    return out
}

func jsonLine(_ d: Determination) -> String { ScreeningRun.jsonLine(d) }
