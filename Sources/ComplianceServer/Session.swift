import ComplianceService
import Foundation
import HTTPTypes
import TabularIO
import Hummingbird

/// The dashboard's login: `POST /login` with a token (form field `token`, or JSON `{"token"}`)
/// checks it and sets it as an HttpOnly, SameSite=Strict session cookie, so the browser's pages
/// carry it without script access; `POST /logout` clears it. The cookie holds the token itself,
/// so any instance can check it against the ledger (no session state in the server).
enum Session {
    static func login(_ request: inout Request, _ service: ComplianceService) async throws -> Response {
        let form = request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
        let body = try await request.bytes(limit: 64 << 10)
        var token: String?, next = "/"
        if form {
            let fields = formFields(String(decoding: body, as: UTF8.self))
            token = fields["token"]
            if let target = fields["next"], target.hasPrefix("/"), !target.hasPrefix("//") { next = target }
        } else {
            token = try JSONValue.parse(body, maxDepth: 4).text("token", in: "login")
        }
        let secret = token?.trimmingCharacters(in: .whitespaces) ?? ""
        let principal = try? await Blocking.run { try service.authenticate(secret) }
        guard let principal else {
            if form { return redirect("/login?error=1") }
            return Reply.error(ServiceError(.unauthorized, "the token is not valid"))
        }
        var response = form ? redirect(next)
            : Reply.json(me(principal))
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

    /// `a=1&b=x%20y` → fields (`+` is a space).
    static func formFields(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ") }
            let key = parts[0].removingPercentEncoding ?? parts[0]
            out[key] = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
        }
        return out
    }
}

