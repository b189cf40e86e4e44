import Foundation
import Testing

/// `screen --parties/--ownership` and `parties match|lists|evaluate` end to end (exit codes, stdout/stderr).
@Suite("Parties on the command line")
struct PartiesCommandTests {
    let lists = ["csl_sample_2019.csv", "csl_sample_2025.csv", "bis_denied_persons_list_2022.tsv"].map { "data/parties/lists/" + $0 }

    @Test("screen without --parties: one line on stderr says parties were not screened; output unchanged")
    func notScreened() throws {
        let result = try run(["screen", "examples/deals-2023-2026.csv", "--format", "jsonl"])
        #expect(result.status == 0)
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains("parties were not screened"))
        #expect(!result.stdout.contains("party_hits"))
        let screened = try run(["screen", "examples/deals-2023-2026.csv", "--format", "jsonl"] + lists.flatMap { ["--parties", $0] })
        #expect(screened.status == 0 && screened.stderr.isEmpty)
        let plain = result.stdout.split(separator: "\n"), withHits = screened.stdout.split(separator: "\n")
        #expect(plain.count == 18 && withHits.count == 18)
        for (a, b) in zip(plain, withHits) { #expect(String(a.dropLast()) + ",\"party_hits\":[]}" == String(b)) }
    }

    @Test("screen with lists and ownership: the example deals (docs/parties.md)")
    func example() throws {
        let result = try run(["screen", "examples/parties/deals-parties.csv", "--ownership", "examples/parties/ownership.csv", "--format", "jsonl"]
                             + lists.flatMap { ["--parties", $0] })
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try result.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(rows.count == 12)
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as! String, $0) })
        #expect(byID["R03"]?["review_policy"] as? String == "presumption_of_denial")
        #expect(byID["R08"]?["review_policy"] as? String == "presumption_of_denial")
        #expect(byID["R09"]?["review_policy"] as? String == "presumption_of_approval")
        #expect((byID["R10"]?["warnings"] as? [String])?.contains { $0.hasPrefix("low confidence") } == true)
    }

    @Test("Bad list or ownership file: one line naming file, line, column and value; exit 1; nothing printed")
    func badFiles() throws {
        let list = try temporaryFile("mine.csv", "name,list,start_date\nAlpha,EL,2025-13-01\n")
        let result = try run(["screen", "examples/deals-2023-2026.csv", "--parties", list])
        #expect(result.status == 1 && result.stdout.isEmpty)
        #expect(result.stderr == "error: \(list):2: column \"start_date\": \"2025-13-01\" is not a date in YYYY-MM-DD form\n")
        let ownership = try temporaryFile("own.csv", "owner,owned,share,as_of\nA,B,1.5,2025-01-01\n")
        let bad = try run(["screen", "examples/deals-2023-2026.csv", "--parties", lists[0], "--ownership", ownership])
        #expect(bad.status == 1 && bad.stdout.isEmpty && bad.stderr.split(separator: "\n").count == 1)
        #expect(bad.stderr.contains("\(ownership):2: column \"share\": \"1.5\" must be a fraction in (0, 1]"))
        let deals = try temporaryFile("deals.csv", "id,date,item,quantity,destination,consignee,consignee_hq,end_use\nA,2025-06-01,H100,1,IN,C,IN,spying\n")
        let endUse = try run(["screen", deals])
        #expect(endUse.status == 1 && endUse.stderr.contains("column \"end_use\": \"spying\" must be empty, frontier-training, military, wmd, supercomputer or advanced-node-ic"))
    }

    @Test("Bad usage: --ownership without --parties, parties match without --lists: exit 2")
    func badUsage() throws {
        #expect(try run(["screen", "examples/deals-2023-2026.csv", "--ownership", "examples/parties/ownership.csv"]).status == 2)
        #expect(try run(["parties", "match", "Alpha"]).status == 2)
        #expect(try run(["parties", "match", "Alpha", "--lists", lists[0], "--algorithm", "fuzzy"]).status == 2)
    }

    @Test("parties match prints candidates with scores and explanations; parties lists shows SHA-256 and counts")
    func matchAndLists() throws {
        let match = try run(["parties", "match", "Gulf Gate Shiping Company LLC", "--country", "AE", "--lists"] + lists)
        #expect(match.status == 0)
        #expect(match.stdout.contains("match     entity_list  csl_sample_2019#100  Gulf Gate Shipping Co. LLC"))
        #expect(match.stdout.contains("shiping~shipping"))
        let json = try run(["parties", "match", "Gulf Gate Shiping Company LLC", "--lists"] + lists + ["--format", "json"])
        let array = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        #expect(array.first?["entry_id"] as? String == "csl_sample_2019#100" && (array.first?["features"] as? [Any])?.isEmpty == false)
        let ofac = try run(["parties", "match", "Gulf Gate Shipping Co LLC", "--algorithm", "ofac", "--lists"] + lists)
        #expect(ofac.status == 0 && ofac.stdout.contains("ofac.whole_name_jaro_winkler"))
        let listed = try run(["parties", "lists"] + lists)
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("bis-dpl-tsv") && listed.stdout.contains("dpl 581") && listed.stdout.contains("2022-09-02"))
    }
}
