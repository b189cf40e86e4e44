import ComplianceServer
import ComplianceService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Bad requests: a bad row gets 400 with the command line's text and nothing is recorded; bodies,
/// rows and nesting beyond the configured limits are refused; idempotency conflicts are 409.
@Suite("Requests: bad rows, limits, idempotency keys")
struct RequestLimitTests {
    static let row = "{\"id\":\"D-1\",\"date\":\"2025-06-02\",\"item\":\"H100 SXM\",\"quantity\":\"1000\",\"destination\":\"IN\",\"consignee\":\"Yotta Data Services\",\"consignee_hq\":\"IN\"}"

    @Test("A bad row: 400 {error,row,field,value}, the command line's text for the same cell, nothing recorded")
    func badRow() async throws {
        let fixture = try Fixture()
        let csvLines = ["id,date,item,quantity,destination,consignee,consignee_hq", "A1,2025-06-02,H100 SXM,10,IN,Yotta Data Services,IN",
                        "A2,2025-06-02,H100 SXM,10,UK,Nscale,GB"]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID())-bad.csv").path
        try (csvLines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let printed = try cli(["screen", file, "--commit", "--ledger", fixture.location, "--signing-key", fixture.key])
        #expect(printed.status == 1)
        let prefix = "error: \(file):3: "
        #expect(printed.stderr.hasPrefix(prefix))
        let cliText = String(printed.stderr.dropFirst(prefix.count)).trimmingCharacters(in: .newlines)
        #expect(cliText == "column \"destination\": \"UK\" is not an ISO 3166-1 alpha-2 code (did you mean GB?)")
        let events = try fixture.service.ledger().eventCount()
        let body = "{\"regime\":\"ai-diffusion-2025\",\"commit\":true,\"rows\":[{\"id\":\"A1\",\"date\":\"2025-06-02\",\"item\":\"H100 SXM\",\"quantity\":10,\"destination\":\"IN\",\"consignee\":\"Yotta Data Services\",\"consignee_hq\":\"IN\"},{\"id\":\"A2\",\"date\":\"2025-06-02\",\"item\":\"H100 SXM\",\"quantity\":\"10\",\"destination\":\"UK\",\"consignee\":\"Nscale\",\"consignee_hq\":\"GB\"}]}"
        try await fixture.app().test(.router) { client in
            let response = try await client.execute(uri: "/v1/screenings", method: .post, headers: bearer(fixture.tokens[.screener]), body: buffer(body))
            #expect(response.status == .badRequest)
            expectDocumented(response, "POST", "/v1/screenings")
            #expect(response.object["error"] as? String == "row 2: " + cliText)
            #expect(response.object["row"] as? Int == 2 && response.object["field"] as? String == "destination" && response.object["value"] as? String == "UK")
            // The same rows as a CSV body: the row is named the same way.
            var headers = bearer(fixture.tokens[.screener])
            headers[.contentType] = "text/csv"
            let csv = try await client.execute(uri: "/v1/screenings?regime=ai-diffusion-2025&commit=true", method: .post, headers: headers,
                                               body: buffer(csvLines.joined(separator: "\n")))
            #expect(csv.status == .badRequest && csv.object["error"] as? String == "row 2: " + cliText)
            let unknown = try await client.execute(uri: "/v1/screenings", method: .post, headers: bearer(fixture.tokens[.screener]),
                                                   body: buffer("{\"rows\":[{\"id\":\"A\",\"colour\":\"red\"}]}"))
            #expect(unknown.status == .badRequest && unknown.object["field"] as? String == "colour")
            #expect((unknown.object["error"] as? String)?.contains("is not a known column") == true)
        }
        #expect(try fixture.service.ledger().eventCount() == events)
    }

    @Test("Body size, rows per request and JSON depth are limited as configured")
    func limits() async throws {
        let fixture = try Fixture(limits: RequestLimits(maxBodyBytes: 4096, maxRows: 3, maxJSONDepth: 5))
        try await fixture.app().test(.router) { client in
            let headers = bearer(fixture.tokens[.screener])
            let four = "{\"rows\":[\(Array(repeating: Self.row, count: 4).joined(separator: ","))]}"
            let rows = try await client.execute(uri: "/v1/screenings", method: .post, headers: headers, body: buffer(four))
            #expect(rows.status == .contentTooLarge && rows.object["error"] as? String == "the request has more than 3 rows (the limit); split it")
            let big = "{\"rows\":[\(Self.row)],\"regime\":\"" + String(repeating: "x", count: 5000) + "\"}"
            let body = try await client.execute(uri: "/v1/screenings", method: .post, headers: headers, body: buffer(big))
            #expect(body.status == .contentTooLarge && body.object["error"] as? String == "the request body is larger than 4096 bytes (the limit)", "\(body.status) \(body.text)")
            let deep = "{\"rows\":[\(Self.row)],\"compare\":[[[[[[\"a\"]]]]]]}"
            let depth = try await client.execute(uri: "/v1/screenings", method: .post, headers: headers, body: buffer(deep))
            #expect(depth.status == .badRequest && depth.object["error"] as? String == "request body nests deeper than 5 levels (the limit)")
            let three = "{\"regime\":\"ai-diffusion-2025\",\"rows\":[\(Array(repeating: Self.row, count: 3).enumerated().map { $1.replacingOccurrences(of: "D-1", with: "D-\($0)") }.joined(separator: ","))]}"
            #expect(try await client.execute(uri: "/v1/screenings", method: .post, headers: headers, body: buffer(three)).status == .ok)
            let malformed = try await client.execute(uri: "/v1/screenings", method: .post, headers: headers, body: buffer("{\"regime\":\"enforced\",}"))
            #expect(malformed.status == .badRequest && (malformed.object["error"] as? String)?.hasPrefix("request body is not valid JSON") == true)
        }
    }

    @Test("Idempotency-Key over HTTP: a retry returns the stored run; other content with the key is 409")
    func idempotencyKey() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            var headers = bearer(fixture.tokens[.screener])
            headers[HTTPField.Name("Idempotency-Key")!] = "order-17"
            let body = "{\"regime\":\"ai-diffusion-2025\",\"commit\":true,\"rows\":[\(Self.row)]}"
            let first = try await client.execute(uri: "/v1/screenings", method: .post, headers: headers, body: buffer(body))
            let retry = try await client.execute(uri: "/v1/screenings", method: .post, headers: headers, body: buffer(body))
            #expect(first.status == .ok && retry.status == .ok)
            #expect(first.object["run"] as? Int == retry.object["run"] as? Int && first.object["replayed"] as? Bool == false && retry.object["replayed"] as? Bool == true)
            let other = body.replacingOccurrences(of: "\"1000\"", with: "\"2000\"")
            let conflict = try await client.execute(uri: "/v1/screenings", method: .post, headers: headers, body: buffer(other))
            #expect(conflict.status == .conflict)
            expectDocumented(conflict, "POST", "/v1/screenings")
        }
    }
}
