import ComputeMetrics
import Dashboard
import DiffusionRules
import Testing

/// Every value a page shows goes through HTML escaping: a hostile string placed in every text
/// field of every view model never reaches the output as markup.
@Suite("Dashboard escaping")
struct EscapingTests {
    /// Closes an attribute, opens a script, and carries every character HTML escaping must replace.
    static let hostile = "\"'><script>alert(1)</script><img src=x onerror=alert(2)>&amp;"
    static let escaped = "&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&amp;amp;"

    let renderer: DashboardRenderer
    init() throws { renderer = try DashboardRenderer() }

    static var determination: Determination {
        var d = Samples.p05
        d.id = hostile
        d.regime = hostile
        d.layers = [hostile]
        d.item = hostile
        d.eccn = hostile
        d.reasons = [Reason(code: hostile, text: hostile, citation: hostile)]
        d.warnings = [hostile]
        d.debits = [Debit(cap: .lpp(parent: hostile, year: 2025), tpp: TPP(whole: 1))]
        return d
    }

    static var parties: RowParties {
        RowParties(quantity: 1, consignee: hostile, consigneeHQ: hostile, ultimateParent: hostile, exporterCountry: hostile, veu: hostile, endUse: hostile)
    }

    static var chrome: PageChrome {
        PageChrome(user: SignedInUser(name: hostile, role: .officer), csrfToken: hostile, notice: Notice(.error, hostile))
    }

    func pages() -> [(String, String)] {
        let h = EscapingTests.hostile
        let receipt = LedgerReceipt(sequence: 1, hash: h, publicKey: h, recordedAt: h, rulePackSHA256: h, signature: .invalid(h))
        let decision = HoldDecision(action: .release, decidedBy: h, decidedAt: h, licenceNumber: h, note: h)
        let hold = HoldSummary(id: 1, run: 2, status: .released, openedAt: h, determination: EscapingTests.determination,
                               parties: EscapingTests.parties, decision: decision)
        let openHold = HoldSummary(id: 1, run: 2, status: .open, openedAt: h, determination: EscapingTests.determination, parties: EscapingTests.parties)
        let memo = MemoPage(run: 2, determination: EscapingTests.determination, parties: EscapingTests.parties, destinationName: h,
                            receipt: receipt, hold: hold)
        let licence = LicenceBalance(number: h, issued: Day("2025-01-01")!, expires: Day("2026-01-01")!, limit: .units(10),
                                     used: .units(1), reserved: .units(0), remaining: .units(9), expired: false)
        let bar = CapBar(cap: h, label: h, used: TPP(whole: 1), limit: TPP(whole: 2))
        let form = DecisionFormValues(action: "release", licenceNumber: h, licenceIssued: h, licenceExpires: h, limitTPP: h, limitUnits: h, note: h)
        let layer = RuleLayer(id: h, title: h, citation: h, effectiveFrom: Day("2025-01-13")!)
        let rules = RulesPage(asOf: Day("2025-06-01")!, regimes: [h], tiers: TierTable(regime: h, rows: [.init(code: CountryCode("CN")!, name: h, tier: 3, groups: [h])]),
                              layers: [layer], diffA: h, diffB: h, diffError: h)
        let simulator = SimulatorPage(levers: [SimulatorLever(id: h, title: h)], request: SimulatorRequest(levers: [h], draws: 1, seed: 1), error: h)
        var withResult = simulator
        withResult.result = SimulatorResult(summary: h, charts: [SimulatorChart(title: h, svg: "<svg></svg>")],
                                            table: ResultTable(caption: h, header: [h], rows: [[h]]), notes: [h])
        let chrome = EscapingTests.chrome
        return [
            ("login", renderer.render(LoginPage(error: h, next: "/" + h), chrome: chrome)),
            ("holds", renderer.render(HoldsPage(filter: nil, counts: [:], holds: [hold, openHold]), chrome: chrome)),
            ("hold", renderer.render(HoldDetailPage(hold: openHold, memo: memo, licences: [licence], canDecide: true, form: form, formError: h), chrome: chrome)),
            ("decided hold", renderer.render(HoldDetailPage(hold: hold, memo: memo, licences: [licence], canDecide: true), chrome: chrome)),
            ("memo", renderer.render(memo, chrome: chrome)),
            ("caps", renderer.render(CapsPage(asOf: h, countryAllocations: [bar], lpp: [bar], veuInstalledBases: [bar], licences: [licence]), chrome: chrome)),
            ("rules", renderer.render(rules, chrome: chrome)),
            ("simulator", renderer.render(simulator, chrome: chrome)),
            ("simulator result", renderer.render(withResult, chrome: chrome)),
            ("error", renderer.render(ErrorPage(status: 400, message: h), chrome: chrome)),
        ]
    }

    @Test("a hostile string in every field never appears unescaped, on any page")
    func hostileEverywhere() {
        for (name, html) in pages() {
            #expect(!html.contains("<script>alert"), "\(name): no script from a value")
            #expect(!html.contains("<img src=x"), "\(name): no element from a value")
            #expect(!html.contains("\"'>"), "\(name): no attribute closed by a value")
            #expect(html.contains(EscapingTests.escaped), "\(name): the value is shown, escaped")
        }
    }

    @Test("values inside attributes stay inside them")
    func attributes() {
        let html = pages().first { $0.0 == "hold" }!.1
        #expect(html.contains("name=\"licence_number\" type=\"text\" required maxlength=\"64\" autocomplete=\"off\" list=\"licence-options\" value=\"\(EscapingTests.escaped)\""))
        #expect(html.contains("name=\"csrf\" value=\"\(EscapingTests.escaped)\""))
    }

    @Test("links built from row ids are percent-encoded")
    func links() {
        let html = pages().first { $0.0 == "holds" }!.1
        #expect(html.contains("href=\"/memo/2/%22%27%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E%3Cimg%20src%3Dx%20onerror%3Dalert%282%29%3E%26amp%3B\""))
    }

    @Test("SVG chart labels and tooltips are escaped")
    func charts() {
        let html = pages().first { $0.0 == "caps" }!.1
        #expect(html.contains("<title>\(EscapingTests.escaped): confirmed 1, reserved 0, limit 2 TPP</title>"))
        #expect(!html.contains("<title>\""), "no raw quote opens a title")
    }
}
