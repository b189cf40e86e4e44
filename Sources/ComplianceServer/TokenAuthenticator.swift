import ComplianceService
import Hummingbird
import HummingbirdAuth

/// Finds the bearer token of a request, in the `Authorization: Bearer` header or else in the
/// HttpOnly session cookie that `POST /login` sets for the dashboard, and looks it up (a recent
/// look-up is reused without a ledger call). A missing token leaves the identity empty; a bad one
/// also notes why. Each route answers 401 or 403 itself, so public routes answer whatever the token.
public struct TokenAuthenticator: AuthenticatorMiddleware {
    public typealias Context = APIContext
    /// The dashboard's session cookie (HttpOnly, SameSite=Strict): it holds the bearer token.
    public static let cookie = "aid_session"
    let service: ComplianceService

    public init(service: ComplianceService) { self.service = service }

    static func token(of request: Request) -> String? {
        if let bearer = request.headers.bearer { return bearer.token }
        return request.cookies[cookie]?.value
    }

    public func authenticate(request: Request, context: APIContext) async throws -> Principal? {
        guard let token = Self.token(of: request) else { return nil }
        if let cached = service.cachedPrincipal(token) { return cached }
        let service = self.service
        return try? await Blocking.run { try service.authenticate(token) }
    }

    public func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = Self.token(of: request) {
            if let cached = service.cachedPrincipal(token) {
                context.identity = cached
                if cached == nil { context.credentialProblem = "the bearer token is not valid" }
            } else {
                let service = self.service
                do {
                    context.identity = try await Blocking.run { try service.authenticate(token) }
                } catch {
                    context.credentialProblem = ServiceError.from(error).message
                }
            }
        }
        return try await next(request, context)
    }
}
