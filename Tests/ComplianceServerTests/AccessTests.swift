import ComplianceServer
import ComplianceService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every route's access: no token or a bad one gets 401, a role without the permission 403,
/// a role with it neither; public routes answer without a token. Also the dashboard's cookie login.
@Suite("Access: tokens, roles and the session cookie on every route")
struct AccessTests {
    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{number}", with: "X-1")
            .replacingOccurrences(of: "{name}", with: "nobody")
    }

    @Test("401 without a token or with a bad one, 403 for every role without the permission, on every route")
    func everyRoute() async throws {
        let fixture = try Fixture()
        let routes = APIRoutes.all(service: fixture.service, metrics: ServiceMetrics())
        #expect(routes.count == 26)
        try await fixture.app().test(.router) { client in
            for route in routes {
                let uri = Self.concrete(route.path)
                let anonymous = try await client.execute(uri: uri, method: route.method)
                guard let permission = route.permission else {
                    #expect(anonymous.status != .unauthorized && anonymous.status != .forbidden, "\(route.method) \(route.path) is public")
                    continue
                }
                #expect(anonymous.status == .unauthorized, "\(route.method) \(route.path) without a token: \(anonymous.status)")
                #expect(anonymous.headers[.wwwAuthenticate] == "Bearer realm=\"ai-diffusion\"")
                let bad = try await client.execute(uri: uri, method: route.method, headers: bearer("aid_" + String(repeating: "0", count: 64)))
                #expect(bad.status == .unauthorized && bad.object["error"] as? String == "the bearer token is not valid", "\(route.method) \(route.path)")
                for role in Role.allCases {
                    let response = try await client.execute(uri: uri, method: route.method, headers: bearer(fixture.tokens[role]))
                    if role.allows(permission) {
                        #expect(response.status != .unauthorized && response.status != .forbidden, "\(role) on \(route.method) \(route.path): \(response.status)")
                    } else {
                        #expect(response.status == .forbidden, "\(role) on \(route.method) \(route.path): \(response.status)")
                        #expect((response.object["error"] as? String)?.contains("role \(role.rawValue)") == true)
                    }
                }
            }
        }
    }

    @Test("The role model of the issue: screener screens, officer decides holds and licences, auditor reads and verifies, admin manages tokens")
    func roleModel() {
        #expect(Role.with(.screen) == [.screener])
        #expect(Role.with(.decideHolds) == [.officer] && Role.with(.writeLicences) == [.officer] && Role.with(.recheck) == [.officer])
        #expect(Role.with(.readHolds) == [.officer, .auditor] && Role.with(.verify) == [.auditor])
        #expect(Role.with(.readRuns) == [.screener, .officer, .auditor])
        #expect(Role.with(.writeTokens) == [.admin] && Role.with(.readTokens) == [.auditor, .admin])
    }

    @Test("POST /login (the sign-in form, with its CSRF token) sets the token as an HttpOnly, SameSite=Strict cookie that authenticates the pages' requests")
    func cookieLogin() async throws {
        let fixture = try Fixture()
        let officer = try #require(fixture.tokens[.officer])
        try await fixture.app().test(.router) { client in
            var browser = DashboardRouteTests.Browser()
            _ = try await browser.get(client, "/login?next=%2Fholds")
            let login = try await browser.post(client, "/login", "token=\(officer)&next=%2Fholds")
            #expect(login.status == .seeOther && login.headers[.location] == "/holds")
            let cookie = try #require(login.headers[values: .setCookie].first { $0.hasPrefix("aid_session=") })
            #expect(cookie.hasPrefix("aid_session=\(officer)") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let page = try await client.execute(uri: "/v1/holds", method: .get, headers: [.cookie: "aid_session=\(officer)"])
            #expect(page.status == .ok)
            var other = DashboardRouteTests.Browser()
            let refused = try await other.signIn(client, "wrong")
            #expect(refused.status == .unauthorized && !refused.headers[values: .setCookie].contains { $0.hasPrefix("aid_session=") })
            let logout = try await client.execute(uri: "/logout", method: .post)
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
        }
    }

    @Test("A revoked token is refused at once on the instance that revoked it")
    func revocation() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let created = try await client.execute(uri: "/v1/tokens", method: .post, headers: bearer(fixture.tokens[.admin]),
                                                   body: buffer("{\"name\":\"erp-2\",\"role\":\"screener\"}"))
            #expect(created.status == .created)
            expectDocumented(created, "POST", "/v1/tokens")
            let secret = try #require(created.object["token"] as? String)
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(secret)).object["role"] as? String == "screener")
            let revoked = try await client.execute(uri: "/v1/tokens/erp-2", method: .delete, headers: bearer(fixture.tokens[.admin]))
            #expect(revoked.object["status"] as? String == "revoked")
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(secret)).status == .unauthorized)
        }
    }
}
