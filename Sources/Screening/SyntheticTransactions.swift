import SeededRandom

/// Deterministic synthetic transactions for benchmarks: a seeded generator writes a transactions CSV
/// with a realistic mix of chips, destinations (all three tiers), parents, dates 2023-2026 and VEU
/// holders. Same seed, same bytes.
public struct SyntheticTransactions {
    public static let header = "id,date,item,quantity,destination,consignee,consignee_hq,ultimate_parent,veu\n"
    static let items = ["H100", "H200", "B200", "GB300", "A100", "RTX 4090", "H20", "MI300X", "L40S", "Gaudi 3", "H800", "L20"]
    static let destinations = ["US", "GB", "DE", "JP", "IN", "AE", "SA", "SG", "MY", "BR", "CN", "HK", "KZ", "AM", "IL", "VN", "FR", "KR", "MX", "ID"]
    static let headquarters = ["US", "US", "US", "GB", "JP", "IN", "AE", "SA", "CN", "SG", "DE", "KR"]

    private var random: SplitMix64

    public init(seed: UInt64) { random = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }

    mutating func next() -> UInt64 { random.next() }

    mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }

    /// One CSV line (with newline) for row `index`.
    public mutating func line(_ index: Int) -> String {
        let year = 2023 + Int(next() % 4), month = 1 + Int(next() % 12), day = 1 + Int(next() % 28)
        let date = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
        let parent = Int(next() % 1000)
        let veu = next() % 20 == 0 ? "UVEU" : (next() % 50 == 0 ? "NVEU" : "")
        let quantity = 1 + Int(next() % 2000)
        return "S\(index),\(date),\(pick(Self.items)),\(quantity),\(pick(Self.destinations)),Consignee \(parent),\(pick(Self.headquarters)),Parent \(parent),\(veu)\n"
    }

    /// The whole file as bytes (for in-memory benchmarks and tests).
    public static func csv(rows: Int, seed: UInt64) -> [UInt8] {
        var generator = SyntheticTransactions(seed: seed)
        var bytes = Array(header.utf8)
        bytes.reserveCapacity(rows * 80)
        for index in 0..<rows { bytes.append(contentsOf: generator.line(index).utf8) }
        return bytes
    }
}
