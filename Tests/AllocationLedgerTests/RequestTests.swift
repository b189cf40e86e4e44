import AllocationLedger
import ComputeMetrics
import DiffusionRules
import Foundation
import Testing

@Suite("Allocation ledger: debits, idempotency, reservations, history (both backends)")
struct RequestTests {
    @Test("Debits are granted up to the cap's limit and refused past it; a multi-cap debit is all or none", arguments: Backend.all)
    func capLimit(backend: Backend) throws {
        let (ledger, _, _) = try backend.newLedger()
        let results = try ledger.debit([
            DebitRequest(key: "a", debits: [lpp("X", 20_000_000)], date: june),
            DebitRequest(key: "b", debits: [lpp("X", 6_900_000)], date: june),
            DebitRequest(key: "c", debits: [lpp("X", 1)], date: june),
            DebitRequest(key: "d", debits: [lpp("Y", 5), lpp("X", 1)], date: june),   // X is full: Y is not debited either
            DebitRequest(key: "e", debits: [lpp("Y", 5), Debit(cap: .countryAllocation(india), tpp: TPP(whole: 5))], date: june),
        ], at: "2026-06-01T10:00:00Z", limits: testLimits)
        #expect(results.map(\.granted) == [true, true, false, false, true])
        #expect(results[2].reason?.contains("lpp/X/2026") == true)
        let balances = Dictionary(uniqueKeysWithValues: try ledger.balances().map { ($0.cap, $0) })
        #expect(balances["lpp/X/2026"]?.used == TPP(whole: 26_900_000))
        #expect(balances["lpp/Y/2026"]?.used == TPP(whole: 5))
        #expect(balances["country_allocation/IN"]?.used == TPP(whole: 5))
        #expect(try ledger.eventCount() == 5)
        #expect(try ledger.verify().ok)
    }

    @Test("Re-submitting any debit returns its first result and debits nothing", arguments: Backend.all)
    func idempotentDebits(backend: Backend) throws {
        let (ledger, _, _) = try backend.newLedger()
        let first = try ledger.debit([DebitRequest(key: "k1", debits: [lpp("X", 26_000_000)], date: june),
                                      DebitRequest(key: "k2", debits: [lpp("X", 1_000_000)], date: june)],
                                     at: "2026-06-01T10:00:00Z", limits: testLimits)
        #expect(first.map(\.granted) == [true, false])
        // Retry both (with different amounts: the key decides), plus a duplicate within the batch.
        let retry = try ledger.debit([DebitRequest(key: "k1", debits: [lpp("X", 5)], date: june),
                                      DebitRequest(key: "k2", debits: [lpp("X", 5)], date: june),
                                      DebitRequest(key: "k3", debits: [lpp("X", 5)], date: june),
                                      DebitRequest(key: "k3", debits: [lpp("X", 5)], date: june)],
                                     at: "2026-06-02T10:00:00Z", limits: testLimits)
        #expect(retry.map(\.granted) == [true, false, true, true])
        #expect(retry.map(\.replayed) == [true, true, false, true])
        #expect(retry[0].sequence == first[0].sequence && retry[1].reason == first[1].reason)
        #expect(try ledger.balances().first?.used == TPP(whole: 26_000_005))
        #expect(try ledger.eventCount() == 3)
    }

    @Test("Bad debit requests write nothing", arguments: Backend.all)
    func badRequests(backend: Backend) throws {
        let (ledger, _, _) = try backend.newLedger()
        for request in [DebitRequest(key: "", debits: [lpp("X", 1)], date: june),
                        DebitRequest(key: "z", debits: [], date: june),
                        DebitRequest(key: "z", debits: [lpp("X", 1), lpp("X", 2)], date: june),
                        DebitRequest(key: "z", debits: [Debit(cap: .lpp(parent: "X", year: 2026), tpp: TPP(whole: -1))], date: june),
                        DebitRequest(key: "z", debits: [Debit(cap: .uveu(holder: "H", country: india), tpp: TPP(whole: 1))], date: june)] {
            #expect(throws: LedgerError.self) { try ledger.debit([DebitRequest(key: "ok", debits: [lpp("X", 1)], date: june), request], at: "2026-06-01T00:00:00Z", limits: testLimits) }
        }
        #expect(try ledger.eventCount() == 0)
    }

    @Test("A CHECK constraint in the store refuses an over-issue written behind the engine's back", arguments: Backend.all)
    func checkConstraint(backend: Backend) throws {
        let (ledger, location, _) = try backend.newLedger()
        _ = try ledger.debit([DebitRequest(key: "a", debits: [lpp("X", 100)], date: june)], at: "2026-06-01T00:00:00Z", limits: testLimits)
        #expect(throws: (any Error).self) { try backend.execute(location, "UPDATE caps SET used_milli = limit_milli + 1") }
        #expect(try ledger.balances().first?.used == TPP(whole: 100))
    }

