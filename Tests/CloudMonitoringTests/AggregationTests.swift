@testable import ChannelInputs
import CloudMonitoring
import ComputeMetrics
import DiffusionRules
import Foundation
import ModelWeights
import RuleData
import TabularIO
import Testing

/// The bundled data, loaded once.
struct CloudFixture: Sendable {
    let book: RuleBook
    let methodology: EstimationMethodology
    let eo: CloudCriteria
    let part702: CloudCriteria

    static let shared: CloudFixture = {
        CloudFixture(book: try! RuleBookLoader.loadBundled(), methodology: try! EpochModelsData.loadMethodology(),
                     eo: try! CloudCriteriaLoader.load("eo-14110-interim"), part702: try! CloudCriteriaLoader.load("part702-2024-proposed"))
    }()

    func read(_ csv: String, peakBits: Int = 8) throws(CSVInputError) -> UsageAggregator {
        let reader = UsageReader(catalog: book.catalog, registry: book.registry, methodology: methodology, peakBits: peakBits)
        return try reader.read(reader: CSVRecordReader(bytes: Array(csv.utf8), displayName: "usage.csv"))
    }

    /// Red flag 28 as the AI Diffusion layer states it (threshold, flag text, Supplement No. 5(a) on `day`).
    func redFlag(regime: String = "ai-diffusion-2025", on day: Day) throws -> RedFlag28Test {
        let weights = try WeightsRegime(book: book, regime: regime)
        let provisions = weights.provisions(on: day)
        let layer = book.layers["ai-diffusion-2025"]!
        let flag = layer.flags!.first { $0.id == "red-flag-28" }!
        let supp5a = weights.members("supp5a", on: day) ?? Set(layer.countrySets!["supp5a"]!.countries!)
        return RedFlag28Test(operations: provisions.block!.trainingOperations, headquarters: supp5a, warning: flag.warning,
                             citation: flag.citation, inForce: provisions.inForce, note: nil)
    }
}

let header = "account,reseller,beneficial_owner,owner_hq,cluster,run,chip,gpu_hours,utilization,data_type"

/// GPU-hours of an H100 (BF16 dense peak 15,832 x 1e12 / 16 = 9.895e14 FLOP/s) at utilization `u`
/// that make `operations`.
func h100Hours(for operations: Double, utilization u: Double) -> Double { operations / (3600 * 9.895e14 * u) }

@Suite struct SplitOwnerAggregation {
    let f = CloudFixture.shared

    /// One run of 1.2e26 operations split over three accounts and two resellers (plus a direct
    /// account): no account reaches 10^26 alone; aggregated per beneficial owner the run does.
    @Test func aRunSplitAcrossThreeAccountsAndTwoResellersIsAggregatedAndFlagged() throws {
        let hours = h100Hours(for: 4e25, utilization: 0.5)
        let csv = """
        \(header)
        acct-1,Reseller North,Helios Labs,SG,c1,v2,H100,\(hours),0.5,general
        acct-2,Reseller South,Helios Labs,SG,c1,v2,H100,\(hours),0.5,general
        acct-3,,Helios Labs,SG,c1,v2,H100,\(hours),0.5,general
        other,,Acme,US,c1,x,H100,\(hours),0.5,general
        """
        let usage = try f.read(csv)
        #expect(usage.records == 4)
        #expect(usage.owners.count == 2)
        let report = CloudReportBuilder.build(usage, criteria: f.eo, asOf: day("2024-12-01"), redFlag: nil)
        let helios = try #require(report.owners.first { $0.owner == "Helios Labs" })
        #expect(helios.accounts == ["acct-1", "acct-2", "acct-3"])
        #expect(helios.resellers == ["Reseller North", "Reseller South"])
        #expect(abs(helios.operations - 1.2e26) / 1.2e26 < 1e-9)
        let run = try #require(helios.runs.first)
        #expect(run.label == "v2" && run.accounts == 3 && run.resellers == 2)
        #expect(run.overThreshold)
        #expect(helios.flags == ["training-run"])
        #expect(helios.reasons.first?.text.contains("3 accounts and 2 resellers") == true)
        let acme = try #require(report.owners.first { $0.owner == "Acme" })
        #expect(!acme.flagged)
        #expect(report.owners.first?.owner == "Helios Labs", "flagged owners come first")
    }

