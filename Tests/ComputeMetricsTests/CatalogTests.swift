import ComputeMetrics
import Foundation
import RuleData
import TabularIO
import Testing

/// Repository root, for the data files the tests compare against.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

@Suite("Chip catalog (Epoch AI data + supplement + aliases)")
struct CatalogTests {
    let catalog = try! ChipCatalogLoader.load()

    @Test("Every Epoch chip with a TPP is in the catalog, with TPP equal to Epoch's column / 1e12 within 1%")
    func coversEpoch() throws {
        let table = try CSVTable(reader: CSVRecordReader(path: repositoryRoot + "/data/epoch/ml_hardware/ml_hardware.csv"),
                                 required: ["Hardware name", "Total processing performance (bit-OP/s)"], allowOtherColumns: true)
        let name = table.column("Hardware name")!, tppColumn = table.column("Total processing performance (bit-OP/s)")!
        var checked = 0
        while let record = try table.next() {
            guard let bitOps = Double(record.string(at: tppColumn)) else { continue }
            let chip = try catalog.lookup(record.string(at: name))
            let expected = bitOps / 1e12
            let actual = try #require(chip.tpp).value
            #expect(abs(actual - expected) <= 0.01 * expected, "\(chip.name): \(actual) vs Epoch \(expected)")
            checked += 1
        }
        #expect(checked >= 150) // Epoch's file has 170 rows; most have a TPP
    }

    @Test("Aliases people type resolve, case-insensitively", arguments: [
        ("H100", 15_832.0), ("h100 sxm", 15_832), ("H200", 15_832), ("H800", 15_832), ("H20", 2_368), ("A100", 4_992),
        ("A800", 4_988.8), ("GH200", 15_832), ("B200", 36_000), ("GB200", 40_000), ("GB300", 61_120), ("MI300X", 20_919.2),
        ("MI325X", 20_800), ("Gaudi 3", 26_848), ("Ascend 910B", 6_016), ("ascend 910c", 12_800), ("RTX 4090", 5_284.8),
        ("L40S", 5_864),
    ])
    func aliases(name: String, tpp: Double) throws {
        let chip = try catalog.lookup(name)
        #expect(chip.tpp == TPP(tpp), "\(name) -> \(chip.name)")
    }

    @Test("An unknown name is an error that suggests the closest catalog names")
    func unknownName() {
        #expect {
            try catalog.lookup("H10")
        } throws: { error in
            guard let error = error as? UnknownItemError else { return false }
            return error.suggestions.contains("H100") && error.description.contains("did you mean")
        }
    }

    @Test("RTX 4090 is not a datacenter part; H100 is")
    func datacenterFlags() throws {
        #expect(try catalog.lookup("RTX 4090").datacenter == false)
        #expect(try catalog.lookup("H100").datacenter == true)
    }

    @Test("Supplement figures carry their sources (H800 interconnect 400 GB/s, L40S TPP)")
    func supplementSources() throws {
        let h800 = try catalog.lookup("H800")
        #expect(h800.interconnectGBps == 400)
        #expect(h800.sources["interconnect_gbps"]?.contains("400") == true)
        #expect(try catalog.lookup("L40S").sources["tpp"]?.contains("733") == true)
    }

    @Test("The bundled catalog equals a fresh generation from data/epoch (the generator is the source of truth)")
    func generatorReproducesCatalog() throws {
        let generated = try EpochCatalogGenerator.generate(epochCSV: repositoryRoot + "/data/epoch/ml_hardware/ml_hardware.csv")
        let bundled = try String(contentsOfFile: BundledFiles.path("chips/epoch-catalog.csv"), encoding: .utf8)
        #expect(generated == bundled)
    }
}
