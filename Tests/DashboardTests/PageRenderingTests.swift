import ComputeMetrics
import Dashboard
import DiffusionRules
import Testing

@Suite("Dashboard pages render")
struct PageRenderingTests {
    let renderer: DashboardRenderer

    init() throws { renderer = try DashboardRenderer() }

    @Test("every page is a complete document with one h1, the nav bar when signed in, and a CSRF field in every POST form")
    func everyPage() {
        for (name, html) in Samples.allPages(renderer) {
            #expect(html.hasPrefix("<!doctype html>"), "\(name)")
            #expect(html.contains("<html lang=\"en\">"), "\(name)")
            #expect(html.occurrences(of: "<h1") == 1, "\(name): one h1")
            #expect(html.contains("href=\"/static/dashboard.css\""), "\(name): local stylesheet")
            #expect(!html.contains("https://") && !html.contains("http://cdn"), "\(name): nothing from another site")
            #expect(!html.contains(" style=\"") && !html.contains("<style"), "\(name): no inline style (CSP default-src 'self')")
            #expect(!html.contains("<script>"), "\(name): no inline script")
            #expect(html.occurrences(of: "method=\"post\"") == html.occurrences(of: "name=\"csrf\""), "\(name): every POST form has a csrf field")
            if name != "login" {
                #expect(html.contains(">Holds</a>") && html.contains(">Cap balances</a>") && html.contains(">Rules</a>") && html.contains(">Simulator</a>"), "\(name): nav")
                #expect(html.contains(">ana.officer<") && html.contains(">officer<"), "\(name): token name and role")
            }
        }
    }

    @Test("memo shows figures as the CLI prints them: RTX 4090 5284.8 TPP per unit, 5284800 for 1,000 (public case P15)")
    func cliNumbers() {
        let html = renderer.render(Samples.memo(Samples.p15, receipt: nil), chrome: Samples.chrome)
        #expect(html.contains("<td>5284.8</td>"))
        #expect(html.contains("<td>5284800</td>"))
        #expect(html.contains("<td>333.805</td>"), "H100-equivalents to three decimals")
        #expect(html.contains("<td>–</td>"), "absent tier as an en dash")
    }

    @Test("memo of P05: facts, rule path with citations, debits, receipt and signature status")
    func memoContent() {
        let html = renderer.render(Samples.memo(), chrome: Samples.chrome)
        for expected in ["<td>3A090.a</td>", "<td>15832</td>", "<td>129695744</td>", "<td>8192</td>", "<td>IN India</td>", "<td>Tier 2</td>",
                         "<td>Yotta Data Services</td>", "<cite>15 CFR 742.6(b)(10)(iii)(B)</cite>", "<td>country_allocation/IN</td>",
                         ">presumption_of_approval<", ">LICENSE<", "<td>12</td>", String(repeating: "ab", count: 32),
                         String(repeating: "cd", count: 32), "data-testid=\"signature\">valid<"] {
            #expect(html.contains(expected), "\(expected)")
        }
        #expect(html.contains("data-print"), "print button")
    }

    @Test("signature status: invalid shows the reason, no receipt shows missing")
    func signatureStatus() {
        var receipt = Samples.receipt
        receipt.signature = .invalid("signature does not match its content (edited or forged)")
        let invalid = renderer.render(Samples.memo(receipt: receipt), chrome: Samples.chrome)
        #expect(invalid.contains(">invalid<") && invalid.contains("edited or forged"))
        let missing = renderer.render(Samples.memo(receipt: nil), chrome: Samples.chrome)
        #expect(missing.contains(">missing<") && missing.contains("the ledger holds no receipt for this row"))
    }

    @Test("holds queue: filter tabs with counts, one row per hold, memo link")
    func holdsQueue() {
        let released = Samples.hold(id: 2, status: .released,
                                    decision: HoldDecision(action: .release, decidedBy: "ana.officer", decidedAt: "2026-06-01T10:12:00Z", licenceNumber: "D-2026-0417"))
        let html = renderer.render(HoldsPage(filter: nil, counts: [.open: 1, .released: 1], holds: [Samples.hold(), released]), chrome: Samples.chrome)
        #expect(html.contains("href=\"/holds?status=open\">open <span class=\"count\">1</span>"))
        #expect(html.contains("href=\"/holds?status=rejected\">rejected <span class=\"count\">0</span>"))
        #expect(html.contains("href=\"/holds\" aria-current=\"page\">all <span class=\"count\">2</span>"))
        #expect(html.occurrences(of: "<tr data-hold=") == 2)
        #expect(html.contains("href=\"/memo/2/P05\""))
        #expect(html.contains("released against D-2026-0417 by ana.officer, 2026-06-01T10:12:00Z"))
    }

