import DiffusionRules
import RuleData
import Testing

func code(_ text: String) -> CountryCode { CountryCode(text)! }

@Suite("Country Groups on a date (Supplement No. 1 to part 740 and dated changes)")
struct CountryGroupTests {
    let groups = book.groups

    @Test("Nicaragua enters D:5 on 2024-03-15 (FR Doc 2024-05696)")
    func nicaragua() {
        #expect(!groups.isMember(code("NI"), of: "D:5", on: Day("2024-03-14")!))
        #expect(groups.isMember(code("NI"), of: "D:5", on: Day("2024-03-15")!))
        #expect(groups.isMember(code("NI"), of: "B", on: Day("2024-03-14")!))
        #expect(!groups.isMember(code("NI"), of: "B", on: Day("2024-03-15")!))
    }

    @Test("Cyprus leaves D:5 on its legal date 2023-10-01 (ITAR § 126.1), not the table date 2024-05-30")
    func cyprus() {
        #expect(groups.isMember(code("CY"), of: "D:5", on: Day("2023-09-30")!))
        #expect(!groups.isMember(code("CY"), of: "D:5", on: Day("2023-10-01")!))
    }

    @Test("Cambodia leaves D:5 on 2025-11-07 (ITAR rule 90 FR 50489) and stays in D:1")
    func cambodia() {
        #expect(groups.isMember(code("KH"), of: "D:5", on: Day("2025-11-06")!))
        #expect(!groups.isMember(code("KH"), of: "D:5", on: Day("2025-11-07")!))
        #expect(groups.isMember(code("KH"), of: "D:1", on: Day("2026-03-01")!))
    }

    @Test("Cambodia's tier under the framework: Tier 3 on 2025-11-06, Tier 2 on 2025-11-07")
    func cambodiaTier() {
        #expect(aiDiffusion.tier(of: code("KH"), on: Day("2025-11-06")!) == 3)
        #expect(aiDiffusion.tier(of: code("KH"), on: Day("2025-11-07")!) == 2)
    }

    @Test("Tiers: Supplement No. 5(a) has 19 destinations incl. the US; China, Macau and Hong Kong are Tier 3")
    func tiers() {
        let day = Day("2025-06-01")!
        let tier1 = aiDiffusion.members(ofSet: "supp5a", on: day) ?? []
        #expect(tier1.count == 19)
        #expect(aiDiffusion.tier(of: code("US"), on: day) == 1)
        #expect(aiDiffusion.tier(of: code("TW"), on: day) == 1)
        #expect(aiDiffusion.tier(of: code("CN"), on: day) == 3)
        #expect(aiDiffusion.tier(of: code("MO"), on: day) == 3)
        #expect(aiDiffusion.tier(of: code("HK"), on: day) == 3)
        #expect(aiDiffusion.tier(of: code("IN"), on: day) == 2)
        #expect(aiDiffusion.tier(of: code("IL"), on: day) == 2)
        #expect(aiDiffusion.tier(of: code("PL"), on: day) == 2)
        // No tiers before the framework's effective date, and never under `enforced`.
        #expect(aiDiffusion.tier(of: code("CN"), on: Day("2025-01-12")!) == nil)
        #expect(enforced.tier(of: code("CN"), on: day) == nil)
    }

    @Test("The AI Diffusion layer is never applied under `enforced` (compliance 2025-05-15, enforcement ended 2025-05-13)")
    func neverEnforced() {
        var day = Day("2025-01-01")!
        while day < Day("2026-12-31")! {
            #expect(!enforced.layerIDs(on: day).contains("ai-diffusion-2025"))
            day = Day(ordinal: day.ordinal + 7)
        }
        #expect(aiDiffusion.layerIDs(on: Day("2025-01-13")!).contains("ai-diffusion-2025"))
        #expect(!aiDiffusion.layerIDs(on: Day("2025-01-12")!).contains("ai-diffusion-2025"))
    }

    @Test("Common mistakes get a hint: UK -> GB, USA -> US, China -> CN")
    func hints() {
        #expect(book.registry.suggestion(for: "UK") == code("GB"))
        #expect(book.registry.suggestion(for: "USA") == code("US"))
        #expect(book.registry.suggestion(for: "China") == code("CN"))
    }

    @Test("Dates are strict YYYY-MM-DD calendar dates")
    func dates() {
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2025-02-29") == nil)
        #expect(Day("2025-13-01") == nil)
        #expect(Day("2025-1-01") == nil)
        #expect(Day("2025-01-13")!.description == "2025-01-13")
        #expect(Day("1970-01-01")!.ordinal == 0)
    }
}