    @Test func unlabelledUsageAcrossAccountsFormsOneRunPerOwner() throws {
        let hours = h100Hours(for: 3.5e25, utilization: 0.4)
        let csv = """
        \(header)
        a1,R1,Owner X,AE,c1,,H100,\(hours),0.4,general
        a2,R2,Owner X,AE,c1,,H100,\(hours),0.4,general
        a3,R2,Owner X,AE,c2,,H100,\(hours),0.4,general
        """
        let report = CloudReportBuilder.build(try f.read(csv), criteria: f.eo, asOf: day("2024-12-01"), redFlag: nil)
        let owner = try #require(report.owners.first)
        #expect(owner.runs.count == 1 && owner.runs[0].label == "(unlabelled)")
        #expect(owner.flags.contains("training-run"))
    }

    @Test func labelledRunsThatTogetherCrossTheThresholdAreFlaggedAsCumulative() throws {
        let hours = h100Hours(for: 6e25, utilization: 0.4)
        let csv = """
        \(header)
        a1,,Owner Y,AE,c1,part-1,H100,\(hours),0.4,general
        a2,,Owner Y,AE,c1,part-2,H100,\(hours),0.4,general
        """
        let report = CloudReportBuilder.build(try f.read(csv), criteria: f.eo, asOf: day("2024-12-01"), redFlag: nil)
        let owner = try #require(report.owners.first)
        #expect(!owner.runs.contains { $0.overThreshold })
        #expect(owner.flags.contains("cumulative"))
    }

    @Test func operationsAreHoursTimesPeakTimesUtilization() throws {
        // 1,000 H100-hours at FP8 (1.979e15 FLOP/s) and 50% utilization: 3.5622e21 operations.
        let csv = "account,beneficial_owner,owner_hq,chip,gpu_hours,utilization,precision\na,O,US,H100,1000,0.5,fp8\n"
        let run = try #require(try f.read(csv).runs().first)
        let expected: Double = 1000 * 3600 * 1.979e15 * 0.5
        let peak: Double = 1000 * 3600 * 1.979e15
        #expect(abs(run.operations - expected) < 1e12)
        #expect(abs(run.maxOperations - peak) < 1e12)
        // start/end and chip count: one day x 8 chips = 192 GPU-hours.
        let span = "account,beneficial_owner,owner_hq,chip,utilization,start,end,chip_count\na,O,US,H100,0.5,2024-01-01T00:00Z,2024-01-02T00:00Z,8\n"
        #expect(try f.read(span).runs().first?.gpuHours == 192)
    }
}

@Suite struct ThresholdsAndFlags {
    let f = CloudFixture.shared

    /// EO 14110 §4.2(b)(i): 10^23 operations for primarily biological sequence data, 10^26 otherwise.
    @Test func biologicalDataLowersTheThreshold() throws {
        let hours = h100Hours(for: 2e23, utilization: 0.5)
        let csv = """
        \(header)
        b1,,Genome Co,CH,c1,dna-lm,H100,\(hours),0.5,biological
        g1,,Text Co,CH,c1,text-lm,H100,\(hours),0.5,general
        """
        let usage = try f.read(csv)
        let report = CloudReportBuilder.build(usage, criteria: f.eo, asOf: day("2024-12-01"), redFlag: nil)
        let bio = try #require(report.owners.first { $0.owner == "Genome Co" })
        let text = try #require(report.owners.first { $0.owner == "Text Co" })
        #expect(bio.runs[0].biological && bio.runs[0].threshold.value == 1e23)
        #expect(bio.flags == ["training-run"])
        #expect(!text.runs[0].biological && text.runs[0].threshold.value == 1e26)
        #expect(!text.flagged)
        // The part 702 proposal has no biological threshold: the same run is not flagged, with a warning.
        let proposal = CloudReportBuilder.build(usage, criteria: f.part702, asOf: day("2024-12-01"), redFlag: nil)
        #expect(!proposal.owners.contains { $0.flagged })
        #expect(proposal.warnings.contains { $0.contains("no separate threshold for biological") })
    }

