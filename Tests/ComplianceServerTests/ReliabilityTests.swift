import AllocationLedger
import ComplianceServer
import ComplianceService
import ComputeMetrics
import Foundation
import Testing

/// Two `serve` processes over one PostgreSQL database, loaded by 32 concurrent clients on loopback.
@Suite("Reliability: two instances over one PostgreSQL", .serialized, .enabled(if: LedgerKind.postgresURL != nil))
struct ReliabilityTests {
    /// One row of 5,000 H100 SXM (15,832 TPP each: 79,160,000 TPP) to Yotta Data Services, India,
    /// on 2025-06-02: over the LPP allowance (26,900,000 TPP, 15 CFR 740.29(a)), so each row is
    /// licensed against India's allocation of 790,000,000 TPP for 2025-2027 (15 CFR
    /// 742.6(b)(10)(iii)(B)), which admits floor(790,000,000 / 79,160,000) = 9 such rows.
    static func body(_ id: String, units: Int = 5000) -> String {
        "{\"regime\":\"ai-diffusion-2025\",\"commit\":true,\"rows\":[{\"id\":\"\(id)\",\"date\":\"2025-06-02\",\"item\":\"H100 SXM\",\"quantity\":\"\(units)\",\"destination\":\"IN\",\"consignee\":\"Yotta Data Services\",\"consignee_hq\":\"IN\"}]}"
    }

    struct Acknowledged: Sendable { var row: String; var run: Int }

    /// What the clients saw, shared under a lock.
    final class Tally: @unchecked Sendable {
        let lock = NSLock()
        var acknowledged: [Acknowledged] = [], failures: [String] = [], retriesMatched = 0, completed = 0, killed = false, lost = 0
        func with<T>(_ body: (Tally) -> T) -> T { lock.lock(); defer { lock.unlock() }; return body(self) }
    }

    /// A ledger on the test server with a screener token, and two instances serving it.
    static func cluster() throws -> (location: String, token: String, service: ComplianceService, servers: [ServerProcess]) {
        let (location, key) = try LedgerKind.postgres.fresh()
        let service = try ComplianceService(book: book, ledger: location, signingKey: key, create: true)
        let token = try service.createToken(name: "erp", role: .screener, by: nil).secret
        return (location, token, service, try (0..<2).map { _ in
            try ServerProcess(executable: executable, arguments: ["serve", "--port", "0", "--ledger", location, "--signing-key", key, "--connections", "4"])
        })
    }

    static func run(_ count: Int, _ work: @escaping @Sendable (Int) -> Void) {
        DispatchQueue.concurrentPerform(iterations: count, execute: work)
    }

