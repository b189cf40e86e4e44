import ComputeMetrics
import Testing

@Suite("TPP arithmetic")
struct TPPTests {
    @Test("H100 SXM: FP16 989.5 TFLOPS x 16 bits = 15,832 TPP (SemiAnalysis; regulation-facts.md §8)")
    func h100() {
        let tpp = TPP(989.5 * 16)
        #expect(tpp == TPP(whole: 15_832))
        #expect(tpp.description == "15832")
    }

    @Test("RTX 4090: 5,284.8 TPP per unit stays exact; 1,000 units = 5,284,800 (deals-public P15)")
    func fractionalTPP() {
        let perUnit = TPP(parsing: "5284.8")!
        #expect(perUnit.milli == 5_284_800)
        #expect(perUnit.multiplied(by: 1000)?.description == "5284800")
    }

    @Test("Parsing rejects what is not a plain decimal")
    func parsing() {
        #expect(TPP(parsing: "1e4") == nil)
        #expect(TPP(parsing: "1,000") == nil)
        #expect(TPP(parsing: "") == nil)
        #expect(TPP(parsing: "12.3456")?.milli == 12_346)
        #expect(TPP(parsing: "-3")?.milli == -3000)
    }

    @Test("Overflow of TPP x quantity is reported, not wrapped")
    func overflow() {
        #expect(TPP(whole: 61_120).multiplied(by: 400_000)?.description == "24448000000")
        #expect(TPP(whole: 1_000_000_000_000).multiplied(by: 1_000_000_000_000) == nil)
    }

    @Test("H100-equivalents: 26,900,000 TPP (LPP) = 1,699.1 H100e (regulation-facts.md §3.1)")
    func h100Equivalents() {
        let h100 = H100Equivalence(tppPerH100: TPP(whole: 15_832))
        #expect(abs(h100.h100Equivalents(TPP(whole: 26_900_000)) - 1_699.1) < 0.05)
        #expect(abs(h100.h100Equivalents(TPP(whole: 790_000_000)) - 49_899) < 1)
    }

    @Test("Performance density = TPP / applicable die area: H100 15,832 / 814 = 19.45")
    func performanceDensity() {
        let chip = ChipSpec(name: "H100", tpp: TPP(whole: 15_832), dieAreaMM2: 814)
        #expect(abs(chip.performanceDensity! - 19.45) < 0.01)
        #expect(ChipSpec(name: "x", tpp: TPP(whole: 100)).performanceDensity == nil)
    }
}
