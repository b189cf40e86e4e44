import DiffusionRules

/// Finds duplicate row ids among a million rows without a `[String: Int]` dictionary: an
/// open-addressing table (load factor at most 0.7) of (32-bit hash tag, row) pairs, 8 bytes a slot. The tag is the high half
/// of an FNV-1a hash of the id's bytes; ids are compared (in the transactions themselves) only when
/// tags match, and the table can grow without rehashing ids.
struct RowIDIndex {
    private static let empty = UInt64.max
    private var slots: [UInt64]
    private var count = 0

    init(expectedRows: Int = 512) {
        var size = 1024
        while size * 7 < expectedRows * 10 { size <<= 1 }
        slots = Array(repeating: RowIDIndex.empty, count: size)
    }

    /// Records `id` for `row`; returns the earlier row with the same id, if any.
    mutating func insert(_ id: String, row: Int, in transactions: [Transaction]) -> Int? {
        if (count + 1) * 10 > slots.count * 7 { grow() }
        let tag = RowIDIndex.tag(id)
        let mask = slots.count - 1
        var slot = RowIDIndex.start(tag, mask)
        while slots[slot] != RowIDIndex.empty {
            let entry = slots[slot]
            if entry >> 32 == tag, transactions[Int(entry & 0xFFFF_FFFF)].id == id {
                return Int(entry & 0xFFFF_FFFF)
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = tag << 32 | UInt64(row)
        count += 1
        return nil
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: RowIDIndex.empty, count: old.count * 2)
        let mask = slots.count - 1
        for entry in old where entry != RowIDIndex.empty {
            var slot = RowIDIndex.start(entry >> 32, mask)
            while slots[slot] != RowIDIndex.empty { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }

    /// High 32 bits of the FNV-1a hash of the id's UTF-8 bytes.
    static func tag(_ id: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash >> 32
    }

    /// First probe position for a tag (Fibonacci hashing spreads nearby tags).
    static func start(_ tag: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (tag &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }
}
