import ComplianceService
import Foundation
import PartyLists
import PartyMatching
import PartyScreening
import RuleData
import Screening
import TabularIO
import Testing

/// The service screens parties (part 744) as `screen --parties` does: the same stage in dry runs and
/// commits, held rows for list matches, end uses screened without any list.
struct PartyScreeningServiceTests {
    static let lists = ["csl_sample_2019.csv", "csl_sample_2025.csv", "bis_denied_persons_list_2022.tsv"]
        .map { repository + "/data/parties/lists/" + $0 }

    func service(parties: PartyScreeningSetup) throws -> ComplianceService {
        let location = FileManager.default.temporaryDirectory.appendingPathComponent("svc-parties-\(UUID()).sqlite").path
        return try ComplianceService(book: rules, ledger: location, create: true, parties: parties, clock: { "2026-06-01T09:00:00Z" })
    }

    func dryRun(_ service: ComplianceService, _ input: ScreeningInput, regime: String) throws -> [String] {
        let sink = ByteSink.memory()
        try service.screen(input, regime: try service.regime(regime), format: .jsonl, sink: sink)
        return sink.text.split(separator: "\n").map(String.init)
    }

    @Test("An Entity List consignee (81 FR 40174, presumption of denial) is held; the dry run and the commit give the same bytes")
    func listedConsigneeHeld() throws {
        let library = try ListFiles.load(Self.lists, catalog: try PartyMatchingData.listCatalog(), registry: rules.registry,
                                         configuration: try PartyMatchingData.configuration())
        let service = try service(parties: PartyScreeningSetup(library: library))
        let path = repository + "/examples/parties/deals-parties.csv"
        let dry = try dryRun(service, try ScreeningInput(path: path, book: rules), regime: "enforced")
        let result = try service.commit(try ScreeningInput(path: path, book: rules), regime: try service.regime("enforced"),
                                        requestKey: nil, by: nil)
        #expect(result.json == dry)
        let r01 = try #require(result.determinations?.first { $0.id == "R01" })
        #expect(r01.licenseRequired && r01.reviewPolicy?.rawValue == "presumption_of_denial")
        #expect(r01.reasons.contains { $0.citation.contains("81 FR 40174") })
        #expect(r01.partyHits?.first?.list == "entity_list" && r01.partyHits?.first?.decision == "match")
        // "Gulf Eagle Trading LLC" shares words with listed Gulf Eagle companies: not a match.
        let r06 = try #require(result.determinations?.first { $0.id == "R06" })
        #expect(r06.partyHits?.allSatisfy { $0.decision != "match" } ?? false)
        #expect(result.holds.count == result.determinations?.filter(\.licenseRequired).count)
    }

    @Test("Without lists the service still screens declared end uses (15 CFR 744.21: military end use in Venezuela) and adds no party_hits")
    func endUsesWithoutLists() throws {
        let service = try service(parties: .none)
        let lines = try dryRun(service, try ScreeningInput(path: repository + "/examples/parties/deals-parties.csv", book: rules),
                               regime: "enforced")
        let r11 = try #require(lines.first { $0.hasPrefix("{\"id\":\"R11\"") })
        #expect(r11.contains("\"authorization\":\"LICENSE\"") && r11.contains("744.21"))
        #expect(!lines.contains { $0.contains("party_hits") })
    }
}
