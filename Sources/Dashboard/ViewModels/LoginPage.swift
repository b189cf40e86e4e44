/// The sign-in page (`GET /login`): one field, the bearer token `ai-diffusion tokens create`
/// printed, posted as `token` to `POST /login`.
///
/// ```swift
/// renderer.render(LoginPage(error: "that token is not valid"), chrome: PageChrome(user: nil, csrfToken: csrf))
/// ```
public struct LoginPage: Sendable {
    /// Why the last attempt failed; the token itself is never echoed back.
    public var error: String?
    /// Where to go after signing in (a path on this site, e.g. `/memo/2/P05`); carried as a hidden field.
    public var next: String

    public init(error: String? = nil, next: String = DashboardRoutes.holds) {
        self.error = error
        self.next = next
    }
}

/// A page for a refused or failed request (403, 404, 400), with the one-line reason.
///
/// ```swift
/// renderer.render(ErrorPage(status: 404, message: "no hold 99"), chrome: chrome)
/// ```
public struct ErrorPage: Sendable {
    public var status: Int
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }
}
