/// What a catalogued item is: an accelerator IC (3A090.a/.b), a computer or assembly containing
/// accelerators (4A090), or a high-bandwidth-memory stack (3A090.c).
public enum ItemKind: String, Codable, Sendable, CaseIterable {
    case integratedCircuit = "ic"
    case system
    case highBandwidthMemory = "hbm"
}

/// The figures of one chip or system that export-control classification needs.
///
/// Units: TPP per unit (one package or one system); applicable die area in mm² (logic dies on a
/// non-planar process, Technical Note 2 to 3A090); bandwidths in GB/s (10^9 bytes/s);
/// memory bandwidth density in GB/s per mm² (Technical Note 1 to 3A090.c).
/// A nil figure means *not known*: classification then says which prongs could not be checked
/// instead of guessing.
///
/// ```swift
/// let h100 = ChipSpec(name: "NVIDIA H100 SXM5 80GB", tpp: TPP(15_832), dieAreaMM2: 814,
///                     datacenter: true, interconnectGBps: 900, dramBandwidthGBps: 3_350)
/// h100.performanceDensity   // 19.45 (TPP per mm²)
/// ```
public struct ChipSpec: Sendable, Hashable {
    /// Canonical catalog name (Epoch AI's "Hardware name" where the chip comes from Epoch).
    public var name: String
    public var manufacturer: String?
    public var kind: ItemKind
    /// TPP of one unit (package or system).
    public var tpp: TPP?
    /// Applicable die area, mm².
    public var dieAreaMM2: Double?
    /// Designed or marketed for use in datacenters (Note 2 to 3A090); nil when unknown.
    public var datacenter: Bool?
    /// Bidirectional chip-to-chip interconnect bandwidth, GB/s (the 2022 3A090 test).
    public var interconnectGBps: Double?
    /// Total DRAM bandwidth, GB/s (the January 2026 case-by-case test).
    public var dramBandwidthGBps: Double?
    /// Memory bandwidth density, GB/s per mm² (3A090.c).
    public var memoryBandwidthDensity: Double?
    /// Release date as published (YYYY-MM-DD), informational.
    public var releaseDate: String?
    /// Where each figure comes from, by field name (`tpp`, `die_area_mm2`, `datacenter`, ...).
    public var sources: [String: String]
    /// Caveats every classification of this item repeats (e.g. figures graded low-confidence).
    public var warnings: [String] = []

    public init(name: String, manufacturer: String? = nil, kind: ItemKind = .integratedCircuit, tpp: TPP?,
                dieAreaMM2: Double? = nil, datacenter: Bool? = nil, interconnectGBps: Double? = nil,
                dramBandwidthGBps: Double? = nil, memoryBandwidthDensity: Double? = nil,
                releaseDate: String? = nil, sources: [String: String] = [:]) {
        self.name = name
        self.manufacturer = manufacturer
        self.kind = kind
        self.tpp = tpp
        self.dieAreaMM2 = dieAreaMM2
        self.datacenter = datacenter
        self.interconnectGBps = interconnectGBps
        self.dramBandwidthGBps = dramBandwidthGBps
        self.memoryBandwidthDensity = memoryBandwidthDensity
        self.releaseDate = releaseDate
        self.sources = sources
    }

    /// Performance density: TPP ÷ applicable die area (TPP/mm²), or nil when either is unknown.
    public var performanceDensity: Double? {
        guard let tpp, let area = dieAreaMM2, area > 0 else { return nil }
        return tpp.value / area
    }
}

/// Conversion between TPP and H100-equivalents.
///
/// One H100-equivalent is the TPP of one NVIDIA H100 SXM (15,832 in the bundled data, from
/// SemiAnalysis and Tom's Hardware; see `regulation-facts.md` §8). The figure is rule data, passed in.
public struct H100Equivalence: Sendable, Hashable {
    /// TPP of one H100-equivalent.
    public let tppPerH100: TPP

    public init(tppPerH100: TPP) {
        precondition(tppPerH100.milli > 0, "an H100-equivalent must have a positive TPP")
        self.tppPerH100 = tppPerH100
    }

    /// H100-equivalents in an amount of TPP.
    public func h100Equivalents(_ tpp: TPP) -> Double {
        Double(tpp.milli) / Double(tppPerH100.milli)
    }
}
