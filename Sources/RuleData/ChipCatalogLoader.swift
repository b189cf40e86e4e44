import ComputeMetrics
import DiffusionRules
import StrictYAML
import TabularIO

/// Loads the chip catalog: the generated Epoch AI file, the hand-kept supplement and the aliases.
public enum ChipCatalogLoader {
    /// One entry of `chips/supplement.yaml`. Every figure given must have a `sources` entry.
    struct SupplementEntry: Codable, YAMLValidatable {
        var name: String
        var manufacturer: String?
        var kind: ItemKind?
        var tpp: Double?
        var dieAreaMM2: Double?
        var datacenter: Bool?
        var interconnectGBps: Double?
        var dramBandwidthGBps: Double?
        var memoryBandwidthDensity: Double?
        var releaseDate: String?
        var sources: [String: String]
        var confidence: Confidence

        enum CodingKeys: String, CodingKey {
            case name, manufacturer, kind, tpp
            case dieAreaMM2 = "die_area_mm2"
            case datacenter
            case interconnectGBps = "interconnect_gbps"
            case dramBandwidthGBps = "dram_bandwidth_gbps"
            case memoryBandwidthDensity = "memory_bandwidth_density"
            case releaseDate = "release_date"
            case sources, confidence
        }

        func validate() throws(ValidationFailure) {
            let given: [(String, Double?)] = [("tpp", tpp), ("die_area_mm2", dieAreaMM2), ("interconnect_gbps", interconnectGBps),
                                              ("dram_bandwidth_gbps", dramBandwidthGBps),
                                              ("memory_bandwidth_density", memoryBandwidthDensity)]
            for (key, value) in given {
                guard let value else { continue }
                if value < 0 { throw ValidationFailure(path: [key], message: "must not be negative") }
                if sources[key] == nil { throw ValidationFailure(path: ["sources"], message: "no source for \(key)") }
            }
            if datacenter != nil, sources["datacenter"] == nil {
                throw ValidationFailure(path: ["sources"], message: "no source for datacenter")
            }
        }
    }

    struct Supplement: Codable, YAMLValidatable {
        var chips: [SupplementEntry]

        func validate() throws(ValidationFailure) {
            for (index, chip) in chips.enumerated() {
                do { try chip.validate() } catch { throw error.nested(under: "[\(index)]").nested(under: "chips") }
            }
        }
    }

    struct Aliases: Codable {
        var aliases: [String: String]
    }

    /// The catalog from the bundled files. Throws for malformed files or aliases naming no chip.
    public static func load(strict: Bool = false) throws -> ChipCatalog {
        var chips = try epochChips(path: BundledFiles.path("chips/epoch-catalog.csv"), displayName: "chips/epoch-catalog.csv")
        let supplement = try StrictYAML.decode(Supplement.self, fromFile: BundledFiles.path("chips/supplement.yaml"),
                                               displayName: "chips/supplement.yaml", bundled: !strict)
        apply(supplement, to: &chips)
        let aliases = try StrictYAML.decode(Aliases.self, fromFile: BundledFiles.path("chips/aliases.yaml"),
                                            displayName: "chips/aliases.yaml", bundled: !strict)
        let catalog = ChipCatalog(chips: chips, aliases: aliases.aliases)
        for (alias, target) in aliases.aliases.sorted(by: { $0.key < $1.key }) where catalog.index(of: target) == nil {
            throw RuleDataError("chips/aliases.yaml: alias \"\(alias)\" names \"\(target)\", which is not in the catalog")
        }
        return catalog
    }

    /// Reads the generated catalog file (see ``EpochCatalogGenerator``).
    public static func epochChips(path: String, displayName: String) throws -> [ChipSpec] {
        let table = try CSVTable(reader: CSVRecordReader(path: path, displayName: displayName),
                                 required: EpochCatalogGenerator.columns)
        func column(_ name: String) -> Int { table.column(name)! }
        var chips: [ChipSpec] = []
        let source = "Epoch AI, Data on Machine Learning Hardware (CC BY 4.0)"
        while let record = try table.next() {
            func number(_ name: String) throws -> Double? {
                let text = record.string(at: column(name))
                if text.isEmpty { return nil }
                guard let value = Double(text) else { throw table.error(record, column: column(name), message: "is not a number") }
                return value
            }
            let tpp = try number("tpp")
            var sources: [String: String] = ["datacenter": "default for an ML accelerator in Epoch's data: designed for datacenters"]
            for key in ["tpp", "die_area_mm2", "dram_bandwidth_gbps", "interconnect_gbps"] where record.string(at: column(key)) != "" {
                sources[key] = source
            }
            chips.append(ChipSpec(
                name: record.string(at: column("name")), manufacturer: record.string(at: column("manufacturer")),
                tpp: tpp.map { TPP($0) }, dieAreaMM2: try number("die_area_mm2"), datacenter: true,
                interconnectGBps: try number("interconnect_gbps"), dramBandwidthGBps: try number("dram_bandwidth_gbps"),
                releaseDate: record.string(at: column("release_date")), sources: sources))
        }
        return chips
    }

    static func apply(_ supplement: Supplement, to chips: inout [ChipSpec]) {
        var indexByName: [String: Int] = [:]
        for (index, chip) in chips.enumerated() { indexByName[ChipCatalog.normalize(chip.name)] = index }
        for entry in supplement.chips {
            if let index = indexByName[ChipCatalog.normalize(entry.name)] {
                var chip = chips[index]
                if let value = entry.manufacturer { chip.manufacturer = value }
                if let value = entry.kind { chip.kind = value }
                if let value = entry.tpp { chip.tpp = TPP(value) }
                if let value = entry.dieAreaMM2 { chip.dieAreaMM2 = value }
                if let value = entry.datacenter { chip.datacenter = value }
                if let value = entry.interconnectGBps { chip.interconnectGBps = value }
                if let value = entry.dramBandwidthGBps { chip.dramBandwidthGBps = value }
                if let value = entry.memoryBandwidthDensity { chip.memoryBandwidthDensity = value }
                if let value = entry.releaseDate { chip.releaseDate = value }
                for (key, source) in entry.sources { chip.sources[key] = "\(source) [supplement, \(entry.confidence.rawValue)]" }
                chip.warnings += lowConfidenceWarning(entry)
                chips[index] = chip
            } else {
                var sources: [String: String] = [:]
                for (key, source) in entry.sources { sources[key] = "\(source) [supplement, \(entry.confidence.rawValue)]" }
                var chip = ChipSpec(
                    name: entry.name, manufacturer: entry.manufacturer, kind: entry.kind ?? .integratedCircuit,
                    tpp: entry.tpp.map { TPP($0) }, dieAreaMM2: entry.dieAreaMM2, datacenter: entry.datacenter,
                    interconnectGBps: entry.interconnectGBps, dramBandwidthGBps: entry.dramBandwidthGBps,
                    memoryBandwidthDensity: entry.memoryBandwidthDensity, releaseDate: entry.releaseDate, sources: sources)
                chip.warnings = lowConfidenceWarning(entry)
                chips.append(chip)
            }
        }
    }

    /// Low-confidence supplement figures are repeated as a warning wherever the chip is classified.
    static func lowConfidenceWarning(_ entry: SupplementEntry) -> [String] {
        guard entry.confidence == .low else { return [] }
        let fields = entry.sources.keys.sorted().joined(separator: ", ")
        return ["low-confidence catalog figures for \(entry.name) (\(fields)): see `classify chip` sources"]
    }
}
