import ComputeMetrics
import DiffusionRules
import Foundation
import RuleData
import Screening
import Testing

@Suite("Licence determinations")
struct DeterminationTests {
    @Test("Hong Kong is treated as China: Tier 3 and presumption of denial for an H100 (enforced, 2024)")
    func hongKong() throws {
        let rows = "\(header)\nA,2024-06-01,H100,10,HK,Trader,HK\n"
        let d = try screen(rows, regime: "enforced")[0]
        #expect(d.authorization == .LICENSE && d.reviewPolicy == .presumptionOfDenial)
        let aidf = try screen("\(header)\nA,2025-06-01,H100,10,HK,Trader,HK\n", regime: "ai-diffusion-2025")[0]
        #expect(aidf.destinationTier == 3 && aidf.reviewPolicy == .presumptionOfDenial)
        #expect(aidf.destination.description == "HK")
    }

    @Test("Embargoed destinations (E:1, E:2, Russia, Belarus): policy of denial in every regime, for any item",
          arguments: ["IR", "KP", "SY", "CU", "RU", "BY"])
    func embargoes(country: String) throws {
        for regime in ["enforced", "ai-diffusion-2025"] {
            for item in ["H100", "H20", "RTX 4090"] {
                let d = try screen("\(header)\nA,2025-06-01,\(item),1,\(country),Someone,\(country)\n", regime: regime)[0]
                #expect(d.authorization == .LICENSE && d.reviewPolicy == .policyOfDenial, "\(regime) \(item) \(country)")
            }
        }
    }

    @Test("LPP accumulates per ultimate parent and calendar year; 26,900,000 TPP (§ 740.29(d))")
    func lppAccumulation() throws {
        // 1,000 + 699 H100 = 1,699 x 15,832 = 26,898,568 <= 26,900,000; one more H100 does not fit.
        let rows = """
        \(header),ultimate_parent
        A,2025-03-01,H100,1000,MY,Host MY,MY,Host Group
        B,2025-04-01,H100,699,MY,Host MY 2,MY,Host Group
        C,2025-05-01,H100,1,MY,Host MY,MY,Host Group
        D,2026-01-02,H100,1,MY,Host MY,MY,Host Group
        E,2025-05-01,H100,1,MY,Other Host,MY,
        """
        let d = try screen(rows, regime: "ai-diffusion-2025")
        #expect(d[0].authorization == .LPP && d[0].debits.first?.cap.name == "lpp/Host Group/2025")
        #expect(d[1].authorization == .LPP && d[1].debits.first?.tpp == TPP(whole: 699 * 15_832))
        #expect(d[2].authorization == .LICENSE, "the parent's 2025 LPP total is used up")
        #expect(d[2].debits.first?.cap.name == "country_allocation/MY")
        #expect(d[3].authorization == .LPP && d[3].debits.first?.cap.name == "lpp/Host Group/2026", "a new calendar year")
        #expect(d[4].authorization == .LPP && d[4].debits.first?.cap.name == "lpp/Other Host/2025", "default parent: the consignee")
    }

    @Test("A shipment is never split: 1,700 H100 (26,914,400 TPP) gets no LPP at all")
    func neverSplit() throws {
        let d = try screen("\(header)\nA,2025-03-01,H100,1700,MY,Host,MY\n", regime: "ai-diffusion-2025")[0]
        #expect(d.authorization == .LICENSE)
        #expect(d.debits.map(\.cap.name) == ["country_allocation/MY"])
        #expect(d.debits[0].tpp == TPP(whole: 1700 * 15_832))
    }

    @Test("Allocation exhaustion: 790,000,000 TPP per Tier 2 country; a shipment that does not fit gets policy of denial")
    func allocationExhaustion() throws {
        // Every shipment is over the LPP limit, so each draws on the IN allocation:
        // 48,000 H100 = 759,936,000; +2,000 = 791,600,000 > 790,000,000 (denied); +1,800 = 788,433,600 fits;
        // +1,750 = 816,139,600 does not.
        let rows = """
        \(header)
        A,2025-03-01,H100,48000,IN,Cloud A,IN
        B,2025-04-01,H100,2000,IN,Cloud B,IN
        C,2025-05-01,H100,1800,IN,Cloud C,IN
        D,2025-05-02,H100,1750,IN,Cloud D,IN
        """
        let d = try screen(rows, regime: "ai-diffusion-2025")
        #expect(d[0].reviewPolicy == .presumptionOfApproval && d[0].debits[0].tpp == TPP(whole: 759_936_000))
        #expect(d[1].reviewPolicy == .policyOfDenial && d[1].debits.isEmpty)
        #expect(d[2].reviewPolicy == .presumptionOfApproval && d[2].debits[0].cap.name == "country_allocation/IN")
        #expect(d[3].reviewPolicy == .policyOfDenial)
    }

    @Test("The allocation starts from the ledger's balance (dry run against a snapshot)")
    func allocationFromLedger() throws {
        let snapshot = CapSnapshot(countryAllocation: [CountryCode("IN")!: TPP(whole: 789_000_000)])
        let d = try screen("\(header)\nA,2025-03-01,H100,2000,IN,Cloud,IN\n", regime: "ai-diffusion-2025", snapshot: snapshot)[0]
        #expect(d.reviewPolicy == .policyOfDenial)
    }

    @Test("After 2027 no allocation is defined: case by case, with a warning")
    func afterWindow() throws {
        let d = try screen("\(header)\nA,2028-01-03,H100,5000,IN,Cloud,IN\n", regime: "ai-diffusion-2025")[0]
        #expect(d.authorization == .LICENSE && d.reviewPolicy == .caseByCase && d.debits.isEmpty)
        #expect(d.warnings.contains { $0.contains("no country allocation") })
    }

