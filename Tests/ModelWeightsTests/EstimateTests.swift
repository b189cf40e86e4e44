import ComputeMetrics
import DiffusionRules
import ModelWeights
import Testing

/// DeepSeek-V3 (technical report, Dec 2024): 671B total / 37B active parameters, 14.8T tokens,
/// 2,048 H800, 2.788M H800 GPU-hours, FP8 mixed precision. Published estimates put its training at
/// 3-4e24 FLOP (Epoch AI: 3.4078e24).
@Suite struct DeepSeekV3Estimates {
    let b = Bundled.shared

    @Test func sixNDWithActiveParametersLandsInThePublishedRange() throws {
        let estimate = try b.estimator.sixND(parameters: 37e9, tokens: 14.8e12)
        #expect(estimate.point == 6 * 37e9 * 14.8e12)
        #expect(abs(estimate.point - 3.2856e24) < 1e18)
        #expect(estimate.point >= 3e24 && estimate.point <= 4e24)
        #expect(estimate.low >= 3e24 && estimate.high <= 4e24, "interval \(estimate.text)")
        // Total parameters instead of active ones would be 18x too high: the docs insist on N = active.
        let wrong = try b.estimator.sixND(parameters: 671e9, tokens: 14.8e12)
        #expect(wrong.point > 5e25)
    }

    @Test func gpuHoursWithTheCatalogH800AtFP8LandsInThePublishedRange() throws {
        let h800 = try b.book.catalog.lookup("H800")
        #expect(h800.tpp == TPP(15_832))
        // FP8 dense peak from TPP: 15,832 x 1e12 / 8 = 1.979e15 FLOP/s (H100/H800 datasheet: 1,978.9 TFLOPS).
        #expect(abs(try b.estimator.peakFLOPs(h800, precision: "fp8") - 1.979e15) < 1e9)
        #expect(abs(try b.estimator.peakFLOPs(h800, precision: "bf16") - 9.895e14) < 1e9)
        // Utilization: Epoch AI's recorded MFU for DeepSeek-V3, read from the bundled data.
        let record = try #require(b.models.record(named: "DeepSeek-V3"))
        let mfu = try #require(record.utilization)
        #expect(mfu == 0.1947)
        #expect(record.hardware == "NVIDIA H800 SXM5" && record.hardwareQuantity == 2048)
        let estimate = try b.estimator.gpuHours(2.788e6, chip: h800, utilization: mfu, precision: "fp8")
        #expect(estimate.point >= 3e24 && estimate.point <= 4e24, "point \(estimate.text)")
        #expect(abs(estimate.point - 2.788e6 * 3600 * 1.979e15 * 0.1947) < 1e19)
        #expect(estimate.low < estimate.point && estimate.high > estimate.point)
        // 2,048 GPUs x 56.7 days = 2.788M GPU-hours (the report's wall time): the two forms agree.
        #expect(abs(2048 * 56.72 * 24 - 2.788e6) < 1e3)
    }

    @Test func bothEstimatesAgreeWithEpochAndLeaveDeepSeekV3Uncontrolled() throws {
        let record = try #require(b.models.record(named: "DeepSeek-V3"))
        let epoch = try #require(record.trainingOperations)
        #expect(epoch == 3.4078e24)
        let subject = WeightsSubject(name: "DeepSeek-V3", published: false, training: try b.estimator.sixND(parameters: 37e9, tokens: 14.8e12))
        let c = b.classify(subject, on: day("2025-12-01"))
        #expect(c.status == .notControlled)
        #expect(!c.straddles)
        #expect(c.reasons.contains { $0.code == "4e091/below-operations" })
    }
}

@Suite struct EstimateMechanics {
    let b = Bundled.shared

    @Test func gpuHoursWithoutPrecisionAssumesBF16AndReachesFP8() throws {
        let h100 = try b.book.catalog.lookup("H100")
        let estimate = try b.estimator.gpuHours(1e6, chip: h100, utilization: 0.4, precision: nil)
        #expect(abs(estimate.point - 1e6 * 3600 * 9.895e14 * 0.4) < 1e16)
        #expect(estimate.high >= 1e6 * 3600 * 1.979e15 * 0.4)
        #expect(estimate.assumptions.contains { $0.contains("no precision given") })
    }

    @Test func badFiguresAreRejected() {
        #expect(throws: EstimateError.self) { try b.estimator.sixND(parameters: -1, tokens: 1e12) }
        #expect(throws: EstimateError.self) { try b.estimator.reported(0) }
        #expect(throws: EstimateError.self) { try b.estimator.reported(1e26, low: 2e26) }
        let h100 = try! b.book.catalog.lookup("H100")
        #expect(throws: EstimateError.self) { try b.estimator.gpuHours(10, chip: h100, utilization: 1.2, precision: "fp8") }
        #expect(throws: EstimateError.self) { try b.estimator.gpuHours(10, chip: h100, utilization: 0.5, precision: "fp64") }
    }

    @Test func epochIntervalsUseEpochBoundsWhereGiven() throws {
        // Grok 3: Epoch's Frontier AI Models data gives 2.1e26 - 1.13e27 around 3.5e26.
        let grok3 = try #require(b.models.record(named: "Grok 3"))
        let e = try #require(b.estimator.epoch(grok3))
        #expect(e.point == 3.5e26 && e.low == 2.1e26 && e.high == 1.13e27)
        // GPT-4.5 has no bounds; its grade "Likely" gives a factor of 10 (methodology.yaml).
        let gpt45 = try #require(b.models.record(named: "GPT-4.5"))
        let g = try #require(b.estimator.epoch(gpt45))
        #expect(gpt45.confidenceGrade == "Likely")
        #expect(abs(g.low - 3.8e25) < 1e19 && abs(g.high - 3.8e27) < 1e21)
    }

    @Test func scientificText() {
        #expect(Scientific.format(3.2856e24) == "3.29e24")
        #expect(Scientific.format(1e26) == "1e26")
        #expect(Scientific.format(2.5e25) == "2.5e25")
        #expect(Scientific.format(0.1947, digits: 4) == "1.947e-1")
        #expect(Scientific.format(15_832) == "1.58e4")
    }
}