    @Test func aRunIsPrimarilyBiologicalOnlyAboveHalfItsOperations() throws {
        let hours = h100Hours(for: 1e23, utilization: 0.5)
        let csv = """
        \(header)
        b1,,Mixed Co,CH,c1,r,H100,\(hours),0.5,biological
        b1,,Mixed Co,CH,c1,r,H100,\(hours),0.5,general
        """
        let report = CloudReportBuilder.build(try f.read(csv), criteria: f.eo, asOf: day("2024-12-01"), redFlag: nil)
        let run = try #require(report.owners.first?.runs.first)
        #expect(abs(run.biologicalShare - 0.5) < 1e-12)
        #expect(!run.biological, "exactly half is not 'primarily'")
    }

    @Test func redFlag28ForA4E091ScaleRunOutsideSupp5a() throws {
        let hours = h100Hours(for: 1.1e26, utilization: 0.5)
        let csv = """
        \(header)
        a,,Helios Labs,SG,c1,v2,H100,\(hours),0.5,general
        b,,Frontier US,US,c1,v9,H100,\(hours),0.5,general
        """
        let usage = try f.read(csv)
        let asWritten = try f.redFlag(on: day("2025-03-01"))
        let report = CloudReportBuilder.build(usage, criteria: f.eo, asOf: day("2025-03-01"), redFlag: asWritten)
        let helios = try #require(report.owners.first { $0.owner == "Helios Labs" })
        let us = try #require(report.owners.first { $0.owner == "Frontier US" })
        #expect(helios.flags.contains("red-flag-28"))
        #expect(helios.reasons.contains { $0.citation.contains("red flag 28") })
        #expect(!us.flags.contains("red-flag-28"))
        // Under enforced the AI Diffusion layer never applied: no flag, but a warning says it would.
        let enforced = try f.redFlag(regime: "enforced", on: day("2025-03-01"))
        #expect(!enforced.inForce)
        let quiet = CloudReportBuilder.build(usage, criteria: f.eo, asOf: day("2025-03-01"), redFlag: enforced)
        let heliosQuiet = try #require(quiet.owners.first { $0.owner == "Helios Labs" })
        #expect(!heliosQuiet.flags.contains("red-flag-28"))
        #expect(heliosQuiet.warnings.contains { $0.contains("as written, red flag 28 would apply") })
    }

    @Test func clusterCriteriaDifferBetweenThePacks() throws {
        let csv = """
        \(header)
        a,,O,US,big,r,H100,10,0.5,general
        """
        let usage = try f.read(csv)
        // 65,536 H100 x 1.979e15 = 1.3e20 operations/s.
        let spec = { (gbps: Double) in ClusterSpec(name: "big", chip: "H100", chipCount: 65_536, networkGbps: gbps,
                                                   peakOperationsPerSecond: 65_536 * 15_832e12 / 8, line: 2) }
        let eo200 = CloudReportBuilder.build(usage, criteria: f.eo, asOf: day("2024-06-01"), redFlag: nil, clusters: [spec(200)])
        #expect(eo200.clusters.first?.meetsCriteria == true)
        let p702at200 = CloudReportBuilder.build(usage, criteria: f.part702, asOf: day("2024-06-01"), redFlag: nil, clusters: [spec(200)])
        #expect(p702at200.clusters.first?.meetsCriteria == false)
        let p702at400 = CloudReportBuilder.build(usage, criteria: f.part702, asOf: day("2024-06-01"), redFlag: nil, clusters: [spec(400)])
        #expect(p702at400.clusters.first?.meetsCriteria == true)
        #expect(f.eo.cluster.networkGbps.value == 100 && f.part702.cluster.networkGbps.value == 300)
        #expect(f.eo.isInForce(on: day("2024-06-01")) && !f.eo.isInForce(on: day("2025-01-20")))
        #expect(!f.part702.isInForce(on: day("2024-12-01")))
    }

