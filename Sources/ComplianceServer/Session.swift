import ComplianceService
import Foundation
import HTTPTypes
import TabularIO
import Hummingbird

/// The API's login: `POST /login` with JSON `{"token"}` checks the token and sets it as an
/// HttpOnly, SameSite=Strict session cookie, so the browser's pages carry it without script access;
/// `POST /logout` clears it. The cookie holds the token itself, so any instance can check it against
/// the ledger (no session state in the server). The dashboard's sign-in form (CSRF-checked) is
/// `DashboardPages.login`, which hands JSON bodies here.
enum Session {
    static func login(_ request: inout Request, _ service: ComplianceService) async throws -> Response {
        let body = try await request.bytes(limit: 64 << 10)
        let token = try JSONValue.parse(body, maxDepth: 4).text("token", in: "login")
        let secret = token?.trimmingCharacters(in: .whitespaces) ?? ""
        let principal = try? await Blocking.run { try service.authenticate(secret) }
        guard let principal else { return Reply.error(ServiceError(.unauthorized, "the token is not valid")) }
        var response = Reply.json(me(principal))
        response.setCookie(Cookie(name: TokenAuthenticator.cookie, value: secret, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    /// `{"name", "role", "permissions"}` (also `GET /v1/me`).
    static func me(_ p: Principal) -> String {
        let permissions = Permission.allCases.filter { p.role.allows($0) }.map { "\"\($0.rawValue)\"" }
        return "{\"name\":\(JSONEscaping.quoted(p.name)),\"role\":\"\(p.role.rawValue)\",\"permissions\":[\(permissions.joined(separator: ","))]}"
    }

    static func logout() -> Response {
        var response = redirect("/login")
        response.setCookie(Cookie(name: TokenAuthenticator.cookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
