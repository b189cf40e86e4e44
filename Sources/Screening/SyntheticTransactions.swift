import Foundation
import SeededRandom

/// Deterministic synthetic transactions for benchmarks: a seeded generator writes a transactions CSV
/// with a realistic mix of chips, destinations (all three tiers), parents, dates 2023-2026 and VEU
/// holders. Same seed, same bytes.
///
/// ```swift
/// let bytes = SyntheticTransactions.csv(rows: 1_000, seed: 42)
/// try SyntheticTransactions.write(rows: 10_000_000, seed: 42, to: "big.csv")   // streamed, ~610 MB
/// ```
public struct SyntheticTransactions {
    public static let header = "id,date,item,quantity,destination,consignee,consignee_hq,ultimate_parent,veu\n"
    public static let items = ["H100", "H200", "B200", "GB300", "A100", "RTX 4090", "H20", "MI300X", "L40S", "Gaudi 3", "H800", "L20"]
    static let destinations = ["US", "GB", "DE", "JP", "IN", "AE", "SA", "SG", "MY", "BR", "CN", "HK", "KZ", "AM", "IL", "VN", "FR", "KR", "MX", "ID"]
    static let headquarters = ["US", "US", "US", "GB", "JP", "IN", "AE", "SA", "CN", "SG", "DE", "KR"]

    private var random: SplitMix64
    private let years: ClosedRange<Int>
    private let months: ClosedRange<Int>

    /// Rows dated in `years` and `months` (days 1-28); the defaults give the pinned benchmark file.
    public init(seed: UInt64, years: ClosedRange<Int> = 2023...2026, months: ClosedRange<Int> = 1...12) {
        random = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15)
        self.years = years
        self.months = months
    }

    mutating func next() -> UInt64 { random.next() }

    mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }

    /// One CSV line (with newline) for row `index`.
    public mutating func line(_ index: Int) -> String {
        let year = years.lowerBound + Int(next() % UInt64(years.count))
        let month = months.lowerBound + Int(next() % UInt64(months.count)), day = 1 + Int(next() % 28)
        let date = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
        let parent = Int(next() % 1000)
        let veu = next() % 20 == 0 ? "UVEU" : (next() % 50 == 0 ? "NVEU" : "")
        let quantity = 1 + Int(next() % 2000)
        return "S\(index),\(date),\(pick(Self.items)),\(quantity),\(pick(Self.destinations)),Consignee \(parent),\(pick(Self.headquarters)),Parent \(parent),\(veu)\n"
    }

    /// The whole file as bytes (for in-memory benchmarks and tests).
    public static func csv(rows: Int, seed: UInt64, years: ClosedRange<Int> = 2023...2026, months: ClosedRange<Int> = 1...12) -> [UInt8] {
        var generator = SyntheticTransactions(seed: seed, years: years, months: months)
        var bytes = Array(header.utf8)
        bytes.reserveCapacity(rows * 80)
        for index in 0..<rows { bytes.append(contentsOf: generator.line(index).utf8) }
        return bytes
    }

    /// Writes the file of ``csv(rows:seed:years:months:)`` to `path` in 1 MiB pieces (any size, little memory).
    public static func write(rows: Int, seed: UInt64, years: ClosedRange<Int> = 2023...2026, months: ClosedRange<Int> = 1...12,
                             to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var generator = SyntheticTransactions(seed: seed, years: years, months: months)
        var bytes = Array(header.utf8)
        bytes.reserveCapacity(1 << 21)
        for index in 0..<rows {
            bytes.append(contentsOf: generator.line(index).utf8)
            if bytes.count >= 1 << 20 {
                try handle.write(contentsOf: bytes)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: bytes)
    }
}
