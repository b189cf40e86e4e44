import AllocationLedger
import ComplianceService
import Dashboard
import DiffusionRules
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// One HTML route of the dashboard (docs/dashboard.md, "Route contract"): method, path in the
/// OpenAPI form (`/holds/{id}`), what the signed-in token must allow (nil: public), and its handler.
/// ``DashboardSite/routes`` is the whole table; the server registers exactly these next to
/// ``APIRoutes/all`` (`POST /login` and `POST /logout` are the dashboard's: they also take the
/// API's JSON login).
public struct PageRoute: Sendable {
    public var method: HTTPRequest.Method
    public var path: String
    public var permission: Permission?
    let handler: @Sendable (inout Request, APIContext, Principal?) async throws -> Response
}

/// The dashboard wired into the server: sessions (the token in an HttpOnly cookie), CSRF tokens on
/// every form, the security headers of every page, and the page handlers (`DashboardPages`), each a
/// thin adapter that calls ``ComplianceService`` (or `SimulationRunner`) and renders a view model.
///
/// ```swift
/// let site = try DashboardSite(service: service, secret: Array(secretText.utf8))   // >= 32 bytes, same on every instance
/// let router = ComplianceServer.router(service: service, metrics: metrics, dashboard: site)
/// ```
public final class DashboardSite: Sendable {
    let service: ComplianceService
    let renderer: DashboardRenderer
    let csrf: CSRFTokens
    let simulator: SimulatorPages
    /// Country names by ISO code, for labels.
    let countryNames: [CountryCode: String]
    /// The cookie that binds the sign-in form's CSRF token before there is a session.
    static let preSessionCookie = "aid_presession"
    /// Headers of every dashboard response (docs/dashboard.md, "Wiring it into the server").
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        HTTPField.Name("X-Frame-Options")!: "DENY",
    ]

    /// - Parameter secret: the CSRF secret (``CSRFTokens``, 32 bytes or more). Instances behind one
    ///   load balancer must share it; nil draws a random one (one instance).
    /// - Throws: `DashboardError` (templates missing) or `CSRFError` (secret too short).
    public init(service: ComplianceService, secret: [UInt8]? = nil) throws {
        self.service = service
        renderer = try DashboardRenderer()
        var generator = SystemRandomNumberGenerator()
        csrf = try CSRFTokens(secret: secret ?? (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        simulator = SimulatorPages()
        countryNames = Dictionary(uniqueKeysWithValues: service.book.registry.countries.map { ($0.code, $0.name) })
    }

    /// Every HTML route, in the order of the route contract.
    public var routes: [PageRoute] { DashboardPages.routes(self) }

    // MARK: - Sessions and CSRF

    /// The CSRF session of a request: the signed-in token's hash, else the pre-session cookie.
    static func csrfSession(_ request: Request) -> String? {
        if let token = request.cookies[TokenAuthenticator.cookie]?.value, !token.isEmpty {
            return "token:" + Digest.sha256Hex(Array(token.utf8))
        }
        return request.cookies[preSessionCookie]?.value.nilIfEmpty.map { "pre:" + $0 }
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    func chrome(_ request: Request, _ principal: Principal?, notice: Notice? = nil) -> PageChrome {
        let user = principal.flatMap { p in DashboardRole(rawValue: p.role.rawValue).map { SignedInUser(name: p.name, role: $0) } }
        let token = Self.csrfSession(request).map { csrf.token(session: $0, issuedAt: Self.now) } ?? ""
        return PageChrome(user: user, csrfToken: token, notice: notice)
    }

    /// Checks a posted form's CSRF field against the request's session (403 page otherwise).
    func verifyCSRF(_ form: FormBody, _ request: Request) throws {
        guard let session = Self.csrfSession(request) else {
            throw ServiceError(.forbidden, "the form has no session to check; enable cookies for this site and reload the page")
        }
        do throws(CSRFError) { try csrf.verify(form.csrf, session: session, now: Self.now) } catch {
            throw ServiceError(.forbidden, error.message)
        }
    }

    /// A posted `application/x-www-form-urlencoded` body (400 naming the field for a bad escape).
    static func form(_ request: inout Request) async throws -> FormBody {
        let body = try await request.bytes(limit: 64 << 10)
        do throws(FormError) { return try FormBody(parsing: String(decoding: body, as: UTF8.self)) } catch {
            throw ServiceError(.badRequest, error.description, field: error.field, value: error.value)
        }
    }

    static func isForm(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
    }

    /// The query string as form fields (`lever` may repeat).
    static func query(_ request: Request) throws -> FormBody {
        do throws(FormError) { return try FormBody(parsing: request.uri.query ?? "") } catch {
            throw ServiceError(.badRequest, error.description, field: error.field, value: error.value)
        }
    }

    // MARK: - Responses

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    /// The error page: the one-line message and the status of the error's kind.
    func errorPage(_ error: any Error, _ request: Request, _ principal: Principal?) -> Response {
        let error = ServiceError.from(error)
        let status = Reply.status(of: error.kind)
        return html(renderer.render(ErrorPage(status: Int(status.code), message: error.message), chrome: chrome(request, principal)),
                    status: status)
    }

    /// Where a role lands after sign-in: the queue for those who work it, else a page it may read.
    static func landing(_ role: Role) -> String {
        if role.allows(.readHolds) { return DashboardRoutes.holds }
        if role.allows(.readCaps) { return DashboardRoutes.caps }
        return DashboardRoutes.rules
    }

    /// The path and query of a request, for `/login?next=`.
    static func target(_ request: Request) -> String {
        request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
