import ComputeMetrics
import DiffusionRules
import RuleData
import Testing

@Suite("Bundled rule data")
struct BundledDataTests {
    @Test("Every bundled file decodes strictly (no unknown keys); the tool skips this check at start-up")
    func strict() throws {
        let strictBook = try RuleBookLoader.loadBundled(strict: true)
        #expect(strictBook.layers.count == 8) // 6 chip layers + part 744 end-user controls + the Affiliates Rule
        #expect(Set(strictBook.regimes.keys) == ["enforced", "ai-diffusion-2025"])
    }

    @Test("Every number in the layers carries a source and a confidence; low-confidence facts are marked")
    func provenance() {
        for layer in book.layers.values {
            for prong in layer.classification?.prongs ?? [] { #expect(!prong.source.isEmpty, "\(layer.id) \(prong.id)") }
            for rule in layer.licensing?.rules ?? [] { #expect(!rule.source.isEmpty && !rule.citation.isEmpty, "\(layer.id) \(rule.id)") }
            for (name, cap) in layer.caps ?? [:] {
                for number in [cap.limit, cap.maxShareOutsideTier1, cap.maxShareSingleCountry, cap.maxShareOutsideUSForUSHeadquartered].compactMap({ $0 }) {
                    #expect(!number.source.isEmpty, "\(layer.id) \(name)")
                }
            }
        }
        // The NVEU schedule is not the published table: it must say so.
        let nveu = book.layers["ai-diffusion-2025"]?.caps?["nveu"]
        #expect(nveu?.scheduleConfidence == .low)
        #expect(nveu?.assumption != nil)
        // 320,000 H100e x 15,832 TPP = 5,066,240,000 TPP in 2027Q4 (regulation-facts.md §3.1).
        #expect(nveu?.schedule?.last?.installedBaseTPP == 5_066_240_000)
    }

    @Test("The classification-only book (quick start) classifies like the full one")
    func classificationOnly() throws {
        let light = try RuleBookLoader.loadForClassification()
        for name in ["H100", "H800", "RTX 4090D", "L20", "A100"] {
            for date in ["2023-06-01", "2024-06-01"] {
                let chip = try book.catalog.lookup(name)
                let (quick, layers) = try light.classify(chip, regime: "enforced", on: Day(date)!)
                let full = enforced.classify(chip, on: Day(date)!)
                #expect(quick.eccn == full.eccn && quick.prong == full.prong, "\(name) \(date)")
                #expect(layers == enforced.layerIDs(on: Day(date)!))
            }
        }
    }
}
