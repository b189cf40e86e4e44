import ChannelInputs
import DiffusionRules
import Foundation
import ModelWeights
import RuleData
import TabularIO
import Testing

/// Licence determinations for exporting 4E091 weights (15 CFR 740.27(a)(3), 742.6(b)(14)).
@Suite struct WeightsExportLicensing {
    let b = Bundled.shared
    var grok3: WeightsSubject {
        b.models.subject(for: b.models.record(named: "Grok 3")!, estimator: b.estimator)!
    }

    @Test func aiaForSupp5aHeadquartersOutsideD5WithTheStorageObligation() throws {
        // US-headquartered recipient located in Singapore (Tier 2): AIA (a)(3) still applies.
        for (destination, hq) in [("DE", "US"), ("SG", "US"), ("AE", "GB")] {
            let d = try b.export(grok3, to: destination, hq: hq, on: day("2025-06-01"))
            #expect(d.authorization == .AIA, "\(destination)/\(hq)")
            #expect(!d.licenseRequired)
            let obligation = try #require(d.obligations.first)
            #expect(obligation.id == "supp10-storage")
            #expect(obligation.citation.contains("740.27(a)(3)(ii)") && obligation.citation.contains("¶¶14, 15, 18"))
            #expect(obligation.appliesFrom == day("2026-01-15"))
        }
    }

    @Test func licenceWithPresumptionOfDenialOtherwise() throws {
        let uae = try b.export(grok3, to: "AE", hq: "AE", on: day("2025-06-01"))
        #expect(uae.authorization == .LICENSE && uae.reviewPolicy == .presumptionOfDenial)
        #expect(uae.reasons.contains { $0.citation.contains("742.6(b)(14)") })
        #expect(uae.obligations.isEmpty)
        // Supplement No. 5(a) headquarters but located in China (D:5): AIA is unavailable; the policy is
        // the product's reading, flagged.
        let china = try b.export(grok3, to: "CN", hq: "GB", on: day("2025-06-01"))
        #expect(china.authorization == .LICENSE && china.reviewPolicy == .presumptionOfDenial)
        #expect(china.warnings.contains { $0.contains("product's choice") })
        // Hong Kong is treated as China (Tier 3).
        let hongKong = try b.export(grok3, to: "HK", hq: "US", on: day("2025-06-01"))
        #expect(hongKong.authorization == .LICENSE)
        let macau = try b.export(grok3, to: "MO", hq: "JP", on: day("2025-06-01"))
        #expect(macau.authorization == .LICENSE)
    }

    @Test func underEnforcedNoLicenceAndTheOutputSaysWhy() throws {
        let d = try b.export(grok3, to: "AE", hq: "AE", on: day("2025-06-01"), regime: b.enforced)
        #expect(d.authorization == .NLR)
        #expect(d.classification.status == .notInForce)
        #expect(d.reasons.contains { $0.code == "4e091/not-in-force" && $0.text.contains("never enforced") })
        #expect(d.warnings.contains { $0.contains("as written, the weights would be 4E091") })
    }

    @Test func uncontrolledWeightsNeedNoLicenceUnder4E091() throws {
        let llama = b.models.subject(for: b.models.record(named: "Llama 3.1-405B")!, estimator: b.estimator)!
        let d = try b.export(llama, to: "CN", hq: "CN", on: day("2025-06-01"))
        #expect(d.authorization == .NLR)
        #expect(d.classification.status == .notControlled)
    }

    @Test func theExampleFileScreensAndBadRowsNameLineAndColumn() throws {
        let rows = try WeightsExportReader.read(path: repositoryRoot + "/examples/weights-exports.csv",
                                                registry: b.book.registry, models: b.models, estimator: b.estimator)
        #expect(rows.count == 8)
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-weights-\(UUID()).csv")
        try "id,date,model,destination,recipient,recipient_hq,training_ops,weights\nW1,2025-06-01,Unknown Model,DE,X,US,,\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        #expect {
            try WeightsExportReader.read(path: bad.path, displayName: "bad.csv", registry: b.book.registry, models: b.models,
                                         estimator: b.estimator)
        } throws: { error in
            let e = error as? CSVInputError
            return e?.line == 2 && e?.column == "model" && e?.value == "Unknown Model"
        }
    }
}

@Suite struct EpochDataFiles {
    /// The bundled slim file is exactly what the generator makes from the copied Epoch data.
    @Test func bundledModelsFileMatchesItsGenerator() throws {
        let (csv, rows, notes) = try EpochModelsData.generate(
            notableCSV: repositoryRoot + "/data/epoch/ai_models/notable_ai_models.csv",
            frontierCSV: repositoryRoot + "/data/epoch/ai_models/frontier_ai_models.csv")
        #expect(rows == 965)
        #expect(notes.count == 3)
        let bundled = try String(contentsOfFile: BundledFiles.path("models/epoch-notable-models.csv"), encoding: .utf8)
        #expect(csv == bundled)
    }

    @Test func layersWithoutAModelWeightsBlockStillDecode() throws {
        let book = try RuleBookLoader.loadBundled()
        #expect(book.layers["ai-diffusion-2025"]?.modelWeights?.eccn == "4E091")
        #expect(book.layers["ear-2023-10-advanced-computing"]?.modelWeights == nil)
        let block = try #require(book.layers["ai-diffusion-2025"]?.modelWeights)
        #expect(block.trainingOperations.value == 1e26 && block.trainingOperations.comparison == .atLeast)
        #expect(block.derivedModels.additionalOperations.value == 2.5e25 && block.derivedModels.combine == .higher)
        #expect(block.syntheticData.shareThreshold.value == 0.10)
    }
}
