import DiffusionModel
import Foundation
import Simulation
import SimulationReport
import Testing

/// The answer in one table, on a full run: every bundled lever plus the built-in rule-pack lever,
/// four domains, 10,000 draws (no robustness runs here; DeterminismTests covers them).
@Suite struct WhereToSlowTests {
    static let output: SimulationOutput = {
        var options = SimulationOptions()
        options.draws = 10_000; options.seed = 20_260_101; options.robustnessSeeds = []
        return try! SimulationRunner.run(options)
    }()

    /// Issue 8 must-show: China, Russia, India and the rest of the world no longer share one lag.
    @Test func followersNoLongerShareOneLag() {
        let v = Self.output.view
        let lags = [Actor.cn, .ru, .india, .row].map { v.lagBand(0, 2027, $0).p50 }
        #expect(lags[0] < lags[1] - 1 && lags[1] < lags[2] - 0.5, "2027 P50 lags CN, RU, IN, ROW: \(lags)")
        // India and the rest of the world differ draw by draw (adoption and friction with Chinese weights).
        let r = Self.output.result
        let india = r.calibrated.column(r.layout.lag(0, r.calendar.yearIndex(2027)!, .india, domain: 0))
        let row = r.calibrated.column(r.layout.lag(0, r.calendar.yearIndex(2027)!, .row, domain: 0))
        #expect(zip(india, row).filter { abs($0 - $1) > 0.01 }.count > india.count * 9 / 10)
    }

    /// ... and the levers bought for them differ: the top lever per domain is not the same for all
    /// four, and a lever's months differ between China and Russia.
    @Test func theLeversBoughtForThemDiffer() {
        let top = LeverRanking.topLevers(Self.output.view.whereToSlow)
        let profiles = ["CN", "RU", "IN", "ROW"].map { a in Self.output.view.domainIDs.map { top["\(a)|\($0)"]! } }
        #expect(Set(profiles.map { $0.joined(separator: ",") }).count >= 3, "\(profiles)")
        let v = Self.output.view
        let s = v.result.scenarioNames.firstIndex(of: "publication-norms")!
        #expect(abs(v.monthsBought(s, 2027, .cn).p50 - v.monthsBought(s, 2027, .ru).p50) > 0.02)
    }

    /// Issue 8 must-show: durability and where_to_slow filled for at least four domains.
    @Test func durabilityAndRankingFilledForFourDomains() throws {
        let v = Self.output.view
        #expect(v.domainIDs.count >= 4)
        let levers = v.result.scenarioNames.count - 1
        for domain in v.domainIDs {
            let rows = v.durability.filter { $0.domain == domain }
            #expect(rows.count == levers * 6, "\(domain)")
            #expect(rows.contains { $0.lastYearAtLeast1Month != nil }, "no lever lasts a year at >= 1 month in \(domain)")
            #expect(v.whereToSlow.contains { $0.domain == domain && $0.rank == 1 }, "nothing ranked in \(domain)")
        }
        // summary.json carries both, with the documented keys.
        let json = try JSONSerialization.jsonObject(with: Data(SummaryJSON.render(v).utf8)) as! [String: Any]
        let durability = json["durability"] as! [[String: Any]], ranking = json["where_to_slow"] as! [[String: Any]]
        #expect(Set(durability.map { $0["domain"] as! String }).count >= 4)
        #expect(Set(ranking.filter { $0["rank"] is Int }.map { $0["domain"] as! String }).count >= 4)
        for key in ["lever", "actor", "domain", "last_year_at_least_1_month"] { #expect(durability[0].keys.contains(key)) }
        for key in ["actor", "domain", "lever", "rank", "months_per_10b_p50", "robust"] { #expect(ranking[0].keys.contains(key)) }
        let checks = json["checks"] as! [[String: Any]]
        for key in ["id", "calibrated_p50", "held_out_p50", "pass", "held_out_pass"] { #expect(checks[0].keys.contains(key)) }
        let open = json["open_frontier"] as! [[String: Any]]
        #expect(open.first!["year"] as! Int == 2023 && (open.first!["origin_share"] as! [String: Any]).keys.contains("CN"))
        let lever = (json["levers"] as! [[String: Any]])[0]
        for key in ["lever", "actor", "domain", "year", "months_p10", "months_p50", "months_p90"] { #expect(lever.keys.contains(key)) }
    }

    /// The ranking's order is its P50 months per $10B, and only `lever` kinds are ranked.
    @Test func rankingFollowsMonthsPer10BAndKinds() {
        for w in Self.output.view.whereToSlow where w.rank != nil { #expect(w.kind == .lever) }
        let groups = Dictionary(grouping: Self.output.view.whereToSlow.filter { $0.rank != nil }) { "\($0.actor)|\($0.domain)" }
        for (_, rows) in groups {
            let sorted = rows.sorted { $0.rank! < $1.rank! }
            for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(a.monthsPer10B!.p50 >= b.monthsPer10B!.p50) }
        }
    }

    /// report.html opens with the answer: the where-to-slow table comes before the checks.
    @Test func reportOpensWithWhereToSlow() {
        let html = HTMLReport.render(Self.output.view)
        let w = html.range(of: "id=\"where-to-slow\"")!, c = html.range(of: "Hindcast checks")!
        #expect(w.lowerBound < c.lowerBound)
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src=\"http"), "self-contained, no CDN")
    }
}
