import AllocationLedger
import ComputeMetrics
import DiffusionRules
import Foundation
import Testing

@Suite("Allocation ledger: commits, fleets, bad input (both backends)")
struct LedgerTests {
    @Test("A commit records every row, debits caps and grows installed bases", arguments: Backend.all)
    func commit(backend: Backend) throws {
        let (ledger, _, _) = try backend.newLedger()
        let outcome = try ledger.commit(run: testRun, limits: testLimits) { snapshot in
            #expect(snapshot == .empty)
            return [record("P05", cap: .countryAllocation(india), tpp: 129_695_744),
                    record("P07", cap: .lpp(parent: "Alem.cloud", year: 2025), tpp: 15_832_000),
                    record("P09", cap: .countryAllocation(india), tpp: 126_656_000)]
        }
        guard case let .recorded(_, first, last) = outcome else { Issue.record("expected a recorded run"); return }
        #expect(first == 1 && last == 3)
        let balances = try ledger.balances()
        #expect(balances.map(\.cap) == ["country_allocation/IN", "lpp/Alem.cloud/2025"])
        #expect(balances[0].used == TPP(whole: 256_351_744) && balances[0].debitCount == 2)
        #expect(balances[0].limit == TPP(whole: 790_000_000) && balances[0].reserved == .zero)
        let snapshot = try ledger.snapshot()
        #expect(snapshot.countryAllocation[india] == TPP(whole: 256_351_744))
        #expect(snapshot.lpp[.init(parent: "Alem.cloud", year: 2025)] == TPP(whole: 15_832_000))
        #expect(snapshot.installedBase["Acme"]?[india] == TPP(whole: 129_695_744 + 15_832_000 + 126_656_000))
        #expect(try ledger.receipts(run: outcome.runID).count == 3)
        #expect(try ledger.verify().ok)
    }

    @Test("Committing the same file again returns the stored results and debits nothing", arguments: Backend.all)
    func idempotentCommit(backend: Backend) throws {
        let (ledger, _, _) = try backend.newLedger()
        _ = try ledger.commit(run: testRun, limits: testLimits) { _ in [record("P05", cap: .countryAllocation(india), tpp: 1000)] }
        var evaluated = false
        let again = try ledger.commit(run: testRun, limits: testLimits) { _ in
            evaluated = true
            return [record("P05", cap: .countryAllocation(india), tpp: 1000)]
        }
        #expect(!evaluated)
        guard case let .replayed(_, regime, stored) = again else { Issue.record("expected a replay"); return }
        #expect(regime == "ai-diffusion-2025")
        #expect(stored.map(\.rowID) == ["P05"] && stored[0].json == "{\"id\":\"P05\"}")
        #expect(try ledger.balances()[0].used == TPP(whole: 1000))
        #expect(try ledger.eventCount() == 1)
    }