    @Test("32 clients, single-row commits at one country allocation: 0 overshoot, every 200 recorded, 0 duplicates on retried keys")
    func allocationUnderLoad() throws {
        let (location, token, service, servers) = try Self.cluster()
        defer { servers.forEach { $0.stop() } }
        let perClient = 6
        let tally = Tally()
        Self.run(32) { client in
            for k in 0..<perClient {
                let row = "c\(client)-\(k)", key = "key-\(client)-\(k)"
                let headers = ["Authorization": "Bearer \(token)", "Idempotency-Key": key, "Content-Type": "application/json"]
                // First to one instance, then the same request retried on the other.
                let first = try? LoopbackHTTP.request(port: servers[(client + k) % 2].port, method: "POST", path: "/v1/screenings", headers: headers, body: Self.body(row))
                let retry = try? LoopbackHTTP.request(port: servers[(client + k + 1) % 2].port, method: "POST", path: "/v1/screenings", headers: headers, body: Self.body(row))
                tally.with { t in
                    for response in [first, retry] {
                        guard let response, response.status == 200,
                              let object = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any], let run = object["run"] as? Int else {
                            t.failures.append("\(row): \(response.map { "\($0.status) \($0.body.prefix(200))" } ?? "no response")")
                            continue
                        }
                        t.acknowledged.append(Acknowledged(row: row, run: run))
                    }
                    if let a = first, let b = retry, a.status == 200, b.status == 200, b.body.contains("\"replayed\":true") {
                        t.retriesMatched += 1
                    }
                }
            }
        }
        let acknowledged = tally.acknowledged
        #expect(tally.failures.isEmpty, "\(tally.failures.prefix(5))")
        #expect(tally.retriesMatched == 32 * perClient)
        let ledger = try service.ledger()
        // Every acknowledged commit is in the ledger, under the run it was acknowledged with.
        var runs: [Int: RunRecord] = [:]
        for ack in acknowledged {
            if runs[ack.run] == nil { runs[ack.run] = try ledger.run(id: Int64(ack.run)) }
            #expect(runs[ack.run]?.rows.map(\.rowID) == [ack.row], "\(ack.row) in run \(ack.run)")
        }
        // No duplicates: one determination event per row.
        let rows = try PostgresAdmin.strings(url: location, "SELECT body::json->>'row_id' FROM events WHERE kind = 'determination'")
        #expect(rows.count == 32 * perClient && Set(rows).count == rows.count)
        // No overshoot: exactly the 9 rows the allocation admits were debited from it.
        let india = try #require(try ledger.balances().first { $0.cap == "country_allocation/IN" })
        #expect(india.used == TPP(whole: 9 * 79_160_000) && india.used <= india.limit!)
        #expect(try ledger.verify().ok)
    }

    @Test("kill -9 one instance mid-load: the other keeps serving, every acknowledged commit is present, verify passes")
    func killOneInstance() throws {
        let (location, token, service, servers) = try Self.cluster()
        defer { servers.forEach { $0.stop() } }
        let perClient = 8
        let tally = Tally()
        Self.run(32) { client in
            for k in 0..<perClient {
                let row = "k\(client)-\(k)"
                let headers = ["Authorization": "Bearer \(token)", "Idempotency-Key": "kill-\(row)", "Content-Type": "application/json"]
                var target = (client + k) % 2
                for _ in 0..<2 {   // a request to the killed instance is retried on the survivor, as a load balancer would
                    let response = try? LoopbackHTTP.request(port: servers[target].port, method: "POST", path: "/v1/screenings",
                                                             headers: headers, body: Self.body(row, units: 10))
                    let run = response.flatMap { try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any] }?["run"] as? Int
                    tally.with { t in
                        t.completed += 1
                        if t.completed == 32 * perClient / 3 && !t.killed { t.killed = true; servers[0].kill9() }
                        if let response, response.status == 200, let run { t.acknowledged.append(Acknowledged(row: row, run: run)) }
                        if target == 0 && response?.status != 200 { t.lost += 1 }
                        if target == 1 && response?.status != 200 { t.failures.append("\(row): \(response.map { "\($0.status)" } ?? "no response")") }
                    }
                    if response?.status == 200 { break }
                    target = 1
                }
            }
        }
        let acknowledged = tally.acknowledged
        #expect(tally.killed && tally.lost > 0)   // requests to the killed instance failed mid-load and were retried
        #expect(tally.failures.isEmpty, "survivor failed: \(tally.failures.prefix(5))")
        #expect(Set(acknowledged.map(\.row)).count == 32 * perClient)   // every row acknowledged, by one instance or the other
        let ledger = try service.ledger()
        for ack in acknowledged {
            #expect(try ledger.run(id: Int64(ack.run))?.rows.map(\.rowID) == [ack.row], "\(ack.row) in run \(ack.run)")
        }
        let rows = try PostgresAdmin.strings(url: location, "SELECT body::json->>'row_id' FROM events WHERE kind = 'determination'")
        #expect(rows.count == 32 * perClient && Set(rows).count == rows.count)
        #expect(try ledger.verify().ok)
        let verify = try cli(["ledger", "verify", "--ledger", location])
        #expect(verify.status == 0, "\(verify.stderr)")
    }
}
