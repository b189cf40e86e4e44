import ComplianceService
import Hummingbird
import HummingbirdAuth

/// The request context of the compliance server: Hummingbird's core context plus the principal
/// of the bearer token (from the `Authorization` header or the dashboard's session cookie).
public struct APIContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The holder of a valid token; nil when the request carries none or a bad one.
    public var identity: Principal?
    /// Why the token given was refused (401 text), when one was given and refused.
    public var credentialProblem: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
        credentialProblem = nil
    }
}
