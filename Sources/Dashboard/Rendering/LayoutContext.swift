/// The sections of the navigation bar.
enum NavSection: String, CaseIterable {
    case holds, caps, rules, simulator

    var label: String {
        switch self {
        case .holds: return "Holds"
        case .caps: return "Cap balances"
        case .rules: return "Rules"
        case .simulator: return "Simulator"
        }
    }

    var href: String {
        switch self {
        case .holds: return DashboardRoutes.holds
        case .caps: return DashboardRoutes.caps
        case .rules: return DashboardRoutes.rules
        case .simulator: return DashboardRoutes.simulator
        }
    }
}

// Template contexts: plain stored properties (Mustache reads them by reflection), no optionals
// (a missing value would make Mustache look the name up in the enclosing context), text already
// formatted. Booleans named `has...`/`is...` drive sections.

struct LayoutContext {
    struct NavItem {
        var label: String
        var href: String
        var current: Bool
    }

    var title: String
    var body: String
    var signedIn: Bool
    var userName: String
    var userRole: String
    var nav: [NavItem]
    var csrf: String
    var hasNotice: Bool
    var noticeKind: String
    var noticeText: String
    var stylesheet = DashboardRoutes.asset(DashboardAssets.stylesheet)
    var script = DashboardRoutes.asset(DashboardAssets.script)
    var icon = DashboardRoutes.asset(DashboardAssets.icon)
    var logoutPath = DashboardRoutes.logout
    var homePath = DashboardRoutes.holds

    init(title: String, section: NavSection?, chrome: PageChrome, body: String) {
        self.title = title
        self.body = body
        self.signedIn = chrome.user != nil
        self.userName = chrome.user?.name ?? ""
        self.userRole = chrome.user?.role.rawValue ?? ""
        self.nav = NavSection.allCases.map { NavItem(label: $0.label, href: $0.href, current: $0 == section) }
        self.csrf = chrome.csrfToken
        self.hasNotice = chrome.notice != nil
        self.noticeKind = chrome.notice?.kind.rawValue ?? ""
        self.noticeText = chrome.notice?.text ?? ""
    }
}

struct LoginContext {
    var hasError: Bool
    var error: String
    var next: String
    var csrf: String
    var action = DashboardRoutes.login

    init(_ page: LoginPage, chrome: PageChrome) {
        hasError = page.error != nil
        error = page.error ?? ""
        next = LoginForm.safeNext(page.next)
        csrf = chrome.csrfToken
    }
}