    @Test("Reservations: held apart from confirmed, granted, denied, expired; idempotent per application", arguments: Backend.all)
    func reservations(backend: Backend) throws {
        let (ledger, _, _) = try backend.newLedger()
        let cap = Debit(cap: .countryAllocation(india), tpp: TPP(whole: 500_000_000))
        let r1 = try ledger.reserve(ReservationRequest(id: "APP-1", debits: [cap], date: june, expiresAt: "2026-07-01T00:00:00Z"),
                                    at: "2026-06-01T00:00:00Z", limits: testLimits)
        #expect(r1.granted)
        // Only 290,000,000 left: a second 500,000,000 reservation and a debit of 300,000,000 are refused.
        let r2 = try ledger.reserve(ReservationRequest(id: "APP-2", debits: [cap], date: june, expiresAt: "2026-07-01T00:00:00Z"),
                                    at: "2026-06-01T00:00:01Z", limits: testLimits)
        #expect(!r2.granted && r2.reason?.contains("500000000 reserved") == true)
        let d = try ledger.debit([DebitRequest(key: "x", debits: [Debit(cap: .countryAllocation(india), tpp: TPP(whole: 300_000_000))], date: june)],
                                 at: "2026-06-01T00:00:02Z", limits: testLimits)
        #expect(!d[0].granted)
        var balance = try ledger.balances()[0]
        #expect(balance.used == .zero && balance.reserved == TPP(whole: 500_000_000))
        #expect(try ledger.snapshot().reserved["country_allocation/IN"] == TPP(whole: 500_000_000))
        #expect(try ledger.snapshot().countryAllocation[india] == TPP(whole: 500_000_000))
        // Retrying the reservation returns the first result.
        let again = try ledger.reserve(ReservationRequest(id: "APP-1", debits: [cap], date: june, expiresAt: "2026-07-01T00:00:00Z"),
                                       at: "2026-06-01T00:00:03Z", limits: testLimits)
        #expect(again.granted && again.replayed && again.sequence == r1.sequence)
        // Grant: reserved -> confirmed; granting again is a no-op; denying a granted one is refused.
        let (granted, replayed) = try ledger.grant(reservation: "APP-1", at: "2026-06-02T00:00:00Z")
        #expect(granted.state == .granted && !replayed)
        #expect(try ledger.grant(reservation: "APP-1", at: "2026-06-02T00:00:01Z").replayed)
        #expect(throws: LedgerError.self) { try ledger.deny(reservation: "APP-1", at: "2026-06-02T00:00:02Z") }
        balance = try ledger.balances()[0]
        #expect(balance.used == TPP(whole: 500_000_000) && balance.reserved == .zero)
        // Deny releases; expiry releases at the first write at or after its time.
        _ = try ledger.reserve(ReservationRequest(id: "APP-3", debits: [Debit(cap: .countryAllocation(india), tpp: TPP(whole: 100))], date: june, expiresAt: "2026-07-01T00:00:00Z"),
                               at: "2026-06-03T00:00:00Z", limits: testLimits)
        #expect(try ledger.deny(reservation: "APP-3", at: "2026-06-03T00:00:01Z").0.state == .denied)
        _ = try ledger.reserve(ReservationRequest(id: "APP-4", debits: [Debit(cap: .countryAllocation(india), tpp: TPP(whole: 200))], date: june, expiresAt: "2026-06-10T00:00:00Z"),
                               at: "2026-06-03T00:00:02Z", limits: testLimits)
        #expect(try ledger.expire(at: "2026-06-09T23:59:59Z") == 0)
        #expect(try ledger.balances()[0].reserved == TPP(whole: 200))
        #expect(throws: LedgerError.self) { try ledger.grant(reservation: "APP-4", at: "2026-06-10T00:00:00Z") }   // expired first
        #expect(try ledger.reservation(id: "APP-4")?.state == .expired)
        #expect(try ledger.balances()[0].reserved == .zero)
        #expect(throws: LedgerError.self) { try ledger.grant(reservation: "NOPE", at: "2026-06-10T00:00:00Z") }
        #expect(try ledger.verify().ok)

        // History: the balance at the end of past days.
        let early = try ledger.history(cap: "country_allocation/IN", asOf: Day("2026-06-01")!)
        #expect(early.used == .zero && early.reserved == TPP(whole: 500_000_000) && early.limit == TPP(whole: 790_000_000))
        let later = try ledger.history(cap: "country_allocation/IN", asOf: Day("2026-06-03")!)
        #expect(later.used == TPP(whole: 500_000_000) && later.reserved == TPP(whole: 200))
        let before = try ledger.history(cap: "country_allocation/IN", asOf: Day("2026-05-31")!)
        #expect(before.used == .zero && before.reserved == .zero && before.movements.isEmpty)
    }

    @Test("History of an unknown holder or a malformed cap name is a clear error", arguments: Backend.all)
    func historyErrors(backend: Backend) throws {
        let (ledger, _, _) = try backend.newLedger()
        _ = try ledger.debit([DebitRequest(key: "a", debits: [lpp("Known", 1)], date: june)], at: "2026-06-01T00:00:00Z", limits: testLimits)
        #expect { try ledger.history(cap: "lpp/Nobody/2026", asOf: june) } throws: {
            "\($0)".contains("\"Nobody\" is not a holder or ultimate parent the ledger knows (it knows: Known)")
        }
        #expect { try ledger.history(cap: "lpp/Known/2025", asOf: june) } throws: { "\($0)".contains("nothing was debited") }
        #expect { try ledger.history(cap: "frobnicate", asOf: june) } throws: { "\($0)".contains("is not a cap name") }
    }
}
