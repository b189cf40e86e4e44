import AllocationLedger
import ComputeMetrics
import DiffusionRules
import Dispatch
import Foundation
import Testing

/// Single debit requests: on PostgreSQL one statement (a server-side function) checks and debits the
/// caps and appends the hash-chained event; its events must be exactly those the general path writes.
@Suite("Allocation ledger: single debits in one round trip")
struct SingleDebitTests {
    /// A sequence that takes every branch: a new cap, an existing cap, a second cap, a retry, a
    /// refusal, a multi-cap grant, a refusal of a multi-cap request.
    static let requests: [(DebitRequest, String)] = [
        (DebitRequest(key: "a", debits: [lpp("X", 20_000_000)], date: june), "2026-06-01T10:00:00Z"),
        (DebitRequest(key: "b", debits: [lpp("X", 6_000_000)], date: june), "2026-06-01T10:00:01Z"),
        (DebitRequest(key: "c", debits: [Debit(cap: .countryAllocation(india), tpp: TPP(milli: 1_500))], date: june), "2026-06-01T10:00:02Z"),
        (DebitRequest(key: "a", debits: [lpp("X", 5)], date: june), "2026-06-01T10:00:03Z"),
        (DebitRequest(key: "d", debits: [lpp("X", 1_000_000)], date: june), "2026-06-01T10:00:04Z"),
        (DebitRequest(key: "e", debits: [lpp("Société «Ü»", 7), Debit(cap: .countryAllocation(india), tpp: TPP(whole: 3))], date: june), "2026-06-01T10:00:05Z"),
        (DebitRequest(key: "f", debits: [lpp("Y", 1), lpp("X", 900_001)], date: june), "2026-06-01T10:00:06Z"),
    ]

    static let expected: [(granted: Bool, replayed: Bool)] = [(true, false), (true, false), (true, false), (true, true), (false, false), (true, false), (false, false)]

    @Test("Grants, a retry and refusals give the same results, events and hashes on both backends")
    func sameEventsOnBothBackends() throws {
        var chains: [[String]] = []
        for backend in Backend.all {
            let (ledger, location, _) = try backend.newLedger()
            for (i, (request, time)) in SingleDebitTests.requests.enumerated() {
                let result = try ledger.debit([request], at: time, limits: testLimits)[0]
                #expect(result.granted == SingleDebitTests.expected[i].granted, "\(backend) request \(i)")
                #expect(result.replayed == SingleDebitTests.expected[i].replayed, "\(backend) request \(i)")
            }
            #expect(try ledger.verify().ok, "\(backend)")
            let balances = Dictionary(uniqueKeysWithValues: try ledger.balances().map { ($0.cap, $0) })
            #expect(balances["lpp/X/2026"]?.used == TPP(whole: 26_000_000))
            #expect(balances["lpp/X/2026"]?.debitCount == 2)
            #expect(balances["country_allocation/IN"]?.used == TPP(milli: 4_500))
            chains.append(try backend.strings(location, "SELECT kind || '|' || idempotency_key || '|' || body || '|' || prev_hash || '|' || hash FROM events ORDER BY seq"))
        }
        #expect(chains.allSatisfy { $0 == chains[0] })
        #expect(chains[0].count == 6)
    }

    @Test("A reservation due to expire sends the debit through the general path, which expires it first", arguments: Backend.all)
    func expiryFirst(backend: Backend) throws {
        let (ledger, _, _) = try backend.newLedger()
        let held = try ledger.reserve(ReservationRequest(id: "lic-1", debits: [lpp("X", 26_000_000)], date: june, expiresAt: "2026-06-02T00:00:00Z"),
                                      at: "2026-06-01T00:00:00Z", limits: testLimits)
        #expect(held.granted)
        // Before expiry the cap is held; after it, the debit fits and the expiry is recorded first.
        #expect(try ledger.debit([DebitRequest(key: "early", debits: [lpp("X", 1_000_000)], date: june)], at: "2026-06-01T12:00:00Z", limits: testLimits)[0].granted == false)
        let late = try ledger.debit([DebitRequest(key: "late", debits: [lpp("X", 1_000_000)], date: june)], at: "2026-06-03T00:00:00Z", limits: testLimits)[0]
        #expect(late.granted)
        #expect(try ledger.reservation(id: "lic-1")?.state == .expired)
        #expect(try ledger.verify().ok)
    }

    @Test("Concurrent single debits on one cap: never over the limit, every grant recorded once, the chain verifies", arguments: Backend.all)
    func concurrent(backend: Backend) throws {
        let (first, location, key) = try backend.newLedger()
        _ = first
        let clients = 4, each = 15
        let granted = LockedCount()
        let failure = LockedFailure()
        DispatchQueue.concurrentPerform(iterations: clients) { client in
            do {
                let ledger = try Ledgers.open(location, create: false, signingKey: key)
                for i in 0..<each {
                    let result = try ledger.debit([DebitRequest(key: "c\(client)-\(i)", debits: [lpp("X", 1_000_000)], date: june)],
                                                  at: "2026-06-01T10:00:00Z", limits: testLimits)[0]
                    if result.granted { granted.add() }
                }
            } catch {
                failure.set("\(error)")
            }
        }
        #expect(failure.message == nil)
        let ledger = try Ledgers.open(location, create: false, signingKey: key)
        #expect(granted.value == 26)   // 26,900,000 TPP: 26 debits of 1,000,000 fit
        #expect(try ledger.balances().first { $0.cap == "lpp/X/2026" }?.used == TPP(whole: 26_000_000))
        #expect(try ledger.eventCount() == clients * each)
        #expect(try ledger.verify().ok)
    }
}

final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
}

final class LockedFailure: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var message: String?
    func set(_ text: String) { lock.lock(); if message == nil { message = text }; lock.unlock() }
}
