import AllocationLedger
import ComplianceService
import ComputeMetrics
import DiffusionRules
import Foundation
import Testing

/// Holds, licences and their depletion, rechecks and tokens, on both ledger backends.
@Suite("Review queue: holds, licences, recheck, tokens")
struct ReviewQueueTests {
    /// P05 of the public deals: 8,192 H100 SXM (15,832 TPP each, 15 CFR 774 Supp. 1 3A090 note:
    /// TPP = 2 x MacTOPS x bit length) to Yotta Data Services, India, on 2025-02-07.
    static let p05TPP = TPP(whole: 8192 * 15832)

    func licence(_ number: String, tpp: Int64? = nil, units: Int64? = nil, expires: String = "2026-12-31") -> LicenceSpec {
        LicenceSpec(number: number, issued: Day("2025-01-01")!, expires: Day(expires)!, unit: tpp != nil ? .tpp : .units,
                    limit: TPP(whole: tpp ?? units!))
    }

    func dealsCommitted(_ store: Store, clock: TestClock = TestClock("2026-06-01T09:00:00Z")) throws -> (ComplianceService, String, CommitResult) {
        let (service, location) = try store.service(clock: clock)
        let request = try publicDeals()
        let result = try service.commit(try ScreeningInput(request: request, book: rules, name: "deals"), regime: try service.regime("ai-diffusion-2025"),
                                        requestKey: nil, by: screener)
        return (service, location, result)
    }

    func holdID(_ service: ComplianceService, row: String) throws -> Int64 {
        try #require(try service.holds(status: nil).first { $0.row == row }).id
    }

    @Test("Every committed row that needs a licence becomes one open hold (7 of the 18 public deals)", arguments: Store.available)
    func holdsFromCommit(store: Store) throws {
        let (service, _, result) = try dealsCommitted(store)
        // Expected determinations kept with the cases (Tests/Fixtures), derived from the rules by hand.
        let fixture = try String(contentsOfFile: repository + "/Tests/Fixtures/cases/deals-public.expected.ai-diffusion-2025.jsonl", encoding: .utf8)
        let expected = fixture.split(separator: "\n").compactMap { line -> String? in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["license_required"] as? Bool == true ? object?["id"] as? String : nil
        }
        let open = try service.holds(status: .open)
        #expect(expected.count == 7)
        #expect(open.map(\.row) == expected)
        #expect(open.map(\.id) == result.holds)
        #expect(open.allSatisfy { $0.determinationJSON.contains("\"license_required\":true") && $0.run == result.runID })
        #expect(try service.holdCounts() == [.open: 7])
        let p05 = try #require(open.first { $0.row == "P05" })
        #expect(p05.quantity == 8192)
        #expect(p05.inputCSV.hasPrefix("id,date,item,quantity,destination,consignee,consignee_hq,exporter"))
        #expect(p05.inputCSV.contains("\nP05,2025-02-07,H100 SXM,8192,IN,Yotta Data Services,IN,NVIDIA"))
        #expect(try service.verify().ok)
    }

    @Test("A release debits a TPP licence by the shipment's TPP and a units licence by its units", arguments: Store.available)
    func depletion(store: Store) throws {
        let (service, _, _) = try dealsCommitted(store)
        let p05 = try holdID(service, row: "P05")
        let released = try service.decide(hold: p05, action: .release, licence: .new(licence("D-1001", tpp: 200_000_000)), note: "granted",
                                          by: officer)
        #expect(released.status == .released)
        #expect(released.decisions.last?.licence == "D-1001" && released.decisions.last?.by?.name == "alice")
        let tppLicence = try service.licence("D-1001")
        #expect(tppLicence.used == Self.p05TPP)
        #expect(tppLicence.remaining == TPP(whole: 200_000_000) - Self.p05TPP)   // 70,304,256 TPP

        // P09 (8,000 H100 SXM to India, 2025-09-07) against a units licence: 8,000 units fewer remain.
        let p09 = try holdID(service, row: "P09")
        _ = try service.createLicence(licence("D-2002", units: 10_000), by: officer)
        _ = try service.decide(hold: p09, action: .release, licence: .existing("D-2002"), note: nil, by: officer)
        let units = try service.licence("D-2002")
        #expect(units.used == TPP(whole: 8000) && units.remaining == TPP(whole: 10_000 - 8000))
        #expect(try service.verify().ok)
    }

