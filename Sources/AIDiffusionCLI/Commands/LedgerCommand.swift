import AllocationLedger
import ArgumentParser
import ComputeMetrics
import DiffusionRules
import Foundation
import Screening
import TabularIO

struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The allocation ledger: balances, audit-chain check, installed bases.",
        subcommands: [LedgerShowCommand.self, LedgerVerifyCommand.self, LedgerSeedFleetCommand.self]
    )
}

/// `ledger show`: balance per cap, with the limit under a regime.
struct LedgerShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Balances per cap and installed bases.")
    @OptionGroup var ledgerOption: LedgerOption
    @Option(name: .long, help: "Regime whose cap limits are shown (default ai-diffusion-2025).")
    var regime: String = "ai-diffusion-2025"
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var formatOption: FormatOption

    func run() throws {
        var context = try RuleContext.load()
        let compiled = try context.compile(regime)
        let ledger = try SQLiteLedger(path: ledgerOption.path, create: false)
        let balances = try ledger.balances()
        let bases = try ledger.installedBases()
        let day = try asOf.day()
        let caps = compiled.caps(on: day)
        func limit(_ balance: CapBalance) -> TPP? {
            switch balance.kind {
            case "lpp": return caps["lpp"]?.limit.map { TPP($0.value) }
            case "country_allocation":
                guard var value = caps["country_allocation"]?.limit.map({ TPP($0.value) }) else { return nil }
                for multiplier in caps["country_allocation"]?.multipliers ?? [] {
                    if let country = balance.country, compiled.members(ofSet: multiplier.set, on: day)?.contains(country) == true {
                        value = value.scaled(by: multiplier.factor)
                    }
                }
                return value
            default: return nil
            }
        }
        let sink = ByteSink.standardOutput()
        switch formatOption.format {
        case .json, .jsonl:
            let lines = balances.map { b in
                "{\"cap\":\(JSONEscaping.quoted(b.cap)),\"kind\":\"\(b.kind)\",\"used\":\(b.used),\"limit\":\(limit(b)?.description ?? "null"),\"remaining\":\(limit(b).map { ($0 - b.used).description } ?? "null"),\"debits\":\(b.debitCount)}"
            } + bases.map { e in
                "{\"installed_base\":\(JSONEscaping.quoted(e.holder)),\"country\":\"\(e.country)\",\"tpp\":\(e.tpp)}"
            }
            formatOption.writeJSON(lines, to: sink)
        case .csv:
            sink.write("cap,kind,used,limit,remaining,debits\n")
            for b in balances {
                sink.write([b.cap, b.kind, b.used.description, limit(b)?.description ?? "", limit(b).map { ($0 - b.used).description } ?? "", String(b.debitCount)]
                    .map(csvField).joined(separator: ",") + "\n")
            }
        case .table:
            var table = TextTable(header: ["CAP", "USED (TPP)", "LIMIT", "REMAINING", "DEBITS"], rightAligned: [1, 2, 3, 4])
            for b in balances {
                table.add([b.cap, b.used.description, limit(b)?.description ?? "-", limit(b).map { ($0 - b.used).description } ?? "-", String(b.debitCount)])
            }
            sink.write("Ledger \(ledgerOption.path): \(try ledger.eventCount()) events; limits under \(compiled.id) on \(day)\n")
            sink.write(balances.isEmpty ? "no debits\n" : table.render())
            if !bases.isEmpty {
                var baseTable = TextTable(header: ["HOLDER", "COUNTRY", "INSTALLED BASE (TPP)", "H100E"], rightAligned: [2, 3])
                for e in bases { baseTable.add([e.holder, e.country.description, e.tpp.description, TPP(context.book.h100.h100Equivalents(e.tpp)).description]) }
                sink.write("\n" + baseTable.render())
            }
        }
        sink.flush()
    }
}

/// `ledger verify`: recompute the hash chain and the balances.
struct LedgerVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the audit chain and balances; exit 1 if anything was edited.")
    @OptionGroup var ledgerOption: LedgerOption

    func run() throws {
        let report = try SQLiteLedger(path: ledgerOption.path, create: false).verify()
        if report.ok {
            print("ok: \(report.events) events; hash chain intact; debits, installed bases and balances match the events")
            return
        }
        for problem in report.problems { printError("verify: \(problem)") }
        throw InputError("\(ledgerOption.path): \(report.problems.count) problem(s) found in \(report.events) events")
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
        let ledger = try SQLiteLedger(path: ledgerOption.path, create: true)
        let added = try ledger.seedFleet(fileSHA256: try Digest.sha256Hex(fileAt: file), fileName: file,
                                         recordedAt: Today.timestamp, entries: entries)
        if added == 0 {
            printError("\(file) was seeded before; nothing added")
        } else {
            printError("seeded \(added) installed-base rows from \(file) into \(ledgerOption.path)")
        }
    }
}
