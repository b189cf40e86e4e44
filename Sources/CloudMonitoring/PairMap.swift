/// An open-addressing hash map from `UInt64` keys (two packed `Int32` ids) to `Int32` values, for
/// the aggregation hot path: one array of slots (key and value side by side, one cache line per
/// probe), no allocation per lookup, no `Hashable` overhead. `UInt64.max` marks an empty slot and
/// cannot be a key (it would be the pair (-1, -1)).
public struct PairMap: Sendable {
    struct Slot: Sendable {
        var key: UInt64
        var value: Int32
    }

    private static let empty = UInt64.max
    private var slots: [Slot]
    private var mask: Int
    public private(set) var count = 0

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: PairMap.empty, value: 0), count: size)
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
        precondition(key != PairMap.empty, "the pair (-1, -1) cannot be a key")
        let mask = self.mask
        let (value, inserted): (Int32, Bool) = slots.withUnsafeMutableBufferPointer { slots in
            var i = PairMap.slot(key, mask)
            while slots[i].key != PairMap.empty {
                if slots[i].key == key { return (slots[i].value, false) }
                i = (i + 1) & mask
            }
            let value = make()
            slots[i] = Slot(key: key, value: value)
            return (value, true)
        }
        if inserted {
            count += 1
            if count * 2 > slots.count { grow() }
        }
        return (value, inserted)
    }

    /// Inserts `key` (value 0); true when it was new. Used as a set of pairs.
    @inline(__always)
    public mutating func insert(_ key: UInt64) -> Bool {
        value(for: key) { 0 }.1
    }

    public func value(for key: UInt64) -> Int32? {
        guard key != PairMap.empty else { return nil }
        var i = PairMap.slot(key, mask)
        while slots[i].key != PairMap.empty {
            if slots[i].key == key { return slots[i].value }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Every key with its value (unordered).
    public func forEach(_ body: (UInt64, Int32) -> Void) {
        for slot in slots where slot.key != PairMap.empty { body(slot.key, slot.value) }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: PairMap.empty, value: 0), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.key != PairMap.empty {
            var i = PairMap.slot(slot.key, mask)
            while slots[i].key != PairMap.empty { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