    @Test("All or nothing: a failure while evaluating records nothing", arguments: Backend.all)
    func atomic(backend: Backend) throws {
        struct Boom: Error {}
        let (ledger, _, _) = try backend.newLedger()
        #expect(throws: Boom.self) {
            try ledger.commit(run: testRun, limits: testLimits) { _ in throw Boom() }
        }
        #expect(try ledger.eventCount() == 0)
        #expect(try ledger.balances().isEmpty)
    }

    @Test("The store refuses a commit whose rows exceed a cap, even if the engine allowed it", arguments: Backend.all)
    func storeRefusesOverIssue(backend: Backend) throws {
        do {
            let (ledger, _, _) = try backend.newLedger()
            #expect {
                try ledger.commit(run: testRun, limits: testLimits) { _ in
                    [record("A", cap: .lpp(parent: "X", year: 2026), tpp: 20_000_000),
                     record("B", cap: .lpp(parent: "X", year: 2026), tpp: 7_000_000)]   // 27,000,000 > 26,900,000
                }
            } throws: { "\($0)".contains("store refused") }
            #expect(try ledger.eventCount() == 0)
            #expect(try ledger.balances().isEmpty)
        }
    }

    @Test("The store checks NVEU installed bases against the quarter's allocation", arguments: Backend.all)
    func nveuInstalledBase(backend: Backend) throws {
        let (ledger, _, _) = try backend.newLedger()
        _ = try ledger.seedFleet(fileSHA256: "f", fileName: "fleet.csv", recordedAt: "2026-01-01T00:00:00Z",
                                 entries: [(2, InstalledBaseEntry(holder: "G42", country: CountryCode("AE")!, tpp: TPP(whole: 900_000)))])
        var nveu = LedgerRecord(rowID: "N1", determinationJSON: "{}", debits: [Debit(cap: .nveu(holder: "G42", country: CountryCode("AE")!), tpp: TPP(whole: 200_000))],
                                installedBaseAddition: InstalledBaseEntry(holder: "G42", country: CountryCode("AE")!, tpp: TPP(whole: 200_000)), date: june)
        #expect {
            try ledger.commit(run: testRun, limits: testLimits) { _ in [nveu] }
        } throws: { "\($0)".contains("over the NVEU allocation") }
        nveu.debits[0].tpp = TPP(whole: 100_000)
        nveu.installedBaseAddition?.tpp = TPP(whole: 100_000)
        _ = try ledger.commit(run: testRun, limits: testLimits) { _ in [nveu] }
        #expect(try ledger.installedBases().first { $0.holder == "G42" }?.tpp == TPP(whole: 1_000_000))
        #expect(try ledger.verify().ok)
    }

    @Test("Seeding a fleet adds installed bases once per file; a negative TPP writes nothing", arguments: Backend.all)
    func fleet(backend: Backend) throws {
        let (ledger, _, _) = try backend.newLedger()
        let entries = [(line: 2, entry: InstalledBaseEntry(holder: "Contoso Cloud", country: CountryCode("US")!, tpp: TPP(whole: 12_000_000_000)))]
        #expect(try ledger.seedFleet(fileSHA256: "f", fileName: "fleet.csv", recordedAt: "t", entries: entries) == 1)
        #expect(try ledger.seedFleet(fileSHA256: "f", fileName: "fleet.csv", recordedAt: "t", entries: entries) == 0)
        #expect(try ledger.snapshot().installedBase["Contoso Cloud"]?[CountryCode("US")!] == TPP(whole: 12_000_000_000))
        let negative = [(line: 3, entry: InstalledBaseEntry(holder: "Bad", country: india, tpp: TPP(whole: -5)))]
        #expect { try ledger.seedFleet(fileSHA256: "g", fileName: "bad.csv", recordedAt: "t", entries: negative) } throws: {
            "\($0)".contains("bad.csv:3: tpp must not be negative")
        }
        #expect(try ledger.eventCount() == 1)
        #expect(try ledger.verify().ok)
    }

    @Test("A database that is not a ledger is refused and left untouched", arguments: Backend.all)
    func notOurs(backend: Backend) throws {
        let location = try backend.newLocation()
        try backend.execute(location, "CREATE TABLE customers (id INTEGER)")
        #expect { try Ledgers.open(location, create: true) } throws: { "\($0)".contains("not an ai-diffusion ledger") }
        if backend == .sqlite {
            let garbage = try backend.newLocation()
            try Data("this is not sqlite".utf8).write(to: URL(fileURLWithPath: garbage))
            #expect(throws: LedgerError.self) { try SQLiteLedger(path: garbage, create: true) }
            #expect(throws: LedgerError.self) { try SQLiteLedger(path: try backend.newLocation(), create: false) }
        }
    }

    @Test("Malformed PostgreSQL URLs: one-line errors, nothing connects")
    func malformedURLs() throws {
        for (url, message) in [("postgres://", "no host"), ("postgres://localhost", "no database"),
                               ("postgres://u@localhost:99999/db", "out of range"), ("postgres://u@localhost:abc/db", "not a number"),
                               ("postgres://u@localhost/db?colour=blue", "unknown parameter"),
                               ("postgres://u:secret@localhost/db?sslmode=maybe", "sslmode")] {
            #expect { try Ledgers.open(url, create: true) } throws: { error in
                let text = "\(error)"
                return text.contains("malformed PostgreSQL URL") && text.contains(message) && !text.contains("secret") && !text.contains("\n")
            }
        }
        #expect { try Ledgers.open("postgres://nobody@127.0.0.1:1/db", create: true) } throws: { "\($0)".contains("cannot connect") }
    }
}
