import ComputeMetrics
import DiffusionRules
import Foundation
import Screening
import Testing

/// The publicly reported deals of `../shared/spec/cases/` (copied to examples/ and Tests/Fixtures/cases/).
@Suite("Public cases reproduce the expected determinations")
struct PublicCasesTests {
    struct Expected {
        var id: String
        var object: [String: Any]
    }

    func expected(_ file: String) throws -> [Expected] {
        let text = try String(contentsOfFile: repositoryRoot + "/Tests/Fixtures/cases/" + file, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return Expected(id: object["id"] as! String, object: object)
        }
    }

    func check(_ determinations: [Determination], against expected: [Expected]) {
        #expect(determinations.count == expected.count)
        for (d, e) in zip(determinations, expected) {
            #expect(d.id == e.id)
            let o = e.object
            #expect(d.eccn == o["eccn"] as? String, "\(d.id) eccn")
            #expect(d.licenseRequired == o["license_required"] as? Bool, "\(d.id) license_required")
            #expect(d.authorization.rawValue == o["authorization"] as? String, "\(d.id) authorization")
            #expect(d.reviewPolicy?.rawValue == o["review_policy"] as? String, "\(d.id) review_policy")
            #expect(d.destinationTier == (o["destination_tier"] as? NSNumber)?.intValue, "\(d.id) destination_tier")
            #expect(d.consigneeHQTier == (o["consignee_hq_tier"] as? NSNumber)?.intValue, "\(d.id) consignee_hq_tier")
            let total = (o["tpp_total"] as! NSNumber).doubleValue
            #expect(abs((d.tppTotal?.value ?? 0) - total) <= 0.01 * total, "\(d.id) tpp_total")
            let debits = o["debits"] as! [[String: Any]]
            #expect(d.debits.map(\.cap.name) == debits.map { $0["cap"] as! String }, "\(d.id) debit caps")
            for (debit, expectedDebit) in zip(d.debits, debits) {
                let tpp = (expectedDebit["tpp"] as! NSNumber).doubleValue
                #expect(abs(debit.tpp.value - tpp) <= 0.01 * tpp, "\(d.id) debit tpp")
            }
        }
    }

    func deals() throws -> String {
        try String(contentsOfFile: repositoryRoot + "/examples/deals-2023-2026.csv", encoding: .utf8)
    }

    @Test("deals 2023-2026 under `enforced`")
    func enforcedRegime() throws {
        check(try screen(try deals(), regime: "enforced"), against: try expected("deals-public.expected.enforced.jsonl"))
    }

    @Test("deals 2023-2026 under `ai-diffusion-2025`")
    func aiDiffusionRegime() throws {
        check(try screen(try deals(), regime: "ai-diffusion-2025"), against: try expected("deals-public.expected.ai-diffusion-2025.jsonl"))
    }

    @Test("UVEU case with the Contoso fleet seeded (Supp. 10 to part 748 ¶6 limits)")
    func uveu() throws {
        let fleet = try String(contentsOfFile: repositoryRoot + "/examples/fleet-contoso.csv", encoding: .utf8)
        var base: [CountryCode: TPP] = [:]
        for line in fleet.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",")
            base[CountryCode(String(cells[1]))!] = TPP(parsing: cells[2])!
        }
        let snapshot = CapSnapshot(installedBase: ["Contoso Cloud": base])
        let csv = try String(contentsOfFile: repositoryRoot + "/examples/uveu-2025.csv", encoding: .utf8)
        check(try screen(csv, regime: "ai-diffusion-2025", snapshot: snapshot),
              against: try expected("uveu-public.expected.ai-diffusion-2025.jsonl"))
    }

    @Test("Same input and pack give byte-identical output")
    func determinism() throws {
        func render() throws -> String {
            try screen(try deals(), regime: "ai-diffusion-2025").map(ScreeningRun.jsonLine).joined(separator: "\n")
        }
        let first = try render()
        #expect(first == (try render()))
        #expect(first.contains("\"authorization\":\"LPP\""))
    }

    @Test("jsonl fields appear in the order of screening.md §6")
    func fieldOrder() throws {
        let line = ScreeningRun.jsonLine(try screen(try deals(), regime: "enforced")[0])
        let keys = ["id", "date", "regime", "layers", "item", "eccn", "tpp_per_unit", "tpp_total", "h100_equivalents",
                    "destination", "destination_tier", "consignee_hq_tier", "license_required", "authorization",
                    "review_policy", "debits", "reasons", "warnings"]
        let positions = keys.map { line.range(of: "\"\($0)\":")!.lowerBound }
        #expect(positions == positions.sorted())
    }
}
