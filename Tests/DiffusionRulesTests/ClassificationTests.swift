import ComputeMetrics
import DiffusionRules
import RuleData
import Testing

/// The bundled rule book, loaded once.
let book = try! RuleBookLoader.loadBundled()
let enforced = try! book.compile(regime: "enforced")
let aiDiffusion = try! book.compile(regime: "ai-diffusion-2025")

func chip(tpp: Double, area: Double? = nil, datacenter: Bool = true, interconnect: Double? = nil) -> ChipSpec {
    ChipSpec(name: "test chip", tpp: TPP(tpp), dieAreaMM2: area, datacenter: datacenter, interconnectGBps: interconnect)
}

/// Die area that gives performance density `pd` for `tpp`.
func area(tpp: Double, pd: Double) -> Double { tpp / pd }

let after2023 = Day("2024-06-01")!

@Suite("3A090 thresholds (ECCN 3A090 as republished at 90 FR 4544; ear-primary-text.md §3.1)")
struct ThresholdTests {
    func eccn(_ spec: ChipSpec, on day: Day = after2023) -> Classification { enforced.classify(spec, on: day) }

    @Test("3A090.a.1: TPP >= 4800")
    func a1() {
        #expect(eccn(chip(tpp: 4800, area: 4800)).prong == "3A090.a.1")
        #expect(eccn(chip(tpp: 4799.999, area: 4800)).prong != "3A090.a.1")
    }

    @Test("3A090.a.2: TPP >= 1600 and PD >= 5.92")
    func a2() {
        #expect(eccn(chip(tpp: 1600, area: area(tpp: 1600, pd: 5.92))).prong == "3A090.a.2")
        // Just below PD 5.92: falls to .b.2 (PD >= 3.2).
        #expect(eccn(chip(tpp: 1600, area: area(tpp: 1600, pd: 5.919))).prong == "3A090.b.2")
        // Just below TPP 1600 at high PD: nothing.
        #expect(eccn(chip(tpp: 1599.999, area: 100)).eccn == Classification.notControlled)
    }

    @Test("3A090.b.1: 2400 <= TPP < 4800 and 1.6 <= PD < 5.92")
    func b1() {
        #expect(eccn(chip(tpp: 2400, area: area(tpp: 2400, pd: 1.6))).prong == "3A090.b.1")
        #expect(eccn(chip(tpp: 2399.999, area: area(tpp: 2400, pd: 1.6))).eccn == Classification.notControlled)
        #expect(eccn(chip(tpp: 2400, area: area(tpp: 2400, pd: 1.599))).eccn == Classification.notControlled)
    }

    @Test("3A090.b.2: TPP >= 1600 and 3.2 <= PD < 5.92")
    func b2() {
        #expect(eccn(chip(tpp: 1600, area: area(tpp: 1600, pd: 3.2))).prong == "3A090.b.2")
        #expect(eccn(chip(tpp: 1600, area: area(tpp: 1600, pd: 3.199))).eccn == Classification.notControlled)
    }

    @Test("Note 2: a non-datacenter chip is 3A090.a only at TPP >= 4800 (RTX 4090: .a; RTX 4090D 4707 TPP, PD 7.7: not)")
    func datacenterNote() throws {
        let rtx4090 = try book.catalog.lookup("RTX 4090")
        #expect(eccn(rtx4090).prong == "3A090.a.1")
        let rtx4090d = try book.catalog.lookup("RTX 4090D")
        let result = eccn(rtx4090d)
        #expect(result.eccn == Classification.notControlled)
        #expect(result.reasons.contains { $0.code == "3A090.a.2/not-datacenter" })
        // The same figures on a datacenter part are 3A090.a.2.
        #expect(eccn(chip(tpp: 4707, area: 609)).prong == "3A090.a.2")
    }

    @Test("A non-datacenter chip is never 3A090.b, with the assumption shown as a warning")
    func nonDatacenterNeverB() {
        let result = eccn(chip(tpp: 3000, area: area(tpp: 3000, pd: 4), datacenter: false))
        #expect(result.eccn == Classification.notControlled)
        #expect(result.warnings.contains { $0.hasPrefix("assumption:") && $0.contains("never 3A090.b") })
    }

    @Test("No die area: classified on TPP alone, with a warning that PD could not be checked")
    func missingDieArea() {
        let high = eccn(chip(tpp: 36_000))
        #expect(high.prong == "3A090.a.1")
        let low = eccn(chip(tpp: 3000))
        #expect(low.eccn == Classification.notControlled)
        #expect(low.warnings.contains { $0.contains("performance density") && $0.contains("could not be checked") })
    }

    @Test("2022 layer: TPP >= 4800 and interconnect >= 600 GB/s (A100 yes; A800/H800 at 400 GB/s no), until 2023-11-16")
    func layer2022() throws {
        let before = Day("2023-06-01")!
        #expect(eccn(try book.catalog.lookup("A100"), on: before).eccn == "3A090.a")
        #expect(eccn(try book.catalog.lookup("A800"), on: before).eccn == Classification.notControlled)
        #expect(eccn(try book.catalog.lookup("H800"), on: before).eccn == Classification.notControlled)
        // From 2023-11-17 performance density closes the workaround.
        #expect(eccn(try book.catalog.lookup("H800"), on: Day("2023-11-17")!).eccn == "3A090.a")
        #expect(eccn(try book.catalog.lookup("H800"), on: Day("2023-11-16")!).eccn == Classification.notControlled)
    }

    @Test("Headroom: every threshold of every prong is reported with the chip's margin")
    func headroom() throws {
        let result = eccn(try book.catalog.lookup("H100"))
        let a1 = try #require(result.checks.first { $0.prong == "3A090.a.1" && $0.metric == "tpp" })
        #expect(a1.threshold == 4800)
        #expect(a1.margin == 11_032.0) // 15,832 - 4,800
        #expect(result.checks.contains { $0.prong == "3A090.a.2" && $0.metric == "performance_density" && $0.threshold == 5.92 })
    }

    @Test("3A090.c: HBM with memory bandwidth density > 2 GB/s/mm², from 2024-12-02")
    func hbm() throws {
        let stack = try book.catalog.lookup("HBM3E")
        #expect(eccn(stack, on: Day("2024-12-02")!).eccn == "3A090.c")
        #expect(eccn(stack, on: Day("2024-12-01")!).eccn == Classification.notControlled)
    }
}
