import AllocationLedger
import ComputeMetrics
import ComplianceServer
import ComplianceService
import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The dashboard's HTML routes in the server (docs/dashboard.md, "Route contract"): every route
/// served, sessions and roles as in the API, CSRF on every form, security headers, Post/Redirect/Get,
/// and refusals that record nothing.
@Suite("Dashboard routes in the server")
struct DashboardRouteTests {
    /// A browser's cookie jar and the CSRF token of the last page, over the test client.
    struct Browser {
        var cookies: [String: String] = [:]
        var csrf = ""

        var headers: HTTPFields {
            var fields: HTTPFields = [:]
            if !cookies.isEmpty { fields[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
            return fields
        }

        mutating func take(_ response: TestResponse) {
            for line in response.headers[values: .setCookie] {
                let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
                if line.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair.count > 1 ? pair[1] : "" }
            }
            if let range = response.text.range(of: "name=\"csrf\" value=\"") {
                csrf = String(response.text[range.upperBound...].prefix { $0 != "\"" })
            }
        }

        mutating func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
            let response = try await client.execute(uri: uri, method: .get, headers: headers)
            take(response)
            return response
        }

        mutating func post(_ client: some TestClientProtocol, _ uri: String, _ form: String, csrf: Bool = true) async throws -> TestResponse {
            var fields = headers
            fields[.contentType] = "application/x-www-form-urlencoded"
            let body = csrf ? form + (form.isEmpty ? "" : "&") + "csrf=" + (self.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") : form
            let response = try await client.execute(uri: uri, method: .post, headers: fields, body: buffer(body))
            take(response)
            return response
        }

        /// Signs in through the form (GET /login for the pre-session cookie and the CSRF token).
        mutating func signIn(_ client: some TestClientProtocol, _ token: String?) async throws -> TestResponse {
            _ = try await get(client, "/login")
            return try await post(client, "/login", "token=\(token ?? "")&next=%2F")
        }
    }

    /// A fixture with the public deals committed under ai-diffusion-2025 (7 holds).
    static func committed() throws -> (Fixture, CommitResult) {
        let fixture = try Fixture()
        let service = fixture.service
        let result = try service.commit(try ScreeningInput(path: dealsPath, book: book), regime: try service.regime("ai-diffusion-2025"),
                                        requestKey: nil, by: nil)
        return (fixture, result)
    }

    static func site(_ fixture: Fixture) throws -> DashboardSite { try DashboardSite(service: fixture.service) }

