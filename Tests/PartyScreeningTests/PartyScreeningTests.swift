import DiffusionRules
import Foundation
import PartyScreening
import Screening
import Testing

/// Entity List entries of the 2019 sample used below: "Gulf Gate Shipping Co. LLC" (row 100,
/// 81 FR 40174, licence policy "Presumption of denial."); 2025 sample "China Electronics Technology
/// Group Corporation 13th Research Institute (CETC 13)" (row 12, 83 FR 37423; 87 FR 77505, "Policy
/// of denial ...", foreign-direct-product footnote 3: § 734.9(g)).
@Suite("Parties in screen")
struct PartyScreeningTests {
    let header = "id,date,item,quantity,destination,consignee,consignee_hq"

    @Test("A listed entity under a name variant gets LICENSE under the entry's policy, citing its FR notice, with an explained hit",
          arguments: ["GULF GATE SHIPPING CO. LLC", "Gulf Gate Shipping Company L.L.C.", "Shipping Gulf Gate Co LLC", "Gulf Gate Shiping Co. LLC"])
    func listedVariant(name: String) throws {
        // India, June 2025, enforced: the chip rules alone give NLR.
        let csv = "\(header)\nA,2025-06-02,H100,8,IN,\(name),AE\n"
        let chip = try screenChipOnly(csv, regime: "enforced")[0]
        #expect(chip.authorization == .NLR)
        let d = try screen(csv, regime: "enforced")[0]
        #expect(d.authorization == .LICENSE && d.licenseRequired)
        #expect(d.reviewPolicy == .presumptionOfDenial) // the entry's "Presumption of denial."
        let reason = try #require(d.reasons.first { $0.code == "party/entity_list" })
        #expect(reason.citation.contains("81 FR 40174") && reason.citation.contains("744.11"))
        #expect(d.reasons.contains { $0.code == "no-licence-requirement" }, "the chip rules' reason is kept")
        let hit = try #require(d.partyHits?.first)
        #expect(hit.partyRole == "consignee" && hit.list == "entity_list" && hit.entryID == "csl_sample_2019#100" && hit.decision == "match")
        #expect(hit.explanation.basis == "name" && hit.explanation.matched == "Gulf Gate Shipping Co. LLC" && !hit.explanation.features.isEmpty)
    }

    @Test("An alias match applies the entry's own policy (policy of denial) and names its foreign-direct-product footnote")
    func aliasPolicyAndFootnote() throws {
        let d = try screen("\(header)\nA,2025-06-02,H100,8,CN,Hebei Semiconductor Research Institute,CN\n", regime: "enforced")[0]
        #expect(d.reviewPolicy == .policyOfDenial) // chip rules: presumption of denial; the entry: policy of denial
        let reason = try #require(d.reasons.first { $0.code == "party/entity_list" })
        #expect(reason.text.contains("734.9(g) (footnote 3)"))
        #expect(reason.citation.contains("83 FR 37423"))
        #expect(d.reasons.contains { $0.code == "ac2023/d5-macau" } && d.reasons.contains { $0.code == "part744/stricter-wins" })
    }

    @Test("A different company with a similar name is not matched: at most a review hit with a warning, outcome unchanged")
    func similarCompany() throws {
        for name in ["Gulf Eagle Trading LLC", "Gulf Gate Logistics LLC", "China Electronics Technology Group Corporation 14th Research Institute"] {
            let csv = "\(header)\nA,2025-06-02,H100,8,IN,\(name),IN\n"
            let d = try screen(csv, regime: "enforced")[0]
            let chip = try screenChipOnly(csv, regime: "enforced")[0]
            #expect(d.authorization == chip.authorization && d.reviewPolicy == chip.reviewPolicy, "\(name)")
            #expect(d.partyHits?.allSatisfy { $0.decision == "review" } == true, "\(name)")
            for hit in d.partyHits ?? [] {
                #expect(d.warnings.contains { $0.hasPrefix("possible match (review)") && $0.contains(hit.entryID) })
            }
        }
    }

    @Test("A Denied Persons match gives policy_of_denial")
    func deniedPerson() throws {
        // BIS DPL 2022: "ABDULAMIR MAHDI" (row 7), effective 2021-12-30 (list file).
        let d = try screen("\(header)\nA,2022-10-01,H100,8,CA,Abdulamir Mahdi,CA\n", regime: "enforced")[0]
        #expect(d.authorization == .LICENSE && d.reviewPolicy == .policyOfDenial)
        #expect(d.reasons.contains { $0.code == "party/dpl" && $0.citation.contains("736.2(b)(4)") })
    }