    @Test("A release beyond what remains is refused by the store; nothing is recorded", arguments: Store.available)
    func overdraw(store: Store) throws {
        let (service, location, _) = try dealsCommitted(store)
        _ = try service.createLicence(licence("D-small", tpp: 100_000_000), by: officer)
        let events = try service.ledger().eventCount()
        let p05 = try holdID(service, row: "P05")
        do {
            _ = try service.decide(hold: p05, action: .release, licence: .existing("D-small"), note: nil, by: officer)
            Issue.record("an overdraw was accepted")
        } catch let error as LedgerError {
            #expect(error.code == .conflict)
            #expect(error.message.contains("the store refused the release of hold \(p05)"))
            #expect(error.message.contains("has 100000000 TPP left; the shipment needs \(Self.p05TPP) TPP"))
        }
        #expect(try service.ledger().eventCount() == events)
        #expect(try service.hold(p05).status == .open)
        #expect(try service.licence("D-small").used == .zero)
        // The refusal is the CHECK constraint's: the store itself refuses an over-used licence cap.
        #expect(throws: (any Error).self) {
            try store.execute(location, "UPDATE caps SET used_milli = limit_milli + 1 WHERE cap = 'licence/D-small'")
        }
    }

    @Test("After a licence expires, a release against it is refused by the store, and the expiry is recorded", arguments: Store.available)
    func expiry(store: Store) throws {
        let clock = TestClock("2026-06-01T09:00:00Z")
        let (service, _, _) = try dealsCommitted(store, clock: clock)
        _ = try service.createLicence(licence("D-old", tpp: 500_000_000, expires: "2026-06-30"), by: officer)
        #expect(try service.licence("D-old").status == "active")
        clock.now = "2026-07-01T00:00:00Z"   // the first second after the licence's last day
        #expect(try service.licence("D-old").status == "expired")
        let p05 = try holdID(service, row: "P05")
        let events = try service.ledger().eventCount()
        do {
            _ = try service.decide(hold: p05, action: .release, licence: .existing("D-old"), note: nil, by: officer)
            Issue.record("a release after expiry was accepted")
        } catch let error as LedgerError {
            #expect(error.code == .conflict && error.message.contains("licence D-old expired at the end of 2026-06-30"))
        }
        #expect(try service.ledger().eventCount() == events + 1)   // only the expiry
        let expired = try service.licence("D-old")
        #expect(expired.status == "expired" && expired.remaining == .zero && expired.storedLimit == .zero)
        #expect(try service.hold(p05).status == .open)
        #expect(try service.verify().ok)
    }

    @Test("Decisions follow the queue's states: escalate, then release or reject; a decided hold is final", arguments: Store.available)
    func states(store: Store) throws {
        let (service, _, _) = try dealsCommitted(store)
        let p06 = try holdID(service, row: "P06"), p09 = try holdID(service, row: "P09")
        #expect(try service.decide(hold: p06, action: .escalate, licence: nil, note: "end use", by: officer).status == .escalated)
        #expect(throws: ServiceError.self) { try service.decide(hold: p06, action: .reject, licence: nil, note: " ", by: officer) }
        #expect(try service.decide(hold: p06, action: .reject, licence: nil, note: "end user unverified", by: officer).status == .rejected)
        #expect(throws: LedgerError.self) { try service.decide(hold: p06, action: .release, licence: .existing("x"), note: nil, by: officer) }
        do {
            _ = try service.decide(hold: p09, action: .release, licence: nil, note: nil, by: officer)
            Issue.record("a release without a licence was accepted")
        } catch let error as LedgerError {
            #expect(error.code == .invalid && error.message.contains("needs a licence"))
        }
        #expect(try service.holdCounts() == [.open: 6, .rejected: 1])
        #expect(try service.verify().ok)
    }

    @Test("A licence outside the shipment's terms is refused: dates, destination", arguments: Store.available)
    func terms(store: Store) throws {
        let (service, _, _) = try dealsCommitted(store)
        let p05 = try holdID(service, row: "P05")   // ships 2025-02-07 to IN
        var late = licence("D-late", tpp: 500_000_000)
        late.issued = Day("2025-03-01")!
        #expect(throws: LedgerError.self) { try service.decide(hold: p05, action: .release, licence: .new(late), note: nil, by: officer) }
        var elsewhere = licence("D-ae", tpp: 500_000_000)
        elsewhere.destination = CountryCode("AE")
        #expect(throws: LedgerError.self) { try service.decide(hold: p05, action: .release, licence: .new(elsewhere), note: nil, by: officer) }
        #expect(try service.licences().isEmpty)   // nothing recorded, not even the inline licences
    }

    @Test("Recheck: held rows screened under the rules now in force; changed determinations reported and recorded", arguments: Store.available)
    func recheck(store: Store) throws {
        let (service, _, _) = try dealsCommitted(store)
        // After the framework's rescission (May 2025), the enforced rules on 2026-06-01 need no
        // licence for H100s to India (not in Country Group D:1, D:4 or D:5; 15 CFR 742.6(a)(6)(iii)).
        let report = try service.recheck(regime: "enforced", asOf: Day("2026-06-01")!, by: officer)
        #expect(report.checked == 7)
        let p05 = try #require(report.changes.first { $0.row == "P05" })
        #expect(p05.fields.contains("license_required"))
        #expect(p05.before.contains("\"license_required\":true") && p05.after.contains("\"license_required\":false"))
        #expect(p05.after.hasPrefix("{\"id\":\"P05\",\"date\":\"2026-06-01\",\"regime\":\"enforced\""))
        let hold = try service.hold(try holdID(service, row: "P05"))
        #expect(hold.determinationJSON == p05.after && hold.recheck?.regime == "enforced" && hold.status == .open)
        // No licence needed any more: it can be released without one.
        #expect(try service.decide(hold: hold.id, action: .release, licence: nil, note: "no licence needed since the rescission", by: officer).status == .released)
        // Rechecking again under the same rules changes nothing.
        #expect(try service.recheck(regime: "enforced", asOf: Day("2026-06-01")!, by: officer).changes.isEmpty)
        #expect(try service.verify().ok)
    }

    @Test("Idempotency keys: the same key and content replays; the same key with other content is refused", arguments: Store.available)
    func idempotency(store: Store) throws {
        let (service, _) = try store.service()
        let a = header + "A1,2025-06-02,H100 SXM,10,IN,Yotta Data Services,IN\n"
        let b = header + "B1,2025-06-02,H100 SXM,20,IN,Yotta Data Services,IN\n"
        let first = try commit(service, csv: a, key: "order-17")
        let retry = try commit(service, csv: a, key: "order-17")
        #expect(!first.replayed && retry.replayed && retry.runID == first.runID && retry.json == first.json)
        do {
            try commit(service, csv: b, key: "order-17")
            Issue.record("a reused key with other content was accepted")
        } catch let error as LedgerError {
            #expect(error.code == .conflict && error.message.contains("order-17"))
        }
        #expect(try commit(service, csv: a).replayed)   // same content without a key: the stored result
        #expect(try service.ledger().run(id: first.runID)?.rows.count == 1)
        #expect(try service.verify().ok)
    }

    @Test("Tokens: only the SHA-256 is stored; a revoked token no longer authenticates", arguments: Store.available)
    func tokens(store: Store) throws {
        let (service, location) = try store.service()
        let (secret, record) = try service.createToken(name: "alice", role: .officer, by: nil)
        #expect(secret.hasPrefix("aid_") && secret.count == 68)
        #expect(try service.authenticate(secret) == Principal(name: "alice", role: .officer))
        let stored = try store.strings(location, "SELECT body FROM events") + store.strings(location, "SELECT body FROM records")
        #expect(!stored.contains { $0.contains(secret) })
        #expect(stored.contains { $0.contains(record.sha256) })
        #expect(throws: LedgerError.self) { try service.createToken(name: "alice", role: .admin, by: nil) }
        _ = try service.revokeToken(name: "alice", by: Principal(name: "root", role: .admin))
        #expect(throws: ServiceError.self) { try service.authenticate(secret) }
        #expect(throws: ServiceError.self) { try service.authenticate("aid_" + String(repeating: "0", count: 64)) }
        #expect(try service.verify().ok)
    }

    @Test("Every decision, licence, recheck and token is a chained event naming its token; verify catches an edited record", arguments: Store.available)
    func auditTrail(store: Store) throws {
        let (service, location, _) = try dealsCommitted(store)
        let admin = Principal(name: "root", role: .admin)
        _ = try service.createToken(name: "bob", role: .auditor, by: admin)
        _ = try service.createLicence(licence("D-1", tpp: 500_000_000), by: officer)
        _ = try service.decide(hold: try holdID(service, row: "P05"), action: .release, licence: .existing("D-1"), note: nil, by: officer)
        _ = try service.recheck(regime: "enforced", asOf: Day("2026-06-01")!, by: officer)
        let kinds = ["token", "licence", "hold_decision", "recheck"]
        for kind in kinds {
            let bodies = try store.strings(location, "SELECT body FROM events WHERE kind = '\(kind)'")
            let name = kind == "token" ? "root" : "alice"
            #expect(bodies.count == 1 && bodies[0].contains("\"token\":{\"name\":\"\(name)\""), "\(kind)")
        }
        #expect(try service.verify().ok)
        try store.execute(location, "UPDATE records SET status = 'rejected' WHERE kind = 'hold' AND status = 'open'")
        let report = try service.verify()
        #expect(!report.ok && report.problems.contains { $0.contains("hold/") && $0.contains("events say open") })
    }

    @Test("A schema-2 ledger gains the records table on opening and keeps verifying", arguments: Store.available)
    func migration(store: Store) throws {
        let (service, location) = try store.service()
        try commit(service, csv: header + "A1,2025-06-02,H100 SXM,10,IN,Yotta Data Services,IN\n")
        try store.execute(location, "DROP TABLE records")
        try store.execute(location, "UPDATE ledger_meta SET value = '2' WHERE key = 'schema_version'")
        let reopened = try ComplianceService(book: rules, ledger: location, signingKey: nil, create: false)
        #expect(try reopened.holds(status: nil).isEmpty)
        #expect(try store.strings(location, "SELECT value FROM ledger_meta WHERE key = 'schema_version'") == ["3"])
        #expect(try reopened.verify().ok)
    }

    @Test("The determination memo: facts as given, rule path with citations, debits, the receipt and its signature status", arguments: Store.available)
    func memo(store: Store) throws {
        let (service, location, result) = try dealsCommitted(store)
        let memo = try service.memo(hold: try holdID(service, row: "P05"))
        #expect(memo.facts.first { $0.column == "quantity" }?.value == "8192")
        #expect(memo.determination.debits.map(\.cap.name) == ["country_allocation/IN"])
        #expect(memo.determination.reasons.contains { $0.citation.contains("15 CFR 742.6(b)(10)") })
        #expect(memo.signatureStatus == "valid" && memo.receipt?.contains("\"row_id\":\"P05\"") == true)
        let plain = try service.memo(run: result.runID, row: "P01")   // not held: no hold, still a signed receipt
        #expect(plain.hold == nil && plain.signatureStatus == "valid" && plain.facts.isEmpty)
        #expect(throws: ServiceError.self) { try service.memo(run: result.runID, row: "P99") }
        // A receipt edited in the database no longer verifies, and the memo says so.
        try store.execute(location, "UPDATE receipts SET receipt = replace(receipt, 'Yotta', 'Yotto') WHERE event_seq = \(memo.sequence)")
        #expect(try service.memo(hold: memo.sequence).signatureStatus.contains("signature does not match"))
    }
}