    @Test("hold page: decision forms for an officer on an open or escalated hold, none for others or once decided")
    func decisionForms() {
        let page = HoldDetailPage(hold: Samples.hold(), memo: Samples.memo(), licences: [Samples.licence], canDecide: true)
        let html = renderer.render(page, chrome: Samples.chrome)
        #expect(html.occurrences(of: "action=\"/holds/1/decision\"") == 3)
        for value in ["release", "reject", "escalate"] { #expect(html.contains("name=\"action\" value=\"\(value)\"")) }
        #expect(html.contains("<option value=\"D-2026-0417\">remaining 270304256 of 400000000 TPP, expires 2027-01-19</option>"))
        for field in ["licence_number", "licence_issued", "licence_expires", "limit_tpp", "limit_units"] {
            #expect(html.contains("<label for=\"\(field)\">") && html.contains("name=\"\(field)\""), "\(field) labelled")
        }
        var readOnly = page
        readOnly.canDecide = false
        #expect(!renderer.render(readOnly, chrome: Samples.chrome).contains("/decision\""))
        var escalated = page
        escalated.hold.status = .escalated
        let senior = renderer.render(escalated, chrome: Samples.chrome)
        #expect(senior.occurrences(of: "action=\"/holds/1/decision\"") == 2, "an escalated hold can be released or rejected")
        #expect(!senior.contains("value=\"escalate\""))
        var decided = page
        decided.hold.status = .rejected
        #expect(!renderer.render(decided, chrome: Samples.chrome).contains("/decision\""))
        #expect(renderer.render(decided, chrome: Samples.chrome).contains("the decision is final"))
    }

    @Test("a refused decision comes back with the one-line error and the typed values")
    func formErrorEcho() {
        let values = DecisionFormValues(action: "reject", licenceNumber: "", note: "end user not verified")
        let page = HoldDetailPage(hold: Samples.hold(), memo: Samples.memo(), licences: [], canDecide: true, form: values,
                                  formError: "form field \"note\" is required to reject a hold: say why")
        let html = renderer.render(page, chrome: Samples.chrome)
        #expect(html.contains("form field &quot;note&quot; is required to reject a hold: say why"))
        #expect(html.contains("maxlength=\"2000\">end user not verified</textarea>"))
    }

    @Test("caps page: a chart per group with one bar per cap, figures as the ledger stores them")
    func capsPage() {
        let html = renderer.render(Samples.caps, chrome: Samples.chrome)
        #expect(html.occurrences(of: "<svg") == 4)
        #expect(html.occurrences(of: "class=\"bar-used\"") == 4)
        #expect(html.contains("256351744 of 790000000 TPP (32.4% taken)"), "256,351,744 / 790,000,000 = 32.45%")
        #expect(html.contains("270304256 of 400000000 TPP remaining, 32.4% taken"))
        #expect(html.contains("data-testid=\"remaining\">270304256<"))
    }

    @Test("rules page: tier cards, layers with dates and citation, diff form keeps its values")
    func rulesPage() {
        let html = renderer.render(Samples.rules, chrome: Samples.chrome)
        #expect(html.contains("Tier 1 <span class=\"count\">1</span>"))
        #expect(html.contains("JP Japan") && html.contains("CN China"))
        #expect(html.contains("<cite>90 FR 4544 (Jan. 15, 2025)</cite>"))
        #expect(html.contains("<td class=\"nowrap\">2025-05-12</td>"))
        #expect(html.contains("not in force"), "enforced until 2025-05-12, so not on 2025-06-01")
        #expect(html.contains("name=\"a\" type=\"text\" list=\"regime-options\" value=\"enforced\""))
    }

    @Test("simulator page: levers as checkboxes, at most 2,000 draws, charts inserted, table escaped")
    func simulatorPage() {
        let html = renderer.render(Samples.simulator, chrome: Samples.chrome)
        #expect(html.contains("name=\"lever\" value=\"full-ban\" checked"))
        #expect(html.contains("name=\"lever\" value=\"tier2-caps\">"))
        #expect(html.contains("max=\"2000\""))
        #expect(html.contains("<rect width=\"1\" height=\"1\"/>"), "chart SVG inserted as markup")
        #expect(html.contains("<td>0.53 [0.08, 1.33]</td>"))
    }

    @Test("login page: a password field for the token, the next path as a hidden field, no nav")
    func loginPage() {
        let html = renderer.render(LoginPage(error: "that token is not valid", next: "/memo/2/P05"), chrome: PageChrome(user: nil, csrfToken: "t"))
        #expect(html.contains("type=\"password\""))
        #expect(html.contains("name=\"next\" value=\"/memo/2/P05\""))
        #expect(html.contains("that token is not valid"))
        #expect(!html.contains("aria-label=\"Main\""))
        let unsafe = renderer.render(LoginPage(next: "//evil.example"), chrome: PageChrome(user: nil, csrfToken: "t"))
        #expect(unsafe.contains("name=\"next\" value=\"/holds\""))
    }

    @Test("rendering is deterministic")
    func deterministic() throws {
        let again = try DashboardRenderer()
        for ((name, a), (_, b)) in zip(Samples.allPages(renderer), Samples.allPages(again)) { #expect(a == b, "\(name)") }
    }

    @Test("static assets: only the bundled names resolve")
    func assets() {
        #expect(DashboardAssets.file(named: "dashboard.css")?.contentType == "text/css; charset=utf-8")
        #expect(DashboardAssets.file(named: "dashboard.js")?.bytes.isEmpty == false)
        #expect(DashboardAssets.file(named: "favicon.svg")?.contentType == "image/svg+xml")
        #expect(DashboardAssets.file(named: "../Package.swift") == nil)
        #expect(DashboardAssets.file(named: "templates/layout.mustache") == nil)
    }

    @Test("routes: row ids are percent-encoded path segments")
    func routes() {
        #expect(DashboardRoutes.memo(run: 2, row: "P05") == "/memo/2/P05")
        #expect(DashboardRoutes.memo(run: 2, row: "a b/c?d") == "/memo/2/a%20b%2Fc%3Fd")
        #expect(DashboardRoutes.holds(status: .escalated) == "/holds?status=escalated")
        #expect(DashboardRoutes.decision(7) == "/holds/7/decision")
    }
}