    @Test func customerRecordsAreJoinedPerOwner() throws {
        let hours = h100Hours(for: 6e25, utilization: 0.5)
        let usage = try f.read("""
        \(header)
        hx-1,,Helios Labs,SG,c1,v2,H100,\(hours),0.5,general
        hx-2,R,Helios Labs,SG,c1,v2,H100,\(hours),0.5,general
        """)
        let customers = try CustomerReader.read(reader: CSVRecordReader(bytes: Array("""
        account,customer_name,country,beneficial_owner,verification_status
        hx-1,Bluewater Trading,HK,Helios Labs,pending
        """.utf8), displayName: "customers.csv"), registry: f.book.registry)
        let report = CloudReportBuilder.build(usage, criteria: f.eo, asOf: day("2024-12-01"), redFlag: nil, customers: customers)
        let helios = try #require(report.owners.first)
        #expect(helios.flags == ["training-run", "cip-missing", "cip-unverified"])
        #expect(helios.customers.map(\.name) == ["Bluewater Trading"])
    }
}

/// Bad input: an error naming file, line, column and value, and nothing aggregated or printed.
@Suite struct BadUsageInput {
    let f = CloudFixture.shared

    func failure(_ row: String, columns: String = header) -> CSVInputError? {
        do {
            _ = try f.read("\(columns)\nok,,Good Owner,US,c1,r,H100,10,0.5,general\n\(row)\n")
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("a,,Owner,US,c1,r,H100,-5,0.5,general", "gpu_hours", "-5", "must not be negative"),
        ("a,,Owner,US,c1,r,H1000,5,0.5,general", "chip", "H1000", "is not in the chip catalog"),
        ("a,,Owner,US,c1,r,H100,5,1.5,general", "utilization", "1.5", "(0, 1]"),
        ("a,,Owner,US,c1,r,H100,5,0,general", "utilization", "0", "(0, 1]"),
        ("a,,,US,c1,r,H100,5,0.5,general", "beneficial_owner", "", "beneficial owner is required"),
        ("a,,Owner,UK,c1,r,H100,5,0.5,general", "owner_hq", "UK", "did you mean GB?"),
        ("a,,Owner,US,c1,r,H100,5,0.5,genomic", "data_type", "genomic", "general or biological"),
        ("a,,Owner,US,c1,r,H100,five,0.5,general", "gpu_hours", "five", "is not a number"),
    ])
    func badCellsNameLineColumnAndValue(row: String, column: String, value: String, message: String) throws {
        let error = try #require(failure(row))
        #expect(error.file == "usage.csv")
        #expect(error.line == 3)
        #expect(error.column == column)
        #expect(error.value == value)
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.hasPrefix("usage.csv:3: column \"\(column)\""))
    }

    @Test func endBeforeStartIsNegativeHours() throws {
        let csv = "account,beneficial_owner,owner_hq,chip,utilization,start,end,chip_count\na,O,US,H100,0.5,2024-01-02,2024-01-01,8\n"
        #expect {
            try f.read(csv)
        } throws: { error in
            let e = error as? CSVInputError
            return e?.line == 2 && e?.column == "end" && e?.value == "2024-01-01" && e?.message.contains("negative hours") == true
        }
    }

    @Test func aHeaderWithoutHoursIsRejected() {
        #expect(throws: CSVInputError.self) { try f.read("account,beneficial_owner,owner_hq,chip,utilization\na,O,US,H100,0.5\n") }
    }
}
