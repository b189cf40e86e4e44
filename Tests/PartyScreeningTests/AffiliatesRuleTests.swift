import DiffusionRules
import Foundation
import PartyScreening
import Testing

/// The Affiliates Rule (90 FR 47201, effective 2025-09-29; suspended 2025-11-10 through
/// 2026-11-09; reimposed 2026-11-10 absent an extension, graded low). Parent: Entity List entry
/// "Gulf Gate Shipping Co. LLC" (presumption of denial). The subsidiary is illustrative.
@Suite("The Affiliates Rule")
struct AffiliatesRuleTests {
    let ownership = "owner,owned,share,as_of\nGulf Gate Shipping Co. LLC,Example Data Centre FZE,0.6,2025-06-30\n"

    func row(_ date: String, consignee: String = "Example Data Centre FZE") -> String {
        "id,date,item,quantity,destination,consignee,consignee_hq\nA,\(date),H100,8,IN,\(consignee),IN\n"
    }

    func affiliate(_ d: Determination) -> Bool { d.reasons.contains { $0.code == "party/affiliate" } }

    @Test("60% owned by a listed parent: listed on 2025-10-15, not on 2025-11-15, listed again on 2026-12-01 with a low-confidence warning (enforced)")
    func enforcedTimeline() throws {
        let october = try screen(row("2025-10-15"), regime: "enforced", ownership: ownership)[0]
        #expect(affiliate(october) && october.authorization == .LICENSE && october.reviewPolicy == .presumptionOfDenial)
        let reason = try #require(october.reasons.first { $0.code == "party/affiliate" })
        #expect(reason.text.contains("\"Gulf Gate Shipping Co. LLC\" 60.0%") && reason.citation.contains("90 FR 47201"))
        let hit = try #require(october.partyHits?.first)
        #expect(hit.explanation.basis == "ownership" && hit.entryID == "csl_sample_2019#100")
        #expect(!october.warnings.contains { $0.hasPrefix("low confidence") })

        let november = try screen(row("2025-11-15"), regime: "enforced", ownership: ownership)[0]
        #expect(!affiliate(november) && november.authorization == .NLR && november.partyHits == [])
        #expect(november.warnings.contains { $0.contains("suspended") && $0.contains("not treated as listed") })

        let december2026 = try screen(row("2026-12-01"), regime: "enforced", ownership: ownership)[0]
        #expect(affiliate(december2026) && december2026.reviewPolicy == .presumptionOfDenial)
        #expect(december2026.warnings.contains { $0.hasPrefix("low confidence (ear-2025-09-affiliates)") })
    }

    /// `enforced` and `ai-diffusion-2025` differ on the layer exactly by its enforcement dates: the
    /// framework-as-written regime applies the rule as written (no suspension).
    @Test("enforced and ai-diffusion-2025 differ exactly by the layer's enforcement dates")
    func regimesDifferBySuspension() throws {
        var day = Day("2025-09-01")!
        let last = Day("2027-01-31")!
        var checked = 0
        while day <= last {
            let enforced = affiliate(try screen(row(day.description), regime: "enforced", ownership: ownership)[0])
            let asWritten = affiliate(try screen(row(day.description), regime: "ai-diffusion-2025", ownership: ownership)[0])
            let inEffect = day >= Day("2025-09-29")!
            let suspended = day >= Day("2025-11-10")! && day <= Day("2026-11-09")!
            #expect(asWritten == inEffect, "\(day)")
            #expect(enforced == (inEffect && !suspended), "\(day)")
            day = Day(ordinal: day.ordinal + 9)
            checked += 1
        }
        for boundary in ["2025-09-28", "2025-09-29", "2025-11-09", "2025-11-10", "2026-11-09", "2026-11-10"] {
            let enforced = affiliate(try screen(row(boundary), regime: "enforced", ownership: ownership)[0])
            #expect(enforced == ["2025-09-29", "2025-11-09", "2026-11-10"].contains(boundary), "\(boundary)")
        }
        #expect(checked > 50)
    }

