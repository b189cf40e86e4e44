/// A read-only open-addressing table from 64-bit hash keys to 64-bit values (linear probing),
/// built once. Lookups of the blocking index go through it: the keys are already hashes, so it
/// skips the per-lookup SipHash of `Dictionary` (a tenth of a search's time).
///
/// Key 0 marks an empty slot, so a key of 0 is stored as 1: two hashes that differ only there
/// share a slot's value, which can only add a candidate the similarity then rejects.
struct HashKeyTable: Sendable {
    private let keys: [UInt64]
    private let values: [UInt64]
    private let mask: Int

    init(_ pairs: [(key: UInt64, value: UInt64)]) {
        var capacity = 16
        while capacity < pairs.count * 2 { capacity <<= 1 }
        var keys = [UInt64](repeating: 0, count: capacity)
        var values = [UInt64](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (key, value) in pairs {
            let k = key == 0 ? 1 : key
            var slot = HashKeyTable.slot(k, mask)
            while keys[slot] != 0 && keys[slot] != k { slot = (slot + 1) & mask }
            if keys[slot] == 0 { keys[slot] = k; values[slot] = value }
        }
        self.keys = keys
        self.values = values
        self.mask = mask
    }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The value stored for `key` (the first stored, when a key was given twice), or nil.
    @inline(__always) subscript(key: UInt64) -> UInt64? {
        let k = key == 0 ? 1 : key
        var slot = HashKeyTable.slot(k, mask)
        while true {
            let stored = keys[slot]
            if stored == k { return values[slot] }
            if stored == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }
}
