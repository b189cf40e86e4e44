import AllocationLedger
import ArgumentParser
import ComplianceService
import DiffusionRules
import Foundation
import PartyScreening
import Screening
import TabularIO

/// `screen FILE.csv [--regime R | --compare A,B] [--commit] [--ledger PATH] [--format F]`.
struct ScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Screen a transactions CSV: one determination per row, in input order.",
        discussion: """
        A dry run by default: the ledger's balances are read (if it exists) and nothing is recorded. \
        With --commit every row is recorded in one transaction (all rows or none); committing the same \
        file again returns the stored results and debits nothing.

        Examples:
          ai-diffusion screen examples/deals-2023-2026.csv --compare enforced,ai-diffusion-2025
          ai-diffusion screen examples/deals-2023-2026.csv --regime ai-diffusion-2025 --format jsonl
          ai-diffusion screen deals.csv --regime ai-diffusion-2025 --commit --ledger ledger.sqlite
          ai-diffusion screen deals.csv --parties csl.csv --parties dpl.tsv --ownership ownership.csv

        Part 744 runs after the chip rules on every row: declared end uses (military, wmd, \
        supercomputer, advanced-node-ic) and, with --parties, every party of the row (consignee, \
        ultimate_parent, end_user, intermediate_consignee, purchaser) against the list entries in force \
        on the row's date. The stricter outcome wins and both reasons are kept; party_hits is added at \
        the end of each determination only when lists are loaded.
        """
    )

    @Argument(help: "Transactions CSV (formats.md): id,date,item,quantity,destination,consignee,consignee_hq,...")
    var file: String

    @OptionGroup var regimeOption: RegimeOption

    @Option(name: .long, help: ArgumentHelp("Evaluate each row under two regimes and show what differs.", valueName: "A,B"))
    var compare: String?

    @Flag(name: .long, help: "Record the determinations and their debits in the ledger.")
    var commit = false

    @OptionGroup var ledgerOption: LedgerOption
    @OptionGroup var formatOption: FormatOption
    @OptionGroup var partyOptions: PartyOptions

    func validate() throws {
        if compare != nil && commit { throw ValidationError("--commit records one regime; it cannot be used with --compare") }
        if let compare, compare.split(separator: ",").count != 2 { throw ValidationError("--compare takes two regimes: A,B") }
    }

    /// One line on stderr when no list was given (the tool bundles none).
    private func noteParties(_ library: PartyLibrary?) {
        if library == nil {
            printError("note: parties were not screened against restricted-party lists (no --parties file given; none is bundled)")
        }
    }

    @Option(name: .long, help: ArgumentHelp("With --commit: also write the signed decision receipts (JSON lines) to this file.", valueName: "file"))
    var receipts: String?

    func run() throws {
        var context = try RuleContext.load()
        // Pack files are added to the book before the service is made; the service compiles by id.
        let names = try (compare?.split(separator: ",").map { String($0).trimmingASCIIWhitespace() } ?? [regimeOption.regime])
            .map { try context.regimeID($0) }
        // Every input is read and checked before anything is screened or recorded.
        let parties = try partyOptions.setup(book: context.book)
        let input = try ScreeningInput(path: file, book: context.book)   // first pass: a bad cell stops here, before any ledger file exists
        let service = try ComplianceService(book: context.book, ledger: ledgerOption.path, signingKey: ledgerOption.signingKey,
                                            create: commit, parties: parties)
        noteParties(parties.library)
        let format = formatOption.format
        if names.count == 2 {
            try runComparison(service, input, try service.regime(names[0]), try service.regime(names[1]), format: format)
        } else if commit {
            try runCommit(service, input, regime: try service.regime(names[0]), format: format)
        } else {
            try runDry(service, input, regime: try service.regime(names[0]), format: format)
        }
    }

    private func runDry(_ service: ComplianceService, _ input: ScreeningInput, regime: CompiledRegime, format: OutputFormat) throws {
        let sink = ByteSink.standardOutput()
        let summary = try service.screen(input, regime: regime, format: format, sink: sink)
        if format == .table { sink.write("\n" + summary.render()); sink.flush() }
    }

    private func runComparison(_ service: ComplianceService, _ input: ScreeningInput, _ a: CompiledRegime, _ b: CompiledRegime,
                               format: OutputFormat) throws {
        let sink = ByteSink.standardOutput()
        let summary = try service.compare(input, a, b, format: format, sink: sink)
        if format == .table {
            sink.write("\n" + summary.render())
            sink.flush()
        } else {
            printError(summary.render())
        }
    }

    private func runCommit(_ service: ComplianceService, _ input: ScreeningInput, regime: CompiledRegime, format: OutputFormat) throws {
        let result = try service.commit(input, regime: regime, requestKey: nil, by: nil)
        if let receipts {
            let lines = try service.ledger().receipts(run: result.runID)
            guard FileManager.default.createFile(atPath: receipts, contents: Data(lines.map { $0 + "\n" }.joined().utf8)) else {
                throw InputError("\(receipts): cannot write the receipts (the run is committed; export them with `ledger receipt export --run \(result.runID)`)")
            }
        }
        let sink = ByteSink.standardOutput()
        let writer = makeDeterminationWriter(format, sink: sink, partyHits: service.parties.library != nil)
        if let determinations = result.determinations {
            determinations.forEach(writer.write)
        } else {
            for json in result.json {
                guard let determination = DeterminationDecoding.decode(json) else {
                    throw LedgerError("a stored determination of run \(result.runID) is unreadable; run `ai-diffusion ledger verify`")
                }
                writer.write(determination)
            }
        }
        writer.finish()
        if let sequences = result.sequences {
            printError("committed run \(result.runID): \(result.json.count) rows recorded as ledger events \(sequences.lowerBound)-\(sequences.upperBound) in \(service.ledgerLocation), each with a signed receipt")
        } else {
            var note = "already committed as run \(result.runID): returning the stored results; nothing debited"
            if result.regime != regime.id { note += " (stored under regime \(result.regime), not \(regime.id))" }
            printError(note)
        }
    }
}
