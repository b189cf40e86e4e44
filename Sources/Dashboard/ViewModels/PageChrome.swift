/// The roles of issue 9's access model, as the dashboard names them in its header.
///
/// The server decides who may do what; the dashboard only shows the role and hides the forms a
/// page's view model says the user may not use (for example ``HoldDetailPage/canDecide``).
public enum DashboardRole: String, Sendable, CaseIterable {
    /// Screenings: dry run and commit.
    case screener
    /// Holds and licences.
    case officer
    /// Reads everything, verifies, exports receipts.
    case auditor
    /// Tokens.
    case admin
}

/// The person behind the bearer token or session of a request.
///
/// ```swift
/// let user = SignedInUser(name: "ana.officer", role: .officer)
/// ```
public struct SignedInUser: Sendable, Hashable {
    /// The token's name, as given to `ai-diffusion tokens create --name`.
    public var name: String
    public var role: DashboardRole

    public init(name: String, role: DashboardRole) {
        self.name = name
        self.role = role
    }
}

/// A one-line message shown above a page's content: the outcome of the action that redirected
/// here (Post/Redirect/Get), or why an action was refused.
public struct Notice: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case success, error
    }

    public var kind: Kind
    public var text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }
}

/// What every page shares: who is signed in, the CSRF token for the page's forms (and the
/// sign-out form in the header) and an optional notice.
///
/// ```swift
/// let chrome = PageChrome(user: SignedInUser(name: "ana.officer", role: .officer),
///                         csrfToken: csrf.token(session: sessionID, issuedAt: now),
///                         notice: Notice(.success, "Hold 3 released against licence D-0001"))
/// ```
public struct PageChrome: Sendable {
    /// Nil on the login page and on error pages shown before sign-in.
    public var user: SignedInUser?
    /// The value of every form's hidden `csrf` field (``CSRFTokens/token(session:issuedAt:)``).
    public var csrfToken: String
    public var notice: Notice?

    public init(user: SignedInUser?, csrfToken: String, notice: Notice? = nil) {
        self.user = user
        self.csrfToken = csrfToken
        self.notice = notice
    }
}
