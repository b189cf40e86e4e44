import ComplianceServer
import ComplianceService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    nonisolated(unsafe) static let operations: [(method: String, path: String, operation: [String: Any])] = {
        let paths = openAPI["paths"] as? [String: [String: Any]] ?? [:]
        return paths.flatMap { path, methods in methods.compactMap { method, operation in
            (operation as? [String: Any]).map { (method.uppercased(), path, $0) }
        } }.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }()

    @Test("The router's routes and the document's paths are the same set, with the same roles and public routes")
    func sameRoutes() throws {
        let service = try ComplianceService(book: book, ledger: "", create: false)
        let routes = APIRoutes.all(service: service, metrics: ServiceMetrics())
        let served = Set(routes.map { "\($0.method.rawValue) \($0.path)" })
        let documented = Set(Self.operations.map { "\($0.method) \($0.path)" })
        #expect(served == documented, "only served: \(served.subtracting(documented)); only documented: \(documented.subtracting(served))")
        #expect(served.count == routes.count)
        for route in routes {
            guard let operation = Self.operations.first(where: { $0.method == route.method.rawValue && $0.path == route.path })?.operation else { continue }
            let roles = operation["x-roles"] as? [String] ?? ["?"]
            #expect(roles == route.permission.map { Role.with($0).map(\.rawValue) } ?? [], "\(route.method) \(route.path)")
            let isPublic = (operation["security"] as? [Any])?.isEmpty == true
            #expect(isPublic == (route.permission == nil), "\(route.method) \(route.path)")
            let responses = operation["responses"] as? [String: Any] ?? [:]
            if route.permission != nil { #expect(responses["401"] != nil, "\(route.method) \(route.path) documents 401") }
        }
    }

    @Test("Every example in the document validates against its schema")
    func examples() {
        var checked = 0
        for (method, path, operation) in Self.operations {
            var media: [(String, [String: Any])] = []
            for (status, response) in operation["responses"] as? [String: [String: Any]] ?? [:] {
                for (type, content) in response["content"] as? [String: [String: Any]] ?? [:] { media.append(("\(status) \(type)", content)) }
            }
            for (type, content) in (operation["requestBody"] as? [String: Any])?["content"] as? [String: [String: Any]] ?? [:] {
                media.append(("request \(type)", content))
            }
            for (what, content) in media {
                guard let example = content["example"], let schema = content["schema"] as? [String: Any] else { continue }
                let problems = SchemaCheck.problems(example, schema)
                #expect(problems.isEmpty, "\(method) \(path) \(what): \(problems.prefix(5))")
                checked += 1
            }
        }
        #expect(checked >= 50)
    }

    @Test("The validator refuses what the schemas forbid (so the example check can fail)")
    func validatorRefuses() {
        let hold = ["$ref": "#/components/schemas/Hold"]
        #expect(!SchemaCheck.problems(["id": 1], hold).isEmpty)
        let error = ["$ref": "#/components/schemas/Error"]
        #expect(SchemaCheck.problems(["error": "x", "row": NSNull(), "field": NSNull(), "value": NSNull()], error).isEmpty)
        #expect(!SchemaCheck.problems(["error": "x", "row": "1", "field": NSNull(), "value": NSNull()], error).isEmpty)
        #expect(!SchemaCheck.problems(["error": "x", "row": NSNull(), "field": NSNull(), "value": NSNull(), "extra": 1], error).isEmpty)
    }

    @Test("The server serves the document to any role, and it is OpenAPI 3.1")
    func served() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            for role in Role.allCases {
                let response = try await client.execute(uri: "/openapi.json", method: .get, headers: bearer(fixture.tokens[role]))
                #expect(response.status == .ok && response.headers[.contentType] == "application/json")
                #expect(response.object["openapi"] as? String == "3.1.0")
            }
        }
    }
}