    @Test("Aggregate and indirect ownership count; a minority stake raises Red Flag 29")
    func aggregateIndirectMinority() throws {
        // Two listed owners: 30% + 25% = 55%.
        let aggregate = "owner,owned,share,as_of\nGulf Gate Shipping Co. LLC,Sub A,0.3,2025-01-01\nACTeam Logistics Ltd.,Sub A,0.25,2025-01-01\n"
        #expect(affiliate(try screen(row("2025-10-15", consignee: "Sub A"), regime: "enforced", ownership: aggregate)[0]))
        // Listed parent 60% of B; B 60% of C: C is restricted through B.
        let chain = "owner,owned,share,as_of\nGulf Gate Shipping Co. LLC,Holding B,0.6,2025-01-01\nHolding B,Sub C,0.6,2025-01-01\n"
        let c = try screen(row("2025-10-15", consignee: "Sub C"), regime: "enforced", ownership: chain)[0]
        #expect(affiliate(c) && c.reasons.first { $0.code == "party/affiliate" }!.text.contains("\"Holding B\" 60.0%"))
        // Listed parent 40% of B (B not restricted); B 100% of C: C is not restricted.
        let minorityChain = "owner,owned,share,as_of\nGulf Gate Shipping Co. LLC,Holding B,0.4,2025-01-01\nHolding B,Sub C,1,2025-01-01\n"
        #expect(!affiliate(try screen(row("2025-10-15", consignee: "Sub C"), regime: "enforced", ownership: minorityChain)[0]))
        // 40% direct: Red Flag 29.
        let minority = "owner,owned,share,as_of\nGulf Gate Shipping Co. LLC,Sub D,0.4,2025-01-01\n"
        let d = try screen(row("2025-10-15", consignee: "Sub D"), regime: "enforced", ownership: minority)[0]
        #expect(!affiliate(d) && d.warnings.contains { $0.hasPrefix("red-flag-29") && $0.contains("40.0%") })
    }

    @Test("Ownership counts from its as_of date; the latest record on or before the row's date wins")
    func asOf() throws {
        let records = "owner,owned,share,as_of\nGulf Gate Shipping Co. LLC,Sub E,0.6,2025-10-20\nGulf Gate Shipping Co. LLC,Sub E,0.2,2026-11-20\n"
        #expect(!affiliate(try screen(row("2025-10-15", consignee: "Sub E"), regime: "enforced", ownership: records)[0]))
        #expect(affiliate(try screen(row("2025-10-21", consignee: "Sub E"), regime: "enforced", ownership: records)[0]))
        #expect(!affiliate(try screen(row("2026-12-01", consignee: "Sub E"), regime: "enforced", ownership: records)[0]))
    }
}

@Suite("Part 744 end uses")
struct EndUseTests {
    func screened(_ date: String, _ destination: String, _ endUse: String, item: String = "H100", regime: String = "enforced") throws -> Determination {
        try screen("id,date,item,quantity,destination,consignee,consignee_hq,end_use\nA,\(date),\(item),8,\(destination),C,\(destination),\(endUse)\n",
                   regime: regime, library: nil)[0]
    }

    @Test("Military end use (§ 744.21): its countries need a licence, others do not; Nicaragua from 2024-03-15")
    func military() throws {
        let ve = try screened("2025-06-02", "VE", "military")
        #expect(ve.reasons.contains { $0.code == "end-use/744.21/military-end-use" } && ve.reviewPolicy == .presumptionOfDenial)
        #expect(ve.warnings.contains { $0.hasPrefix("assumption (744.21/military-end-use)") })
        let india = try screened("2025-06-02", "IN", "military")
        #expect(india.authorization == .NLR && india.reasons.contains { $0.code == "end-use/none" })
        #expect(try screened("2024-03-14", "NI", "military").reasons.allSatisfy { !$0.code.hasPrefix("end-use/744.21") })
        #expect(try screened("2024-03-15", "NI", "military").reasons.contains { $0.code == "end-use/744.21/military-end-use-nicaragua" })
    }

    @Test("Supercomputer and advanced-node IC end uses (§ 744.23) per layer: China/Macau in 2022-23, D:5 and Macau from 2023-11-17")
    func supercomputer() throws {
        // RTX 4090 to Venezuela (D:5): no chip licence; § 744.23 as of Nov. 2023 covers D:5.
        let before = try screened("2023-06-01", "VE", "supercomputer", item: "RTX 4090")
        #expect(before.reasons.contains { $0.code == "end-use/none" })
        let after = try screened("2023-12-01", "VE", "supercomputer", item: "RTX 4090")
        #expect(after.authorization == .LICENSE && after.reasons.contains { $0.code == "end-use/744.23/supercomputer" })
        let china2022 = try screened("2023-06-01", "CN", "advanced-node-ic", item: "RTX 4090")
        #expect(china2022.authorization == .LICENSE && china2022.reasons.contains { $0.code == "end-use/744.23/advanced-node-ic-2022" })
    }

    @Test("WMD end uses (§§ 744.2-744.4) need a licence everywhere; stricter review policies are kept")
    func wmd() throws {
        let d = try screened("2025-06-02", "IN", "wmd")
        #expect(d.authorization == .LICENSE && d.reviewPolicy == .caseByCase)
        let russia = try screened("2025-06-02", "RU", "wmd")
        #expect(russia.reviewPolicy == .policyOfDenial) // embargo's policy of denial is stricter
    }
}
