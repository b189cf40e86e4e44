import AllocationLedger
import ComplianceService
import ComputeMetrics
import Dashboard
import DiffusionRules
import Foundation
import RuleData
import Screening

/// One committed row: its determination, the row's parties and the ledger receipt.
struct CommittedRow {
    var run: Int64
    var determination: Determination
    var parties: RowParties
    var receipt: LedgerReceipt?
}

/// Screens and commits example files into a throwaway SQLite ledger through the application layer
/// (`ComplianceService.commit`, what `screen --commit` and `POST /v1/screenings` call).
struct SampleLedger {
    let service: ComplianceService
    let regime: CompiledRegime
    var ledger: any AllocationLedger { get throws { try service.ledger() } }
    var book: RuleBook { service.book }
    /// One fixed clock for every event, so the pages show the same times from run to run.
    static let recordedAt = "2026-06-01T09:00:00Z"

    init(directory: String, book: RuleBook, regime: String) throws {
        self.service = try ComplianceService(book: book, ledger: directory + "/ledger.sqlite", create: true, clock: { SampleLedger.recordedAt })
        self.regime = try service.regime(regime)
    }

    func seedFleet(_ path: String, name: String) throws {
        _ = try ledger.seedFleet(fileSHA256: try Digest.sha256Hex(fileAt: path), fileName: name,
                                 recordedAt: SampleLedger.recordedAt, entries: try FleetFile.read(path: path, registry: book.registry))
    }

    /// Commits a transactions file; returns its rows with their receipts.
    func commit(_ path: String, name: String) throws -> [CommittedRow] {
        var input = try ScreeningInput(path: path, book: book)
        input.name = name
        let result = try service.commit(input, regime: regime, requestKey: nil, by: nil)
        let publicKey = try ledger.publicKey()
        var receipts: [String: LedgerReceipt] = [:]
        for line in try service.receipts(run: result.runID) {
            let receipt = SampleLedger.receipt(line, publicKey: publicKey)
            receipts[receipt.row] = receipt.view
        }
        let file = try TransactionReader.read(path: path, book: book)   // the sample files are small: their rows' parties, in memory
        return zip(result.determinations ?? [], file.transactions).map { d, t in
            CommittedRow(run: result.runID, determination: d, parties: RowParties(transaction: t, parties: file.parties), receipt: receipts[d.id])
        }
    }

    /// The receipt's ledger position and its signature status, as the server shows them.
    static func receipt(_ line: String, publicKey: String?) -> (row: String, view: LedgerReceipt) {
        let status: SignatureStatus
        if !line.contains("\"signature\"") {
            status = .missing
        } else {
            switch Receipts.verify(line, publicKey: publicKey) {
            case .success: status = .valid
            case let .failure(error): status = .invalid(error.message)
            }
        }
        let (row, receipt) = LedgerReceipt.parse(line, signature: status)
        return (row, receipt)
    }
}