    @Test("Entries are screened on the row's date: not before start_date or after end_date")
    func entryDates() throws {
        // Gulf Gate Shipping Co. LLC: start_date 2016-06-21.
        let before = try screen("\(header)\nA,2016-06-20,A100,8,IN,Gulf Gate Shipping Co. LLC,AE\n", regime: "enforced")[0]
        #expect(before.partyHits == [] && before.authorization == .NLR)
        // DPL "JIM ROJAS": expiration 09/08/2026.
        let after = try screen("\(header)\nA,2026-09-09,A100,8,US,Jim Rojas,US\n", regime: "enforced")[0]
        #expect(after.partyHits == [])
    }

    @Test("The other parties of a row are screened: end_user, intermediate_consignee, purchaser")
    func otherRoles() throws {
        let csv = "\(header),end_user,intermediate_consignee,purchaser\nA,2025-06-02,H100,8,IN,Clean Co,IN,,ACTeam Logistics Ltd.,Gulf Gate Shipping Co. LLC\n"
        let d = try screen(csv, regime: "enforced")[0]
        #expect(Set(d.partyHits?.map(\.partyRole) ?? []) == ["intermediate_consignee", "purchaser"])
        #expect(d.authorization == .LICENSE)
    }

    @Test("A listed party cannot use License Exception LPP: the stricter outcome wins and the LPP debit is given back")
    func stricterWinsWithdrawsDebits() throws {
        // ai-diffusion-2025: H200 to Kazakhstan fits LPP (26,900,000 TPP per parent-year).
        let csv = "\(header),ultimate_parent\nA,2025-06-02,H200,1000,KZ,Gulf Gate Shipping Co. LLC,KZ,Parent X\nB,2025-06-03,H200,1000,KZ,Clean Co,KZ,Parent X\n"
        let chip = try screenChipOnly(csv, regime: "ai-diffusion-2025")
        #expect(chip[0].authorization == .LPP && chip[1].authorization == .LICENSE) // 2 x 15,832,000 > 26,900,000
        let d = try screen(csv, regime: "ai-diffusion-2025")
        #expect(d[0].authorization == .LICENSE && d[0].reviewPolicy == .presumptionOfDenial && d[0].debits.isEmpty)
        #expect(d[1].authorization == .LPP, "the first row's LPP debit was withdrawn, so the second fits")
    }

    @Test("Without lists: party_hits is absent, determinations as before; with lists and no match: party_hits is []")
    func absentVersusEmpty() throws {
        let csv = "\(header)\nA,2025-06-02,H100,8,IN,Clean Co,IN\n"
        let without = try screen(csv, regime: "enforced", library: nil)[0]
        #expect(without.partyHits == nil && !jsonLine(without).contains("party_hits"))
        #expect(jsonLine(without) == jsonLine(try screenChipOnly(csv, regime: "enforced")[0]))
        let with = try screen(csv, regime: "enforced")[0]
        #expect(jsonLine(with) == String(jsonLine(without).dropLast()) + ",\"party_hits\":[]}")
    }

    /// Every bundled case (examples/deals-2023-2026.csv, the UVEU case) under both regimes: with
    /// the sample lists loaded and no party matching, each determination is byte-identical to the
    /// chip rules' alone, plus `party_hits: []`.
    @Test("Bundled cases: determinations unchanged when no party matches", arguments: ["enforced", "ai-diffusion-2025"])
    func bundledCasesUnchanged(regime: String) throws {
        for file in ["examples/deals-2023-2026.csv", "examples/uveu-2025.csv"] {
            let csv = try String(contentsOfFile: repositoryRoot + "/" + file, encoding: .utf8)
            let chip = try screenChipOnly(csv, regime: regime)
            let screened = try screen(csv, regime: regime)
            #expect(chip.count == screened.count)
            for (a, b) in zip(chip, screened) {
                #expect(b.partyHits == [], "\(b.id)")
                #expect(String(jsonLine(a).dropLast()) + ",\"party_hits\":[]}" == jsonLine(b), "\(b.id)")
            }
        }
    }
}
