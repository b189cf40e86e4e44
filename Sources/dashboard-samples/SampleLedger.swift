import AllocationLedger
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

/// Screens and commits example files into a throwaway SQLite ledger, as `screen --commit` does.
struct SampleLedger {
    let ledger: any AllocationLedger
    let book: RuleBook
    let regime: CompiledRegime
    /// One fixed clock for every event, so the pages show the same times from run to run.
    static let recordedAt = "2026-06-01T09:00:00Z"

    init(directory: String, book: RuleBook, regime: CompiledRegime) throws {
        self.ledger = try Ledgers.open(directory + "/ledger.sqlite", create: true)
        self.book = book
        self.regime = regime
    }

    func seedFleet(_ path: String, name: String) throws {
        _ = try ledger.seedFleet(fileSHA256: try Digest.sha256Hex(fileAt: path), fileName: name,
                                 recordedAt: SampleLedger.recordedAt, entries: try FleetFile.read(path: path, registry: book.registry))
    }

    /// Commits a transactions file; returns its rows with their receipts.
    func commit(_ path: String, name: String) throws -> [CommittedRow] {
        let input = try TransactionReader.read(path: path, displayName: name, book: book)
        let run = RunInfo(fileSHA256: try Digest.sha256Hex(fileAt: path), fileName: name, regime: regime.id,
                          recordedAt: SampleLedger.recordedAt)
        var determinations: [Determination] = []
        let outcome = try ledger.commit(run: run, limits: { regime.capLimit(for: $0, on: $1) }) { snapshot in
            determinations.removeAll()
            var records: [LedgerRecord] = []
            ScreeningRun.screen(input, regime: regime, snapshot: snapshot) { result in
                let d = result.determination
                determinations.append(d)
                records.append(LedgerRecord(
                    rowID: d.id, determinationJSON: ScreeningRun.jsonLine(d), debits: d.debits,
                    installedBaseAddition: result.installedBaseAddition.map {
                        InstalledBaseEntry(holder: $0.holder, country: $0.country, tpp: $0.tpp)
                    }, date: d.date))
            }
            return records
        }
        let publicKey = try ledger.publicKey()
        var receipts: [String: LedgerReceipt] = [:]
        for line in try ledger.receipts(run: outcome.runID) {
            let receipt = SampleLedger.receipt(line, publicKey: publicKey)
            receipts[receipt.row] = receipt.view
        }
        return zip(determinations, input.transactions).map { d, t in
            CommittedRow(run: outcome.runID, determination: d, parties: SampleLedger.parties(t, input.parties), receipt: receipts[d.id])
        }
    }

    /// The receipt's ledger position and its signature status, as the server would show them.
    static func receipt(_ line: String, publicKey: String?) -> (row: String, view: LedgerReceipt) {
        let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        let position = object["ledger"] as? [String: Any] ?? [:]
        let input = object["input"] as? [String: Any] ?? [:]
        let pack = object["rule_pack"] as? [String: Any] ?? [:]
        let status: SignatureStatus
        if object["signature"] == nil {
            status = .missing
        } else {
            switch Receipts.verify(line, publicKey: publicKey) {
            case .success: status = .valid
            case let .failure(error): status = .invalid(error.message)
            }
        }
        let view = LedgerReceipt(sequence: (position["seq"] as? NSNumber)?.int64Value ?? 0, hash: position["hash"] as? String ?? "",
                                 publicKey: object["public_key"] as? String ?? "", recordedAt: position["recorded_at"] as? String ?? "",
                                 rulePackSHA256: pack["sha256"] as? String ?? "", signature: status)
        return (input["row_id"] as? String ?? "", view)
    }

    static func parties(_ t: Transaction, _ parties: PartyTable) -> RowParties {
        RowParties(quantity: t.quantity, consignee: parties[t.consignee], consigneeHQ: t.consigneeHQ.description,
                   ultimateParent: parties[t.ultimateParent], exporterCountry: t.exporterCountry.description,
                   veu: t.veu == .none ? nil : t.veu.code, endUse: t.endUse == .unspecified ? nil : t.endUse.code)
    }
}
