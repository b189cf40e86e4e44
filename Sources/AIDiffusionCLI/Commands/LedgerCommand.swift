import AllocationLedger
import ArgumentParser
import ComplianceService
import ComputeMetrics
import DiffusionRules
import Foundation
import Screening
import TabularIO

struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The allocation ledger: balances, audit chain, history, installed bases, debits, reservations, receipts.",
        discussion: """
        --ledger takes an SQLite file (the default) or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE. \
        Times are UTC; AI_DIFFUSION_NOW=YYYY-MM-DDTHH:MM:SSZ fixes the clock for reproducible runs.
        """,
        subcommands: [LedgerShowCommand.self, LedgerVerifyCommand.self, LedgerSeedFleetCommand.self, LedgerHistoryCommand.self,
                      LedgerDebitCommand.self, LedgerReserveCommand.self, LedgerGrantCommand.self, LedgerDenyCommand.self,
                      LedgerExpireCommand.self, LedgerReceiptCommand.self]
    )
}

/// `ledger show`: per cap the confirmed and reserved TPP, the limit recorded from the rule pack,
/// what is left, and installed bases.
struct LedgerShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Balances per cap (confirmed and reserved apart) and installed bases.")
    @OptionGroup var ledgerOption: LedgerOption
    @Option(name: .long, help: "Regime whose cap limits are shown for caps recorded without one (default ai-diffusion-2025).")
    var regime: String = "ai-diffusion-2025"
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var formatOption: FormatOption

    func run() throws {
        var context = try RuleContext.load()
        let id = try context.regimeID(regime)
        let service = try ComplianceService(book: context.book, ledger: ledgerOption.path, signingKey: ledgerOption.signingKey, create: false)
        let ledger = try service.ledger()
        let caps = try service.caps(regime: id, asOf: try asOf.day())
        let bases = try ledger.installedBases()
        let sink = ByteSink.standardOutput()
        switch formatOption.format {
        case .json, .jsonl:
            let lines = caps.map(ReferenceJSON.cap) + bases.map { e in
                "{\"installed_base\":\(JSONEscaping.quoted(e.holder)),\"country\":\"\(e.country)\",\"tpp\":\(e.tpp)}"
            }
            formatOption.writeJSON(lines, to: sink)
        case .csv:
            sink.write("cap,kind,used,reserved,limit,remaining,debits\n")
            for c in caps {
                let b = c.balance
                sink.write([b.cap, b.kind, b.used.description, b.reserved.description, c.limit?.description ?? "",
                            c.remaining?.description ?? "", String(b.debitCount)].map(csvField).joined(separator: ",") + "\n")
            }
        case .table:
            var table = TextTable(header: ["CAP", "CONFIRMED (TPP)", "RESERVED", "LIMIT", "REMAINING", "DEBITS"], rightAligned: [1, 2, 3, 4, 5])
            for c in caps {
                let b = c.balance
                table.add([b.cap, b.used.description, b.reserved.description, c.limit?.description ?? "-",
                           c.remaining?.description ?? "-", String(b.debitCount)])
            }
            sink.write("Ledger \(ledger.location): \(try ledger.eventCount()) events; receipts key \(try ledger.publicKey() ?? "none")\n")
            sink.write(caps.isEmpty ? "no debits\n" : table.render())
            if !bases.isEmpty {
                var baseTable = TextTable(header: ["HOLDER", "COUNTRY", "INSTALLED BASE (TPP)", "H100E"], rightAligned: [2, 3])
                for e in bases { baseTable.add([e.holder, e.country.description, e.tpp.description, TPP(context.book.h100.h100Equivalents(e.tpp)).description]) }
                sink.write("\n" + baseTable.render())
            }
        }
        sink.flush()
    }
}

/// `ledger verify`: recompute the hash chain, projections, cap invariants and receipts.
struct LedgerVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the audit chain, balances and receipts; exit 1 if anything was edited.")
    @OptionGroup var ledgerOption: LedgerOption

    func run() throws {
        let ledger = try ledgerOption.open(create: false)
        let report = try ledger.verify()
        if report.ok {
            print("ok: \(report.events) events; hash chain intact; caps, movements, installed bases, reservations, receipts, holds, licences and tokens match the events")
            return
        }
        for problem in report.problems { printError("verify: \(problem)") }
        throw InputError("\(ledger.location): \(report.problems.count) problem(s) found in \(report.events) events")
    }
}

