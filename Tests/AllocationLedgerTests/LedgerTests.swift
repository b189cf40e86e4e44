import AllocationLedger
import ComputeMetrics
import DiffusionRules
import Foundation
import GRDB
import Testing

func temporaryLedgerPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID()).sqlite").path
}

let run = RunInfo(fileSHA256: String(repeating: "a", count: 64), fileName: "deals.csv", regime: "ai-diffusion-2025",
                  recordedAt: "2026-11-29T00:00:00Z")

func record(_ id: String, cap: CapKey?, tpp: Int64) -> LedgerRecord {
    LedgerRecord(rowID: id, determinationJSON: "{\"id\":\"\(id)\"}",
                 debits: cap.map { [Debit(cap: $0, tpp: TPP(whole: tpp))] } ?? [],
                 installedBaseAddition: InstalledBaseEntry(holder: "Acme", country: CountryCode("IN")!, tpp: TPP(whole: tpp)))
}

@Suite("Allocation ledger (SQLite)")
struct LedgerTests {
    @Test("A commit records every row, debits caps and grows installed bases")
    func commit() throws {
        let ledger = try SQLiteLedger(path: temporaryLedgerPath(), create: true)
        let outcome = try ledger.commit(run: run) { snapshot in
            #expect(snapshot == .empty)
            return [record("P05", cap: .countryAllocation(CountryCode("IN")!), tpp: 129_695_744),
                    record("P07", cap: .lpp(parent: "Alem.cloud", year: 2025), tpp: 15_832_000),
                    record("P09", cap: .countryAllocation(CountryCode("IN")!), tpp: 126_656_000)]
        }
        guard case let .recorded(_, first, last) = outcome else { Issue.record("expected a recorded run"); return }
        #expect(first == 1 && last == 3)
        let balances = try ledger.balances()
        #expect(balances.map(\.cap) == ["country_allocation/IN", "lpp/Alem.cloud/2025"])
        #expect(balances[0].used == TPP(whole: 256_351_744) && balances[0].debitCount == 2)
        let snapshot = try ledger.snapshot()
        #expect(snapshot.countryAllocation[CountryCode("IN")!] == TPP(whole: 256_351_744))
        #expect(snapshot.lpp[.init(parent: "Alem.cloud", year: 2025)] == TPP(whole: 15_832_000))
        #expect(try ledger.verify().ok)
    }

    @Test("Committing the same file again returns the stored results and debits nothing")
    func idempotent() throws {
        let ledger = try SQLiteLedger(path: temporaryLedgerPath(), create: true)
        _ = try ledger.commit(run: run) { _ in [record("P05", cap: .countryAllocation(CountryCode("IN")!), tpp: 1000)] }
        var evaluated = false
        let again = try ledger.commit(run: run) { _ in
            evaluated = true
            return [record("P05", cap: .countryAllocation(CountryCode("IN")!), tpp: 1000)]
        }
        #expect(!evaluated)
        guard case let .replayed(_, regime, stored) = again else { Issue.record("expected a replay"); return }
        #expect(regime == "ai-diffusion-2025")
        #expect(stored.map(\.rowID) == ["P05"] && stored[0].json == "{\"id\":\"P05\"}")
        #expect(try ledger.balances()[0].used == TPP(whole: 1000))
        #expect(try ledger.eventCount() == 1)
    }

    @Test("All or nothing: a failure while evaluating records nothing")
    func atomic() throws {
        struct Boom: Error {}
        let ledger = try SQLiteLedger(path: temporaryLedgerPath(), create: true)
        #expect(throws: Boom.self) {
            try ledger.commit(run: run) { _ in throw Boom() }
        }
        #expect(try ledger.eventCount() == 0)
        #expect(try ledger.balances().isEmpty)
    }

    @Test("verify catches an edited event, an edited balance and a deleted event")
    func tamper() throws {
        for edit in ["UPDATE events SET body = replace(body, '129695744', '129695745') WHERE seq = 1",
                     "UPDATE balances SET used_milli = used_milli + 1",
                     "DELETE FROM debits WHERE event_seq = 1; DELETE FROM installed_base WHERE event_seq = 1; DELETE FROM events WHERE seq = 1"] {
            let path = temporaryLedgerPath()
            let ledger = try SQLiteLedger(path: path, create: true)
            _ = try ledger.commit(run: run) { _ in
                [record("P05", cap: .countryAllocation(CountryCode("IN")!), tpp: 129_695_744),
                 record("P09", cap: .countryAllocation(CountryCode("IN")!), tpp: 126_656_000)]
            }
            #expect(try ledger.verify().ok)
            let queue = try DatabaseQueue(path: path)
            try queue.write { try $0.execute(sql: edit) }
            let report = try SQLiteLedger(path: path, create: false).verify()
            #expect(!report.ok, "not detected: \(edit)")
        }
    }

    @Test("Seeding a fleet adds installed bases once per file")
    func fleet() throws {
        let ledger = try SQLiteLedger(path: temporaryLedgerPath(), create: true)
        let entries = [(line: 2, entry: InstalledBaseEntry(holder: "Contoso Cloud", country: CountryCode("US")!, tpp: TPP(whole: 12_000_000_000)))]
        #expect(try ledger.seedFleet(fileSHA256: "f", fileName: "fleet.csv", recordedAt: "t", entries: entries) == 1)
        #expect(try ledger.seedFleet(fileSHA256: "f", fileName: "fleet.csv", recordedAt: "t", entries: entries) == 0)
        #expect(try ledger.snapshot().installedBase["Contoso Cloud"]?[CountryCode("US")!] == TPP(whole: 12_000_000_000))
        #expect(try ledger.verify().ok)
    }

    @Test("A database that is not a ledger is refused")
    func notOurs() throws {
        let path = temporaryLedgerPath()
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "CREATE TABLE customers (id INTEGER)") }
        #expect {
            try SQLiteLedger(path: path, create: true)
        } throws: { error in
            "\(error)".contains("not an ai-diffusion ledger")
        }
        let garbage = temporaryLedgerPath()
        try Data("this is not sqlite".utf8).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: LedgerError.self) { try SQLiteLedger(path: garbage, create: true) }
        #expect(throws: LedgerError.self) { try SQLiteLedger(path: temporaryLedgerPath(), create: false) }
    }
}
