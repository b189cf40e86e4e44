import DiffusionRules
import Foundation
import RuleData
import Screening
import TabularIO

let book = try! RuleBookLoader.loadBundled()
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

let header = "id,date,item,quantity,destination,consignee,consignee_hq"

/// Reads CSV text as a transactions file.
func read(_ csv: String, name: String = "test.csv") throws -> TransactionFile {
    try TransactionReader.read(reader: CSVRecordReader(bytes: Array(csv.utf8), displayName: name), book: book)
}

/// Screens CSV text under a regime, in file order.
func screen(_ csv: String, regime: String, snapshot: CapSnapshot = .empty, in ruleBook: RuleBook = book) throws -> [Determination] {
    let compiled = try ruleBook.compile(regime: regime)
    let file = try TransactionReader.read(reader: CSVRecordReader(bytes: Array(csv.utf8), displayName: "test.csv"), book: ruleBook)
    var out: [Determination] = []
    ScreeningRun.screen(file, regime: compiled, snapshot: snapshot) { out.append($0.determination) }
    return out
}

/// The reader's error for CSV text, or nil.
func readError(_ csv: String) -> CSVInputError? {
    do {
        _ = try read(csv)
        return nil
    } catch let error as CSVInputError {
        return error
    } catch {
        return CSVInputError(file: "?", line: nil, message: "unexpected \(error)")
    }
}
