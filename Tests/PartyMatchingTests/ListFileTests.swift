import DiffusionRules
import Foundation
import PartyLists
import PartyScreening
import TabularIO
import Testing

@Suite("List and ownership files")
struct ListFileTests {
    func write(_ name: String, _ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID())-\(name)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func error(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return String(describing: error) }
    }

    @Test("The sample lists load: formats, counts by list, SHA-256, newest start date")
    func samplesLoad() {
        let files = samples.files
        #expect(files.map(\.format) == ["csl-csv", "csl-csv", "bis-dpl-tsv"])
        // shared/data/SOURCES.md: 2019 sample 115 rows (Entity List 22, SDN 28, ...); DPL 581 rows.
        #expect(files[0].entryCount == 115 && files[0].entriesByList.first { $0.list == "entity_list" }?.count == 22)
        #expect(files[0].entriesByList.first { $0.list == "sdn" }?.count == 28)
        #expect(files[1].entryCount == 13)
        #expect(files[2].entryCount == 581)
        #expect(files.allSatisfy { $0.sha256.count == 64 })
        let cetc = samples.entries[entry("csl_sample_2025.csv", 12)]
        #expect(cetc.list == "entity_list" && cetc.startDate == Day("2018-08-01") && cetc.countries == ["CN"])
        #expect(cetc.aliases.contains("CETC Research Institute 13"))
        #expect(cetc.federalRegisterNotice == "83 FR 37423; 87 FR 77505")
    }

    @Test("The CSL JSON form reads the same entries as the CSV form")
    func json() throws {
        let path = try write("csl.json", """
        {"total": 1, "results": [{"id": "99ed", "source": "Entity List (EL) - Bureau of Industry and Security", "name": "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)",
          "addresses": [{"address": "113 Hezuo Road", "city": "Shijiazhuang", "state": "Hebei", "postal_code": null, "country": "CN"}],
          "alt_names": ["Hebei Semiconductor Research Institute", "HSRI"], "programs": [], "federal_register_notice": "83 FR 37423; 87 FR 77505",
          "start_date": "2018-08-01", "end_date": null, "license_requirement": "For all items subject to the EAR.", "license_policy": "Policy of denial", "ids": []}]}
        """)
        let (entries, summary) = try ListFiles.read(path, catalog: catalog, registry: book.registry)
        #expect(summary.format == "csl-json")
        #expect(entries.count == 1 && entries[0].id == "99ed" && entries[0].list == "entity_list")
        #expect(entries[0].countries == ["CN"] && entries[0].aliases == ["Hebei Semiconductor Research Institute", "HSRI"])
        #expect(entries[0].startDate == Day("2018-08-01") && entries[0].endDate == nil)
    }

    @Test("Bad list and ownership files: one line naming file, line, column and value")
    func badInput() throws {
        let csl = try write("csl.csv", "source,name,start_date\nEntity List (EL) - Bureau of Industry and Security,Alpha Ltd.,2019-02-30\n")
        #expect(error { _ = try ListFiles.read(csl, catalog: catalog, registry: book.registry) } == "\(csl):2: column \"start_date\": \"2019-02-30\" is not a date in YYYY-MM-DD form")
        let user = try write("mine.csv", "name,aliases,country,address,list,license_requirement,license_policy,federal_register_notice,start_date,end_date\nAlpha,,CN,,Entity Lists,,,,,\n")
        #expect(error { _ = try ListFiles.read(user, catalog: catalog, registry: book.registry) }?.hasPrefix("\(user):2: column \"list\": \"Entity Lists\" is not a known list") == true)
        let country = try write("mine.csv", "name,list,country\nAlpha,EL,China\n")
        #expect(error { _ = try ListFiles.read(country, catalog: catalog, registry: book.registry) }?.hasPrefix("\(country):2: column \"country\": \"China\"") == true)
        let dpl = try write("dpl.tsv", "\"Name\"\t\"Effective_Date\"\n\"JOHN DOE\"\t\"2022-08-24\"\n")
        #expect(error { _ = try ListFiles.read(dpl, catalog: catalog, registry: book.registry) } == "\(dpl):2: column \"Effective_Date\": \"2022-08-24\" is not a date in MM/DD/YYYY form")
        let json = try write("csl.json", "{\"results\": [\n {\"name\": \"Alpha\", \"source\": \"Entity List (EL) - Bureau of Industry and Security\",\n  \"start_date\": \"2019-13-01\"}]}")
        #expect(error { _ = try ListFiles.read(json, catalog: catalog, registry: book.registry) } == "\(json):3: column \"results[0].start_date\": \"2019-13-01\" is not a date in YYYY-MM-DD form")
        let broken = try write("csl.json", "{\"results\": [\n {\"name\": \"Alpha\",,}]}")
        #expect(error { _ = try ListFiles.read(broken, catalog: catalog, registry: book.registry) }?.hasPrefix("\(broken):2: column \"character 19\": is not valid JSON: expected a key in quotes") == true)
        let unknown = try write("x.csv", "a,b\n1,2\n")
        #expect(error { _ = try ListFiles.read(unknown, catalog: catalog, registry: book.registry) }?.hasPrefix("\(unknown):1: is not a list format") == true)

        let share = try write("own.csv", "owner,owned,share,as_of\nA,B,60,2025-01-01\n")
        #expect(error { _ = try OwnershipFile.read(share) } == "\(share):2: column \"share\": \"60\" must be a fraction in (0, 1] (60% is 0.6)")
        let date = try write("own.csv", "owner,owned,share,as_of\nA,B,0.6,2025/01/01\n")
        #expect(error { _ = try OwnershipFile.read(date) } == "\(date):2: column \"as_of\": \"2025/01/01\" is not a date in YYYY-MM-DD form")
        let columns = try write("own.csv", "owner,owned,percent,as_of\nA,B,0.6,2025-01-01\n")
        #expect(error { _ = try OwnershipFile.read(columns) }?.hasPrefix("\(columns):1: column \"#3\": \"percent\" is not a known column") == true)
    }
}
