import ComputeMetrics
import Dashboard
import DiffusionRules

/// View models built from the public cases (spec/cases/deals-public.csv and its expected
/// determinations under ai-diffusion-2025), typed in by hand so the tests do not depend on the
/// screening engine.
enum Samples {
    static let chrome = PageChrome(user: SignedInUser(name: "ana.officer", role: .officer), csrfToken: "v1.1767225600.token")

    /// P05: 8,192 H100 SXM (15,832 TPP each) to Yotta Data Services, India, 2025-02-07.
    static var p05: Determination {
        Determination(
            id: "P05", date: Day("2025-02-07")!, regime: "ai-diffusion-2025",
            layers: ["ear-2023-10-advanced-computing", "ai-diffusion-2025"], item: "H100 SXM", eccn: "3A090.a",
            tppPerUnit: TPP(whole: 15_832), tppTotal: TPP(whole: 129_695_744), h100Equivalents: 8192,
            destination: CountryCode("IN")!, destinationTier: 2, consigneeHQTier: 2, licenseRequired: true,
            authorization: .LICENSE, reviewPolicy: .presumptionOfApproval,
            debits: [Debit(cap: .countryAllocation(CountryCode("IN")!), tpp: TPP(whole: 129_695_744))],
            reasons: [Reason(code: "3A090.a.1", text: "3A090.a (3A090.a.1): tpp 15832 TPP (>= 4800)", citation: "ECCN 3A090.a.1 (15 CFR part 774, Supp. 1)"),
                      Reason(code: "aidf/tier2-allocation", text: "Tier 2 destination and headquarters: licence required", citation: "15 CFR 742.6(b)(10)(iii)(B)")],
            warnings: [])
    }

    /// P15: 1,000 RTX 4090 (5,284.8 TPP each) to a consumer electronics distributor in China, 2023-12-28.
    static var p15: Determination {
        Determination(
            id: "P15", date: Day("2023-12-28")!, regime: "ai-diffusion-2025", layers: ["ear-2023-10-advanced-computing"],
            item: "RTX 4090", eccn: "3A090.a", tppPerUnit: TPP(milli: 5_284_800), tppTotal: TPP(milli: 5_284_800_000),
            h100Equivalents: 333.805, destination: CountryCode("CN")!, destinationTier: nil, consigneeHQTier: nil,
            licenseRequired: false, authorization: .NAC, reviewPolicy: nil, debits: [],
            reasons: [Reason(code: "nac", text: "consumer item: NAC notification", citation: "15 CFR 740.8")],
            warnings: ["datacenter design or marketing of RTX 4090 is unknown"])
    }

    static let yotta = RowParties(quantity: 8192, consignee: "Yotta Data Services", consigneeHQ: "IN", ultimateParent: "Yotta Data Services",
                                  exporterCountry: "US")

    static let receipt = LedgerReceipt(sequence: 12, hash: String(repeating: "ab", count: 32), publicKey: String(repeating: "cd", count: 32),
                                       recordedAt: "2026-06-01T09:00:00Z", rulePackSHA256: String(repeating: "ef", count: 32), signature: .valid)

    static func hold(_ determination: Determination = p05, id: Int64 = 1, status: HoldStatus = .open, decision: HoldDecision? = nil) -> HoldSummary {
        HoldSummary(id: id, run: 2, status: status, openedAt: "2026-06-01T09:00:00Z", determination: determination, parties: yotta, decision: decision)
    }

    static func memo(_ determination: Determination = p05, receipt: LedgerReceipt? = receipt) -> MemoPage {
        MemoPage(run: 2, determination: determination, parties: yotta, destinationName: "India", receipt: receipt, hold: hold(determination))
    }

    static let licence = LicenceBalance(
        number: "D-2026-0417", issued: Day("2025-01-20")!, expires: Day("2027-01-19")!, limit: .tpp(TPP(whole: 400_000_000)),
        used: .tpp(TPP(whole: 129_695_744)), reserved: .tpp(.zero), remaining: .tpp(TPP(whole: 270_304_256)), expired: false)

    static var caps: CapsPage {
        CapsPage(asOf: "2026-06-01T09:00:00Z",
                 countryAllocations: [CapBar(cap: "country_allocation/IN", label: "IN India", used: TPP(whole: 256_351_744), limit: TPP(whole: 790_000_000))],
                 lpp: [CapBar(cap: "lpp/Alem.cloud/2025", label: "Alem.cloud 2025", used: TPP(whole: 15_832_000), limit: TPP(whole: 26_900_000))],
                 veuInstalledBases: [CapBar(cap: "Contoso Cloud/AE", label: "Contoso Cloud · AE", used: TPP(whole: 300_000_000), limit: nil)],
                 licences: [licence])
    }

    static var rules: RulesPage {
        let layer = RuleLayer(id: "ai-diffusion-2025", title: "Framework for Artificial Intelligence Diffusion", citation: "90 FR 4544 (Jan. 15, 2025)",
                              effectiveFrom: Day("2025-01-13")!, complianceFrom: Day("2025-05-15")!, enforcedUntil: Day("2025-05-12")!)
        let tiers = TierTable(regime: "ai-diffusion-2025", rows: [
            .init(code: CountryCode("JP")!, name: "Japan", tier: 1, groups: ["A:5"]),
            .init(code: CountryCode("IN")!, name: "India", tier: 2, groups: []),
            .init(code: CountryCode("CN")!, name: "China", tier: 3, groups: ["D:1", "D:5"]),
        ])
        return RulesPage(asOf: Day("2025-06-01")!, regimes: ["ai-diffusion-2025", "enforced"], tiers: tiers, layers: [layer],
                         diffA: "enforced", diffB: "ai-diffusion-2025")
    }

    static var simulator: SimulatorPage {
        SimulatorPage(levers: [SimulatorLever(id: "tier2-caps", title: "Tier-2 country caps"), SimulatorLever(id: "full-ban", title: "Full ban")],
                      request: SimulatorRequest(levers: ["full-ban"], draws: 500, seed: 20_260_101),
                      result: SimulatorResult(summary: "500 draws", charts: [SimulatorChart(title: "Levers", svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>")],
                                              table: ResultTable(caption: "Levers vs baseline", header: ["lever", "months"], rows: [["full-ban", "0.53 [0.08, 1.33]"]])))
    }

    /// Every page once, with the sample view models.
    static func allPages(_ renderer: DashboardRenderer) -> [(String, String)] {
        [
            ("login", renderer.render(LoginPage(), chrome: PageChrome(user: nil, csrfToken: chrome.csrfToken))),
            ("holds", renderer.render(HoldsPage(filter: .open, counts: [.open: 1], holds: [hold()]), chrome: chrome)),
            ("hold", renderer.render(HoldDetailPage(hold: hold(), memo: memo(), licences: [licence], canDecide: true), chrome: chrome)),
            ("memo", renderer.render(memo(), chrome: chrome)),
            ("caps", renderer.render(caps, chrome: chrome)),
            ("rules", renderer.render(rules, chrome: chrome)),
            ("simulator", renderer.render(simulator, chrome: chrome)),
            ("error", renderer.render(ErrorPage(status: 404, message: "no hold 99"), chrome: chrome)),
        ]
    }
}

extension String {
    func occurrences(of needle: String) -> Int { components(separatedBy: needle).count - 1 }
}
