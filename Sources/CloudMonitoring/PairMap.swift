/// An open-addressing hash map from `UInt64` keys (two packed `Int32` ids) to `Int32` values, for
/// the aggregation hot path: no allocation per lookup, no `Hashable` overhead.
public struct PairMap: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    /// Occupancy: 0 empty, 1 used.
    private var used: [UInt8]
    private var mask: Int
    public private(set) var count = 0

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: 0, count: size)
        used = [UInt8](repeating: 0, count: size)
        mask = size - 1
    }

    /// Packs two ids into a key.
    @inline(__always) public static func key(_ a: Int32, _ b: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
    }

    @inline(__always) static func slot(_ key: UInt64, _ mask: Int) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 31
        return Int(truncatingIfNeeded: h) & mask
    }

    /// The value for `key`, inserting `make()` when absent. Returns the value and whether it was inserted.
    @inline(__always)
    public mutating func value(for key: UInt64, orInsert make: () -> Int32) -> (Int32, Bool) {
        var slot = PairMap.slot(key, mask)
        while used[slot] != 0 {
            if keys[slot] == key { return (values[slot], false) }
            slot = (slot + 1) & mask
        }
        let value = make()
        keys[slot] = key
        values[slot] = value
        used[slot] = 1
        count += 1
        if count * 2 > keys.count { grow() }
        return (value, true)
    }

    /// Inserts `key` (value 0); true when it was new. Used as a set of pairs.
    @inline(__always)
    public mutating func insert(_ key: UInt64) -> Bool {
        value(for: key) { 0 }.1
    }

    public func value(for key: UInt64) -> Int32? {
        var slot = PairMap.slot(key, mask)
        while used[slot] != 0 {
            if keys[slot] == key { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Every key with its value (unordered).
    public func forEach(_ body: (UInt64, Int32) -> Void) {
        for i in 0..<keys.count where used[i] != 0 { body(keys[i], values[i]) }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values, oldUsed = used
        let size = keys.count * 2
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: 0, count: size)
        used = [UInt8](repeating: 0, count: size)
        mask = size - 1
        for i in 0..<oldKeys.count where oldUsed[i] != 0 {
            var slot = PairMap.slot(oldKeys[i], mask)
            while used[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[i]
            values[slot] = oldValues[i]
            used[slot] = 1
        }
    }
}
