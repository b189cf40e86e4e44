import AllocationLedger
import ComplianceServer
import ComplianceService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The issue's "Must show", end to end: tokens from `ai-diffusion tokens create`, the server on a
/// fresh ledger, the 18 public deals, holds, roles, a release against an inline licence, metrics,
/// the OpenAPI document, `ledger verify`, and byte-identical determinations.
@Suite("Compliance service: the issue's must-show scenario")
struct MustShowTests {
    @Test("serve on a fresh ledger: deals committed, holds opened, 401/403, release depletes the licence, verify passes",
          arguments: LedgerKind.available)
    func scenario(kind: LedgerKind) async throws {
        let (location, key) = try kind.fresh()
        func token(_ role: String, _ name: String) throws -> String {
            let created = try cli(["tokens", "create", "--role", role, "--name", name, "--ledger", location, "--signing-key", key])
            #expect(created.status == 0, "\(created.stderr)")
            return String(created.stdout.split(separator: "\n").last ?? "")
        }
        let screenerToken = try token("screener", "erp"), officerToken = try token("officer", "alice")
        let service = try ComplianceService(book: book, ledger: location, signingKey: key, create: true)
        let app = ComplianceServer.application(service: service, options: ServerOptions(port: 0))
        let csv = try String(contentsOfFile: dealsPath, encoding: .utf8)
        // What the command line prints for the same rows (no ledger: no balances, as on a fresh one).
        let printed = try cli(["screen", dealsPath, "--regime", "ai-diffusion-2025", "--format", "jsonl"])
        #expect(printed.status == 0)
        let cliLines = printed.stdout.split(separator: "\n").map(String.init)
        #expect(cliLines.count == 18)

        try await app.test(.router) { client in
            let unauthenticated = try await client.execute(uri: "/v1/screenings?regime=ai-diffusion-2025&commit=true", method: .post,
                                                           headers: [.contentType: "text/csv"], body: buffer(csv))
            #expect(unauthenticated.status == .unauthorized)
            #expect(unauthenticated.object["error"] as? String == "this route needs a bearer token (Authorization: Bearer TOKEN)")

            var headers = bearer(screenerToken)
            headers[.contentType] = "text/csv"
            let committed = try await client.execute(uri: "/v1/screenings?regime=ai-diffusion-2025&commit=true", method: .post,
                                                     headers: headers, body: buffer(csv))
            #expect(committed.status == .ok)
            expectDocumented(committed, "POST", "/v1/screenings")
            // Byte for byte: each determination line is the command line's jsonl line for the row.
            let lines = committed.text.split(separator: "\n").map(String.init)
            let determinations = lines.dropFirst().dropLast().map { $0.hasSuffix(",") ? String($0.dropLast()) : $0 }
            #expect(determinations == cliLines)
            let response = committed.object
            let rows = response["determinations"] as? [[String: Any]] ?? []
            let needLicence = rows.filter { $0["license_required"] as? Bool == true }
            let holdIDs = response["holds"] as? [Int] ?? []
            #expect(needLicence.count == 7 && holdIDs.count == needLicence.count)

            let open = try await client.execute(uri: "/v1/holds?status=open", method: .get, headers: bearer(officerToken))
            expectDocumented(open, "GET", "/v1/holds")
            let holds = open.object["holds"] as? [[String: Any]] ?? []
            #expect(holds.map { $0["id"] as? Int } == holdIDs.map { $0 })
            #expect(holds.map { $0["row"] as? String } == needLicence.map { $0["id"] as? String })
            #expect(holds.allSatisfy { $0["status"] as? String == "open" })

            // P05: 8,192 H100 SXM to India. A screener may not decide it.
            let p05 = try #require(holds.first { $0["row"] as? String == "P05" })
            let id = try #require(p05["id"] as? Int)
            let decision = "{\"action\":\"release\",\"licence\":{\"number\":\"D-1001\",\"issued\":\"2025-01-01\",\"expires\":\"2026-12-31\",\"limit_tpp\":200000000},\"note\":\"granted\"}"
            let forbidden = try await client.execute(uri: "/v1/holds/\(id)/decision", method: .post, headers: bearer(screenerToken), body: buffer(decision))
            #expect(forbidden.status == .forbidden)

            let released = try await client.execute(uri: "/v1/holds/\(id)/decision", method: .post, headers: bearer(officerToken), body: buffer(decision))
            #expect(released.status == .ok)
            expectDocumented(released, "POST", "/v1/holds/{id}/decision")
            let after = try await client.execute(uri: "/v1/holds/\(id)", method: .get, headers: bearer(officerToken))
            #expect(after.object["status"] as? String == "released")
            let remaining = try await client.execute(uri: "/v1/licences/D-1001", method: .get, headers: bearer(officerToken))
            expectDocumented(remaining, "GET", "/v1/licences/{number}")
            let determination = try #require(p05["determination"] as? [String: Any])
            let quantity = try #require((p05["input"] as? [String: Any])?["quantity"] as? String)
            let units = try #require(Int(quantity))
            let perUnit = try #require(determination["tpp_per_unit"] as? Int)
            #expect(units == 8192 && perUnit == 15832)
            #expect(remaining.object["remaining"] as? Int == 200_000_000 - units * perUnit)   // 70,304,256 TPP
            #expect(remaining.object["used"] as? Int == units * perUnit)

            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("ai_diffusion_holds{status=\"open\"} 6.0"))
            #expect(metrics.text.contains("ai_diffusion_holds{status=\"released\"} 1.0"))
            #expect(metrics.text.contains("http_server_request_duration_bucket{http_route=\"/v1/screenings\""))
            #expect(metrics.text.contains("ai_diffusion_cap_utilisation{cap=\"licence/D-1001\",kind=\"licence_tpp\"} 0.64847872"))
            let document = try await client.execute(uri: "/openapi.json", method: .get, headers: bearer(officerToken))
            #expect(document.status == .ok && document.object["openapi"] as? String == "3.1.0")
        }
        let verify = try cli(["ledger", "verify", "--ledger", location, "--signing-key", key])
        #expect(verify.status == 0 && verify.stdout.hasPrefix("ok: "), "\(verify.stderr)")
    }

    @Test("A JSON request's determinations equal `screen --format jsonl` byte for byte, row by row")
    func jsonRowsEqualCommandLine() async throws {
        let fixture = try Fixture()
        // The deals as JSON rows: every column as a string, as the issue's request body.
        let table = try String(contentsOfFile: dealsPath, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let rows = table.dropFirst().map { cells in
            "{" + zip(table[0], cells).map { "\"\($0)\":\"\($1)\"" }.joined(separator: ",") + "}"
        }
        let body = "{\"regime\":\"ai-diffusion-2025\",\"compare\":null,\"commit\":false,\"rows\":[\(rows.joined(separator: ","))]}"
        let printed = try cli(["screen", dealsPath, "--regime", "ai-diffusion-2025", "--format", "jsonl"]).stdout.split(separator: "\n").map(String.init)
        try await fixture.app().test(.router) { client in
            let response = try await client.execute(uri: "/v1/screenings", method: .post, headers: bearer(fixture.tokens[.screener]), body: buffer(body))
            #expect(response.status == .ok)
            let lines = response.text.split(separator: "\n").dropFirst().dropLast().map { $0.hasSuffix(",") ? String($0.dropLast()) : String($0) }
            #expect(lines == printed)
            #expect(response.object["run"] is NSNull)
        }
        #expect(try fixture.service.ledger().eventCount() == 4)   // the four tokens: a dry run records nothing
    }
}
