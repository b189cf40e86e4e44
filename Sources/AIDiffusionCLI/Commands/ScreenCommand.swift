import AllocationLedger
import ArgumentParser
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

    func run() throws {
        var context = try RuleContext.load()
        let format = formatOption.format
        // Every input is read and checked before anything is screened or recorded.
        let library = try partyOptions.library(book: context.book)
        let ownership = try partyOptions.ownershipGraph()
        func stage(_ regime: CompiledRegime) throws -> PartyStage {
            try PartyOptions.stage(regime: regime.id, book: context.book, library: library, ownership: ownership,
                                   algorithm: partyOptions.algorithm)
        }
        if let compare {
            let names = compare.split(separator: ",").map { String($0).trimmingASCIIWhitespace() }
            let a = try context.compile(names[0]), b = try context.compile(names[1])
            let input = try ValidatedFile.validate(path: file, book: context.book)
            let stages = (try stage(a), try stage(b))
            noteParties(library)
            try runComparison(input, a, b, format: format, stages: stages)
            return
        }
        let regime = try context.compile(regimeOption.regime)
        // First pass: every cell checked before anything is screened, printed or recorded.
        let t0 = DispatchTime.now().uptimeNanoseconds
        let input = try ValidatedFile.validate(path: file, book: context.book)
        if ProcessInfo.processInfo.environment["AI_DIFFUSION_TIMING"] != nil { printError("pass 1: \(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9) s") }
        defer { if ProcessInfo.processInfo.environment["AI_DIFFUSION_TIMING"] != nil { printError("total after pass 1 start: \(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9) s") } }
        let partyStage = try stage(regime)
        noteParties(library)
        if commit {
            try runCommit(input, regime: regime, format: format, book: context.book, stage: partyStage)
        } else {
            try runDry(input, regime: regime, format: format, stage: partyStage)
        }
    }

    /// One line on stderr when no list was given (the tool bundles none).
    private func noteParties(_ library: PartyLibrary?) {
        if library == nil {
            printError("note: parties were not screened against restricted-party lists (no --parties file given; none is bundled)")
        }
    }

    @Option(name: .long, help: ArgumentHelp("With --commit: also write the signed decision receipts (JSON lines) to this file.", valueName: "file"))
    var receipts: String?

    private func snapshotIfAny() throws -> CapSnapshot {
        let path = ledgerOption.path
        guard Ledgers.exists(path) else { return .empty }
        return try ledgerOption.open(create: false).snapshot()
    }

    private func runDry(_ input: ValidatedFile, regime: CompiledRegime, format: OutputFormat, stage: PartyStage) throws {
        let sink = ByteSink.standardOutput()
        let summary = try ScreeningRun.screen(input, regime: regime, snapshot: try snapshotIfAny(), format: format, sink: sink,
                                              stage: stage)
        if format == .table { sink.write("\n" + summary.render()); sink.flush() }
    }

    private func runComparison(_ input: ValidatedFile, _ a: CompiledRegime, _ b: CompiledRegime, format: OutputFormat,
                               stages: (PartyStage, PartyStage)) throws {
        let sink = ByteSink.standardOutput()
        let summary = try ScreeningRun.compare(input, a, b, snapshot: try snapshotIfAny(), format: format, sink: sink,
                                               stages: (stages.0, stages.1))
        if format == .table {
            sink.write("\n" + summary.render())
            sink.flush()
        } else {
            printError(summary.render())
        }
    }

    private func runCommit(_ input: ValidatedFile, regime: CompiledRegime, format: OutputFormat, book: RuleBook,
                           stage: PartyStage) throws {
        let path = ledgerOption.path
        let ledger = try ledgerOption.open(create: true)
        let run = RunInfo(fileSHA256: try Digest.sha256Hex(fileAt: file), fileName: file, regime: regime.id,
                          recordedAt: LedgerClock.now, rulePackSHA256: RulePackDigest.sha256(regime: regime.id, book: book))
        var determinations: [Determination] = []
        let outcome = try ledger.commit(run: run, limits: { regime.capLimit(for: $0, on: $1) }) { snapshot in
            determinations.removeAll()
            var records: [LedgerRecord] = []
            let screener = Screener(regime: regime, items: input.items, parties: input.parties, snapshot: snapshot)
            try ScreeningRun.forEachBatch(input, screener: screener, stage: stage) { batch in
                for i in batch.transactions.indices {
                    let d = batch.determination(i)
                    determinations.append(d)
                    records.append(LedgerRecord(
                        rowID: d.id, determinationJSON: ScreeningRun.jsonLine(d), debits: d.debits,
                        installedBaseAddition: batch.decisions[i].installedBaseAddition.map {
                            InstalledBaseEntry(holder: batch.tables.parties[batch.transactions[i].ultimateParent],
                                               country: batch.transactions[i].destination, tpp: $0)
                        }, date: d.date))
                }
            }
            return records
        }
        if let receipts {
            let lines = try ledger.receipts(run: outcome.runID)
            guard FileManager.default.createFile(atPath: receipts, contents: Data(lines.map { $0 + "\n" }.joined().utf8)) else {
                throw InputError("\(receipts): cannot write the receipts (the run is committed; export them with `ledger receipt export --run \(outcome.runID)`)")
            }
        }
        let sink = ByteSink.standardOutput()
        let writer = makeDeterminationWriter(format, sink: sink, partyHits: stage.screensParties)
        switch outcome {
        case let .recorded(runID, first, last):
            determinations.forEach(writer.write)
            writer.finish()
            printError("committed run \(runID): \(determinations.count) rows recorded as ledger events \(first)-\(last) in \(ledger.location), each with a signed receipt")
        case let .replayed(runID, storedRegime, stored):
            for (rowID, json) in stored {
                guard let determination = DeterminationDecoding.decode(json) else {
                    throw LedgerError("stored determination for row \(rowID) is unreadable; run `ai-diffusion ledger verify`")
                }
                writer.write(determination)
            }
            writer.finish()
            var note = "already committed as run \(runID): returning the stored results; nothing debited"
            if storedRegime != regime.id { note += " (stored under regime \(storedRegime), not \(regime.id))" }
            printError(note)
        }
    }
}