    @Test("H20: licence from 2025-04-15 to China; presumption of denial, then case by case from 2025-08-08")
    func h20() throws {
        let rows = """
        \(header)
        A,2025-04-14,H20,100,CN,Buyer,CN
        B,2025-04-15,H20,100,CN,Buyer,CN
        C,2025-08-07,H20,100,CN,Buyer,CN
        D,2025-08-08,H20,100,CN,Buyer,CN
        E,2025-08-08,H20,100,VN,Buyer,VN
        """
        let d = try screen(rows, regime: "enforced")
        #expect(d[0].authorization == .NLR)
        #expect(d[1].reviewPolicy == .presumptionOfDenial)
        #expect(d[2].reviewPolicy == .presumptionOfDenial)
        #expect(d[3].reviewPolicy == .caseByCase)
        #expect(d[4].authorization == .NLR, "Vietnam is not in the is-informed scope")
    }

    @Test("H200 rule (91 FR 1684): case by case from the US; presumption of denial from abroad or above 21,000 TPP")
    func h200() throws {
        let rows = """
        \(header),exporter_country
        A,2026-02-01,H200,100,CN,Buyer,CN,US
        B,2026-02-01,H200,100,CN,Buyer,CN,SG
        C,2026-02-01,B200,100,CN,Buyer,CN,US
        D,2026-01-14,H200,100,CN,Buyer,CN,US
        """
        let d = try screen(rows, regime: "enforced")
        #expect(d[0].reviewPolicy == .caseByCase)
        #expect(d[1].reviewPolicy == .presumptionOfDenial)
        #expect(d[2].reviewPolicy == .presumptionOfDenial, "B200: 36,000 TPP is not below 21,000")
        #expect(d[3].reviewPolicy == .presumptionOfDenial, "before 2026-01-15")
    }

    @Test("Tier 1 destination and headquarters: AIA; Tier 1 HQ in Tier 2 without VEU: licence, presumption of approval, no debit")
    func tier1() throws {
        let rows = """
        \(header)
        A,2025-06-01,B200,5000,DE,Cloud DE,US
        B,2025-06-01,B200,5000,BR,Cloud BR,US
        C,2025-06-01,B200,5000,DE,Cloud DE,CN
        """
        let d = try screen(rows, regime: "ai-diffusion-2025")
        #expect(d[0].authorization == .AIA && d[0].debits.isEmpty && !d[0].licenseRequired)
        #expect(d[1].authorization == .LICENSE && d[1].reviewPolicy == .presumptionOfApproval && d[1].debits.isEmpty)
        #expect(d[2].reviewPolicy == .presumptionOfDenial, "consignee headquartered in Tier 3")
    }

    @Test("Red flag 28: frontier training for a party headquartered outside Tier 1 warns")
    func redFlag() throws {
        let rows = "\(header),end_use\nA,2025-06-01,H100,10,MY,Lab,MY,frontier-training\n"
        let d = try screen(rows, regime: "ai-diffusion-2025")[0]
        #expect(d.warnings.contains { $0.hasPrefix("red flag 28") })
    }

    @Test("Non-datacenter 3A090.a under the framework: ACA outside Tier 3, NAC for Tier 3")
    func consumerChips() throws {
        let rows = """
        \(header)
        A,2025-06-01,RTX 4090,100,BR,Shop,BR
        B,2025-06-01,RTX 4090,100,CN,Shop,CN
        """
        let d = try screen(rows, regime: "ai-diffusion-2025")
        #expect(d[0].authorization == .ACA && !d[0].licenseRequired)
        #expect(d[1].authorization == .NAC)
    }

    @Test("A user pack that lists a country in Supplement No. 5(b) doubles its allocation (742.6(b)(10)(iii)(C))")
    func supplement5b() throws {
        let pack = """
        id: gulf-g2g
        title: UAE with government-to-government assurances
        extends: ai-diffusion-2025
        layer_overrides:
          ai-diffusion-2025:
            country_sets:
              supp5b:
                countries: [AE]
                source: hypothetical G2G assurances
                confidence: low
        """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gulf-\(UUID()).yaml").path
        try pack.write(toFile: path, atomically: true, encoding: .utf8)
        var customBook = book
        let id = try RuleBookLoader.addPack(at: path, to: &customBook)
        #expect(id == "gulf-g2g")
        // 60,000 H100 = 949,920,000 TPP: over 790M, within 1,580M.
        let rows = "\(header)\nA,2025-06-01,H100,60000,AE,Cloud,AE\nB,2025-06-01,H100,60000,SA,Cloud,SA\n"
        let d = try screen(rows, regime: id, in: customBook)
        #expect(d[0].reviewPolicy == .presumptionOfApproval && d[0].debits.first?.cap.name == "country_allocation/AE")
        #expect(d[0].layers.contains("ai-diffusion-2025+gulf-g2g"))
        #expect(d[1].reviewPolicy == .policyOfDenial)
    }

    @Test("A pack with an unknown key is rejected with file, line and key")
    func packUnknownKey() throws {
        let pack = """
        id: broken
        title: Broken
        extends: ai-diffusion-2025
        layer_overrides:
          ai-diffusion-2025:
            caps:
              country_allocation:
                limt: {value: 1, unit: TPP, source: x, confidence: low}
        """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID()).yaml").path
        try pack.write(toFile: path, atomically: true, encoding: .utf8)
        var customBook = book
        #expect {
            try RuleBookLoader.addPack(at: path, to: &customBook)
        } throws: { error in
            let text = "\(error)"
            return text.contains(path + ":8:") && text.contains("unknown key \"limt\"")
        }
    }
}
