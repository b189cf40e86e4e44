#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeededRandom

/// Deterministic synthetic IaaS usage for the `bench cloud` benchmark: owners with several accounts
/// and resellers, labelled and unlabelled runs, a few very large owners, some biological records,
/// in shuffled order (the worst case for the aggregator's caches). Same seed, same bytes.
public struct SyntheticUsage {
    public static let header = "account,reseller,beneficial_owner,owner_hq,cluster,run,chip,gpu_hours,utilization,data_type,precision\n"
    static let chips = ["H100", "H200", "B200", "A100", "MI300X", "H800", "Gaudi 3", "TPU v5p"]
    static let headquarters = ["US", "US", "US", "GB", "DE", "JP", "FR", "CN", "AE", "SA", "SG", "IN", "KR", "IL", "BR"]
    static let resellers = ["", "", "Reseller A", "Reseller B", "Reseller C", "Reseller D", "Reseller E"]

    private var random: SplitMix64
    public let owners: Int

    /// `records` records spread over about `records / 500` owners.
    public init(seed: UInt64, records: Int) {
        random = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15)
        owners = max(10, records / 500)
    }

    mutating func next() -> UInt64 { random.next() }

    /// One CSV line (with newline).
    public mutating func line() -> String {
        let owner = Int(next() % UInt64(owners))
        let whale = owner % 997 == 0
        let account = owner * 4 + Int(next() % 4)
        let hq = Self.headquarters[owner % Self.headquarters.count]
        let reseller = Self.resellers[(owner + Int(next() % 3)) % Self.resellers.count]
        let cluster = "cluster-\(owner % 40)"
        let runNumber = Int(next() % 6)
        let run = runNumber == 0 ? "" : "run-\(runNumber)"
        let chip = Self.chips[owner % Self.chips.count]
        let hours = whale ? 20_000 + Int(next() % 400_000) : 1 + Int(next() % 2_000)
        let utilization = 20 + Int(next() % 40)
        let biological = owner % 53 == 0 ? "biological" : "general"
        let precision = owner % 3 == 0 ? "fp8" : ""
        return "acct-\(account),\(reseller),Owner \(owner),\(hq),\(cluster),\(run),\(chip),\(hours),0.\(utilization),\(biological),\(precision)\n"
    }

    /// Writes `records` lines (plus the header) to `path`. Returns the bytes written.
    @discardableResult
    public static func write(records: Int, seed: UInt64, to path: String) throws -> Int {
        guard let file = fopen(path, "wb") else { throw SyntheticUsageError(path: path) }
        defer { fclose(file) }
        var generator = SyntheticUsage(seed: seed, records: records)
        var buffer: [UInt8] = Array(header.utf8)
        buffer.reserveCapacity(1 << 20)
        var written = 0
        for _ in 0..<records {
            buffer.append(contentsOf: generator.line().utf8)
            if buffer.count >= 1 << 20 {
                written += buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        written += buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        return written
    }

    /// The whole file in memory (tests).
    public static func csv(records: Int, seed: UInt64) -> [UInt8] {
        var generator = SyntheticUsage(seed: seed, records: records)
        var bytes = Array(header.utf8)
        for _ in 0..<records { bytes.append(contentsOf: generator.line().utf8) }
        return bytes
    }
}

/// The benchmark file could not be created.
public struct SyntheticUsageError: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "cannot write \(path)" }
}