    @Test("Every route of the contract is served; the HTML-only routes are exactly the ones the OpenAPI document leaves out")
    func routeTable() throws {
        let fixture = try Fixture()
        let pages = try Self.site(fixture).routes
        let served = Set(pages.map { "\($0.method.rawValue) \($0.path)" })
        #expect(served == [
            "GET /login", "POST /login", "POST /logout", "GET /", "GET /holds", "GET /holds/{id}", "POST /holds/{id}/decision",
            "GET /memo/{run}/{row}", "GET /caps", "GET /rules", "GET /simulator", "POST /simulator", "GET /static/{file}",
        ])
        #expect(served.count == pages.count)
        let documented = Set(OpenAPITests.operations.map { "\($0.method) \($0.path)" })
        #expect(served.subtracting(documented) == DashboardRouteTests.htmlOnly)
        #expect(served.intersection(documented) == ["POST /login", "POST /logout"])
    }

    /// The dashboard's pages: HTML for browsers, not part of the JSON API's document.
    static let htmlOnly: Set<String> = [
        "GET /login", "GET /", "GET /holds", "GET /holds/{id}", "POST /holds/{id}/decision", "GET /memo/{run}/{row}", "GET /caps",
        "GET /rules", "GET /simulator", "POST /simulator", "GET /static/{file}",
    ]

    @Test("Without a session every page redirects to sign-in; with one, roles as in the API: a wrong role gets a 403 page")
    func access() async throws {
        let (fixture, result) = try Self.committed()
        let hold = try #require(result.holds.first)
        let pages: [(path: String, permission: Permission)] = [
            ("/holds", .readHolds), ("/holds/\(hold)", .readHolds), ("/memo/\(result.runID)/P05", .readRuns), ("/caps", .readCaps),
            ("/rules", .reference), ("/simulator", .reference),
        ]
        try await fixture.app().test(.router) { client in
            for page in pages {
                let anonymous = try await client.execute(uri: page.path, method: .get)
                #expect(anonymous.status == .seeOther, "\(page.path)")
                #expect(anonymous.headers[.location] == "/login?next=" + page.path.replacingOccurrences(of: "/", with: "%2F"), "\(page.path)")
            }
            for role in Role.allCases {
                var browser = Browser()
                let signedIn = try await browser.signIn(client, fixture.tokens[role])
                #expect(signedIn.status == .seeOther)
                for page in pages {
                    let response = try await browser.get(client, page.path)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(role) \(page.path)")
                    if role.allows(page.permission) {
                        #expect(response.status == .ok, "\(role) on \(page.path): \(response.status)")
                    } else {
                        #expect(response.status == .forbidden, "\(role) on \(page.path): \(response.status)")
                        #expect(response.text.contains("role \(role.rawValue) (token t-\(role.rawValue)) may not do this"), "\(role) \(page.path)")
                    }
                }
            }
        }
    }

    @Test("Pages carry the security headers; the session cookie is HttpOnly and SameSite=Strict; assets have ETags")
    func headers() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            var browser = Browser()
            let login = try await browser.get(client, "/login")
            #expect(login.headers[.contentSecurityPolicy] == "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
            #expect(login.headers[.xContentTypeOptions] == "nosniff" && login.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            #expect(login.headers[.cacheControl] == "no-store")
            let signedIn = try await browser.post(client, "/login", "token=\(fixture.tokens[.officer]!)&next=%2F")
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/holds")
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("aid_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let css = try await client.execute(uri: "/static/dashboard.css", method: .get)
            let etag = try #require(css.headers[.eTag])
            #expect(css.status == .ok && css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(try await client.execute(uri: "/static/dashboard.css", method: .get, headers: [.ifNoneMatch: etag]).status == .notModified)
            #expect(try await client.execute(uri: "/static/..%2FPackage.swift", method: .get).status == .notFound)
        }
    }

    @Test("Sign-in: a bad token is a 401 page and sets nothing; a form without its CSRF token is refused; the API's JSON login still works")
    func signIn() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            var browser = Browser()
            let bad = try await browser.signIn(client, "aid_" + String(repeating: "0", count: 64))
            #expect(bad.status == .unauthorized && bad.text.contains("That token is not valid"))
            #expect(browser.cookies["aid_session"] == nil)
            let forged = try await browser.post(client, "/login", "token=\(fixture.tokens[.officer]!)", csrf: false)
            #expect(forged.status == .forbidden && forged.text.contains("the form has no CSRF token"))
            #expect(browser.cookies["aid_session"] == nil)
            let json = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/json"],
                                                body: buffer("{\"token\":\"\(fixture.tokens[.auditor]!)\"}"))
            #expect(json.status == .ok && json.object["role"] as? String == "auditor")
            // A screener lands on a page it may read; `next` is kept when it is a local path.
            var screener = Browser()
            #expect(try await screener.signIn(client, fixture.tokens[.screener]).headers[.location] == "/caps")
            _ = try await screener.get(client, "/login?next=%2Frules%3Fas_of%3D2025-06-01")
            let next = try await screener.post(client, "/login", "token=\(fixture.tokens[.screener]!)&next=%2Frules%3Fas_of%3D2025-06-01")
            #expect(next.headers[.location] == "/rules?as_of=2025-06-01")
            let logout = try await screener.post(client, "/logout", "")
            #expect(logout.status == .seeOther && logout.headers[.location] == "/login" && screener.cookies["aid_session"] == nil)
        }
    }

    @Test("Release against a new licence (303, licence debited by the shipment's TPP), an over-limit release refused (409, nothing recorded), a decision without CSRF refused (403)")
    func decisions() async throws {
        let (fixture, result) = try Self.committed()
        let determinations = try #require(result.determinations)
        let holds = Dictionary(uniqueKeysWithValues: zip(determinations.filter(\.licenseRequired).map(\.id), result.holds))
        // P05: 8,192 H100 SXM at 15,832 TPP each (catalog; regulation-facts.md) = 129,695,744 TPP.
        let p05 = try #require(holds["P05"]), p12 = try #require(holds["P12"])
        try await fixture.app().test(.router) { client in
            var officer = Browser()
            _ = try await officer.signIn(client, fixture.tokens[.officer])
            _ = try await officer.get(client, "/holds/\(p05)")
            let forged = try await officer.post(client, "/holds/\(p05)/decision", "action=reject&note=x", csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try fixture.service.hold(p05).status == .open)

            let release = try await officer.post(client, "/holds/\(p05)/decision",
                                                 "action=release&licence_number=D-1&licence_issued=2025-01-01&licence_expires=2027-12-31&limit_tpp=259391488&note=")
            #expect(release.status == .seeOther && release.headers[.location] == "/holds/\(p05)?done=release")
            #expect(try fixture.service.hold(p05).status == .released)
            #expect(try fixture.service.licence("D-1").remaining == TPP(whole: 129_695_744))
            let page = try await officer.get(client, "/holds/\(p05)?done=release")
            #expect(page.text.contains("Hold \(p05) (row P05) released against licence D-1"))
            let caps = try await officer.get(client, "/caps")
            #expect(caps.text.contains("data-licence=\"D-1\"") && caps.text.contains("129695744"))

            // P12 ships 221,184,000 TPP: more than the 129,695,744 left.
            _ = try await officer.get(client, "/holds/\(p12)")
            let events = try fixture.service.ledger().eventCount()
            let over = try await officer.post(client, "/holds/\(p12)/decision", "action=release&licence_number=D-1")
            #expect(over.status == .conflict)
            #expect(over.text.contains("licence D-1 has 129695744 TPP left; the shipment needs 221184000 TPP"))
            #expect(over.text.contains("value=\"D-1\""))
            #expect(try fixture.service.ledger().eventCount() == events)
            #expect(try fixture.service.hold(p12).status == .open)

            let bad = try await officer.post(client, "/holds/\(p12)/decision", "action=reject&note=")
            #expect(bad.status == .badRequest && bad.text.contains("form field &quot;note&quot; is required to reject a hold: say why"))
            let rejected = try await officer.post(client, "/holds/\(p12)/decision", "action=reject&note=not+licensable")
            #expect(rejected.status == .seeOther)
            #expect(try fixture.service.hold(p12).status == .rejected)

            // An auditor reads the hold but gets no form, and may not decide.
            var auditor = Browser()
            _ = try await auditor.signIn(client, fixture.tokens[.auditor])
            let read = try await auditor.get(client, "/holds/\(p12)")
            #expect(read.status == .ok && !read.text.contains("/decision\""))
            #expect(try await auditor.post(client, "/holds/\(p12)/decision", "action=escalate").status == .forbidden)
        }
    }

    @Test("The memo of a committed row shows its receipt's signature as valid; an unknown row is a 404 page")
    func memo() async throws {
        let (fixture, result) = try Self.committed()
        try await fixture.app().test(.router) { client in
            var auditor = Browser()
            _ = try await auditor.signIn(client, fixture.tokens[.auditor])
            let memo = try await auditor.get(client, "/memo/\(result.runID)/P01")
            #expect(memo.status == .ok && memo.text.contains("data-testid=\"signature\""))
            #expect(memo.text.range(of: #"data-testid="signature"[^>]*>valid<"#, options: .regularExpression) != nil)
            let missing = try await auditor.get(client, "/memo/\(result.runID)/P99")
            #expect(missing.status == .notFound && missing.text.contains("run \(result.runID) has no row P99"))
        }
    }

    @Test("Rules on a date and the simulator in-process (seeded: the same query gives the same page); a bad query is a 400 page")
    func rulesAndSimulator() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, fixture.tokens[.screener])
            let rules = try await browser.get(client, "/rules?as_of=2025-06-01")
            #expect(rules.status == .ok && rules.text.contains("2025-06-01"))
            #expect(try await browser.get(client, "/rules?as_of=2025-02-30").status == .badRequest)
            let form = try await browser.get(client, "/simulator")
            #expect(form.status == .ok && form.text.contains("name=\"lever\""))
            let posted = try await browser.post(client, "/simulator", "lever=full-ban&draws=40&seed=7")
            #expect(posted.status == .seeOther && posted.headers[.location] == "/simulator?lever=full-ban&draws=40&seed=7")
            let run = try await browser.get(client, "/simulator?lever=full-ban&draws=40&seed=7")
            #expect(run.status == .ok && run.text.contains("<svg") && run.text.contains("40 draws, seed 7"))
            let again = try await browser.get(client, "/simulator?lever=full-ban&draws=40&seed=7")
            #expect(Self.withoutCSRF(again.text) == Self.withoutCSRF(run.text))
            let tooMany = try await browser.get(client, "/simulator?lever=full-ban&draws=2001&seed=7")
            #expect(tooMany.status == .badRequest && tooMany.text.contains("is not a whole number from 1 to 2000"))
        }
    }

    static func withoutCSRF(_ html: String) -> String {
        html.replacingOccurrences(of: #"value="v1\.[^"]*""#, with: "", options: .regularExpression)
    }
}