/// `ledger seed-fleet FILE.csv`: a holder's installed base by country.
struct LedgerSeedFleetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-fleet",
        abstract: "Record a VEU holder's installed base (holder,country,tpp[,as_of]) for UVEU/NVEU limits.")
    @Argument(help: "Fleet CSV: holder,country,tpp[,as_of].") var file: String
    @OptionGroup var ledgerOption: LedgerOption

    func run() throws {
        let context = try RuleContext.load()
        let entries = try FleetFile.read(path: file, registry: context.book.registry)
        let ledger = try ledgerOption.open(create: true)
        let added = try ledger.seedFleet(fileSHA256: try Digest.sha256Hex(fileAt: file), fileName: file,
                                         recordedAt: LedgerClock.now, entries: entries)
        if added == 0 {
            printError("\(file) was seeded before; nothing added")
        } else {
            printError("seeded \(added) installed-base rows from \(file) into \(ledger.location)")
        }
    }
}

/// `ledger history CAP --as-of DATE`: the balance at the end of a past day, from the events.
struct LedgerHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "A cap's confirmed and reserved TPP at the end of a day (ledger time, UTC), and the events that moved it.",
        discussion: "Example: ai-diffusion ledger history country_allocation/IN --as-of 2026-06-30")
    @Argument(help: "Cap name: lpp/<parent>/<year>, country_allocation/<CC>, uveu/<holder>/<CC> or nveu/<holder>/<CC>.") var cap: String
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var ledgerOption: LedgerOption
    @OptionGroup var formatOption: FormatOption

    func run() throws {
        let day = try asOf.day()
        let history = try ledgerOption.open(create: false).history(cap: cap, asOf: day)
        let sink = ByteSink.standardOutput()
        let limit = history.limit?.description ?? "null"
        switch formatOption.format {
        case .json, .jsonl:
            sink.write("{\"cap\":\(JSONEscaping.quoted(history.cap)),\"as_of\":\"\(day)\",\"confirmed\":\(history.used),\"reserved\":\(history.reserved),\"limit\":\(limit),\"events\":\(history.movements.count)}\n")
        case .csv:
            sink.write("seq,recorded_at,kind,confirmed_change,reserved_change\n")
            for m in history.movements { sink.write("\(m.sequence),\(m.recordedAt),\(m.kind),\(m.used),\(m.reserved)\n") }
        case .table:
            var table = TextTable(header: ["SEQ", "RECORDED (UTC)", "EVENT", "CONFIRMED +/-", "RESERVED +/-"], rightAligned: [0, 3, 4])
            for m in history.movements { table.add([String(m.sequence), m.recordedAt, m.kind, m.used.description, m.reserved.description]) }
            sink.write("\(history.cap) at the end of \(day): confirmed \(history.used) TPP, reserved \(history.reserved) TPP, limit \(history.limit?.description ?? "none")\n")
            sink.write(history.movements.isEmpty ? "no events up to that day\n" : table.render())
        }
        sink.flush()
    }
}

/// `ledger receipt verify FILE | export [--run N]`.
struct LedgerReceiptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Signed decision receipts: verify a file offline, or export a run's receipts.",
        subcommands: [LedgerReceiptVerifyCommand.self, LedgerReceiptExportCommand.self])
}

struct LedgerReceiptVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every receipt in a file (JSON lines) offline: Ed25519 signature over rule pack, input, result and ledger position.")
    @Argument(help: "Receipts file (one JSON object per line).") var file: String
    @Option(name: .customLong("public-key"), help: ArgumentHelp("Require this signer (hex, as `ledger show` prints it).", valueName: "hex"))
    var publicKey: String?

    func run() throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw InputError("\(file): cannot read the file") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        if lines.isEmpty { throw InputError("\(file): no receipts") }
        var signers = Set<String>()
        for (index, line) in lines.enumerated() {
            switch Receipts.verify(String(line), publicKey: publicKey) {
            case let .failure(error): throw InputError("\(file):\(index + 1): \(error.message)")
            case let .success(receipt): signers.insert(receipt.publicKey)
            }
        }
        print("ok: \(lines.count) receipts; signatures valid; signed by \(signers.sorted().joined(separator: ", "))")
    }
}

struct LedgerReceiptExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Print the stored receipts (JSON lines) of a run, or of every run.")
    @Option(name: .customLong("run"), help: "Run id (as `screen --commit` prints it).") var runID: Int64?
    @OptionGroup var ledgerOption: LedgerOption

    func run() throws {
        let receipts = try ledgerOption.open(create: false).receipts(run: runID)
        if receipts.isEmpty { throw InputError("no receipts\(runID.map { " for run \($0)" } ?? "") in the ledger") }
        let sink = ByteSink.standardOutput()
        for line in receipts { sink.write(line + "\n") }
        sink.flush()
    }
}
