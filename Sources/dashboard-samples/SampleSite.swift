import Dashboard
import Foundation

/// Writes pages under a root laid out like the routes: `/holds/3` is `holds/3/index.html`.
final class SampleSite {
    let root: String
    let renderer: DashboardRenderer
    let chrome: PageChrome
    private(set) var written: [String] = []

    init(root: String, renderer: DashboardRenderer) throws {
        self.root = root
        self.renderer = renderer
        let csrf = try CSRFTokens(secret: Array("dashboard-samples secret, not for a server".utf8))
        self.chrome = PageChrome(user: SignedInUser(name: "ana.officer", role: .officer),
                                 csrfToken: csrf.token(session: "sample-session", issuedAt: 1_780_304_400))
    }

    func write(_ data: SampleData) throws {
        try page("login", renderer.render(LoginPage(), chrome: PageChrome(user: nil, csrfToken: chrome.csrfToken)))
        try page("holds", renderer.render(HoldsPage(filter: .open, counts: counts(data.holds), holds: data.holds.filter { $0.status == .open }), chrome: chrome))
        try page("holds-all", renderer.render(HoldsPage(filter: nil, counts: counts(data.holds), holds: data.holds), chrome: chrome))
        for hold in data.holds {
            let row = data.rows.first { $0.run == hold.run && $0.determination.id == hold.row }!
            var notice: Notice?
            if hold.status == .released { notice = Notice(.success, "Hold \(hold.id) released against licence \(hold.decision?.licenceNumber ?? "")") }
            try page("holds/\(hold.id)", renderer.render(HoldDetailPage(hold: hold, memo: data.memo(row), licences: data.licences, canDecide: true),
                                                         chrome: PageChrome(user: chrome.user, csrfToken: chrome.csrfToken, notice: notice)))
        }
        if let open = data.holds.first(where: { $0.status == .open }) {
            let row = data.rows.first { $0.run == open.run && $0.determination.id == open.row }!
            let values = DecisionFormValues(action: "release", licenceNumber: "D-2026-0600", licenceIssued: "2026-06-01",
                                            licenceExpires: "2026-02-30", limitTPP: "500000000")
            let error = FormError(field: "licence_expires", value: "2026-02-30", "is not a date (YYYY-MM-DD)").description
            try page("hold-error", renderer.render(HoldDetailPage(hold: open, memo: data.memo(row), licences: data.licences, canDecide: true,
                                                                  form: values, formError: error), chrome: chrome))
            let auditor = PageChrome(user: SignedInUser(name: "ian.auditor", role: .auditor), csrfToken: chrome.csrfToken)
            try page("hold-readonly", renderer.render(HoldDetailPage(hold: open, memo: data.memo(row), licences: data.licences, canDecide: false), chrome: auditor))
        }
        for row in data.rows {
            try page("memo/\(row.run)/\(row.determination.id)", renderer.render(data.memo(row), chrome: chrome))
        }
        try page("memo-tampered", renderer.render(data.tamperedMemo, chrome: chrome))
        try page("memo-unrecorded", renderer.render(data.unrecordedMemo, chrome: chrome))
        try page("escaping", renderer.render(data.hostileMemo, chrome: chrome))
        try page("caps", renderer.render(data.caps, chrome: chrome))
        try page("rules", renderer.render(data.rules, chrome: chrome))
        try page("simulator", renderer.render(data.simulator, chrome: chrome))
        try page("error", renderer.render(ErrorPage(status: 403, message: "role screener may not decide holds (officer only)"),
                                          chrome: PageChrome(user: SignedInUser(name: "sam.screener", role: .screener), csrfToken: chrome.csrfToken)))
        for asset in DashboardAssets.all.values {
            try file("static/\(asset.name)", Data(asset.bytes))
        }
    }

    private func counts(_ holds: [HoldSummary]) -> [HoldStatus: Int] {
        Dictionary(grouping: holds, by: \.status).mapValues(\.count)
    }

    private func page(_ path: String, _ html: String) throws {
        try file("\(path)/index.html", Data(html.utf8))
        written.append("/" + path)
    }

    private func file(_ relative: String, _ data: Data) throws {
        let url = URL(fileURLWithPath: root).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }
}
