import AllocationLedger
import ArgumentParser
import ComplianceService
import RuleData
import TabularIO

/// `holds list [--status S]`: committed rows that need a licence, and where they stand.
struct HoldsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "holds",
        abstract: "The review queue: every committed row that needs a licence is held until an officer decides it.",
        discussion: "Officers decide holds through the service (POST /v1/holds/{id}/decision) or its dashboard.",
        subcommands: [HoldsListCommand.self]
    )
}

struct HoldsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Holds, oldest first.")
    @Option(name: .long, help: "open, escalated, released or rejected (default: all).") var status: String?
    @OptionGroup var ledgerOption: LedgerOption
    @OptionGroup var formatOption: FormatOption

    func run() throws {
        let filter = try status.map { text -> HoldStatus in
            guard let s = HoldStatus(rawValue: text) else { throw InputError("--status \"\(text)\" must be open, escalated, released or rejected") }
            return s
        }
        let holds = try ComplianceService(book: try RuleBookLoader.loadForClassification(), ledger: ledgerOption.path,
                                          signingKey: ledgerOption.signingKey, create: false).holds(status: filter)
        let sink = ByteSink.standardOutput()
        switch formatOption.format {
        case .json, .jsonl: formatOption.writeJSON(holds.map(ServiceJSON.hold), to: sink)
        case .csv, .table:
            var table = TextTable(header: ["HOLD", "RUN", "ROW", "STATUS", "LICENCE", "CREATED"], rightAligned: [0, 1])
            for h in holds {
                table.add([String(h.id), String(h.run), h.row, h.status.rawValue, h.decisions.last { $0.licence != nil }?.licence ?? "-", h.createdAt])
            }
            sink.write(holds.isEmpty ? "no holds\n" : table.render())
        }
        sink.flush()
    }
}
