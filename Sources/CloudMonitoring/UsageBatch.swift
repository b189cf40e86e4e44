import DiffusionRules

/// Records parsed but not yet aggregated: hashed keys, figures, and the owner, account and run
/// names copied into one byte arena (the CSV reader reuses its buffer for the next record).
public struct UsageBatch: Sendable {
    public struct Entry: Sendable {
        var k1: UInt64
        var k2: UInt64
        var accountHash: UInt64
        var reseller: Int32
        var cluster: Int32
        var figures: UsageFigures
        var owner: (Int32, Int32)
        var account: (Int32, Int32)
        var run: (Int32, Int32)
    }

    public private(set) var entries: [Entry] = []
    public private(set) var names: [UInt8] = []
    public let capacity: Int

    public init(capacity: Int = 256) {
        self.capacity = capacity
        entries.reserveCapacity(capacity)
        names.reserveCapacity(capacity * 48)
    }

    public var isFull: Bool { entries.count >= capacity }

    /// Adds a record: `owner`, `account`, `run` are its bytes (`run` empty when unlabelled).
    @inline(__always)
    public mutating func append(owner: UnsafeBufferPointer<UInt8>, account: UnsafeBufferPointer<UInt8>,
                                run: UnsafeBufferPointer<UInt8>, reseller: Int32, cluster: Int32, _ f: UsageFigures) {
        let ownerHash = NameHash.of(owner)
        let runHash = run.isEmpty ? (0, 0) : NameHash.of(run)
        var accountHash = NameHash.of(account).0
        if accountHash == 0 { accountHash = 1 }
        @inline(__always) func copy(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int32, Int32) {
            let start = Int32(names.count)
            names.append(contentsOf: bytes)
            return (start, Int32(names.count))
        }
        entries.append(Entry(
            k1: ownerHash.0 ^ (runHash.0 &* 0x9E37_79B9_7F4A_7C15),
            k2: ownerHash.1 ^ (runHash.1 &* 0xC2B2_AE3D_27D4_EB4F) ^ (run.isEmpty ? 0 : 1),
            accountHash: accountHash, reseller: reseller, cluster: cluster, figures: f,
            owner: copy(owner), account: copy(account), run: copy(run)))
    }

    public mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        names.removeAll(keepingCapacity: true)
    }
}

/// Up to four ids kept inline (no allocation); `insert` reports when it is full.
struct SmallIDSet: Sendable {
    var a: Int32 = -1, b: Int32 = -1, c: Int32 = -1, d: Int32 = -1

    /// true: added or present; false: full and `id` absent (the caller keeps it elsewhere).
    @inline(__always) mutating func insert(_ id: Int32) -> Bool {
        if a == id || b == id || c == id || d == id { return true }
        if a < 0 { a = id; return true }
        if b < 0 { b = id; return true }
        if c < 0 { c = id; return true }
        if d < 0 { d = id; return true }
        return false
    }

    var ids: [Int32] { [a, b, c, d].filter { $0 >= 0 } }
}

/// Two independent 64-bit hashes of a name (FNV-1a with two bases, each finished by a mix).
enum NameHash {
    @inline(__always) static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325
        var h2: UInt64 = 0x6c62_272e_07bb_0142
        var i = 0
        let n = bytes.count
        while i < n {
            let b = UInt64(bytes[i])
            h1 = (h1 ^ b) &* 0x0000_0100_0000_01B3
            h2 = (h2 ^ b) &* 0x9E37_79B9_7F4A_7C15
            i += 1
        }
        h1 ^= UInt64(n) &* 0xFF51_AFD7_ED55_8CCD
        h1 ^= h1 >> 33
        h1 &*= 0xC4CE_B9FE_1A85_EC53
        h1 ^= h1 >> 33
        h2 ^= h2 >> 31
        h2 &*= 0xBF58_476D_1CE4_E5B9
        h2 ^= h2 >> 29
        return (h1, h2)
    }
}
