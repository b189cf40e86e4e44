/// Interns byte strings (names read from a file) as dense `Int32` ids without allocating per call:
/// names are copied once into an arena, and lookups hash the bytes (FNV-1a) into an open-addressing
/// table. Used on the usage-aggregation hot path (10 million records), where a `String` per field
/// would dominate the cost.
///
/// ```swift
/// var owners = ByteInterner()
/// let id = owners.intern("Acme")   // 0; the hot path passes the record's bytes instead
/// owners.name(id)                   // "Acme"
/// ```
public struct ByteInterner: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open-addressing slots holding `id + 1` (0 = empty).
    private var slots: [Int32]
    private var mask: Int

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Number of distinct names.
    public var count: Int { hashes.count }

    /// The id of `bytes`, adding it when new.
    public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = ByteInterner.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == hash && equal(id, bytes) { return entry - 1 }
            slot = (slot + 1) & mask
        }
        let id = Int32(hashes.count)
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        hashes.append(hash)
        slots[slot] = id + 1
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    /// The id of `bytes` if already interned.
    public func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = ByteInterner.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let id = Int(entry - 1)
            if hashes[id] == hash && equal(id, bytes) { return entry - 1 }
            slot = (slot + 1) & mask
        }
    }

    /// Interns a `String` (setup and tests).
    public mutating func intern(_ text: String) -> Int32 {
        var copy = text
        return copy.withUTF8 { intern($0) }
    }

    /// The name of an id.
    public func name(_ id: Int32) -> String {
        let range = starts[Int(id)]..<starts[Int(id) + 1]
        return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    private func equal(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[id], end = starts[id + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { stored in
            var i = 0
            while i < bytes.count {
                if stored[start + i] != bytes[i] { return false }
                i += 1
            }
            return true
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var newSlots = [Int32](repeating: 0, count: size)
        let newMask = size - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & newMask
            while newSlots[slot] != 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = Int32(id + 1)
        }
        slots = newSlots
        mask = newMask
    }

    /// FNV-1a, 64-bit, with a final mix so low bits spread.
    @inline(__always) static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01B3
        }
        h ^= h >> 29
        h &*= 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return h
    }
}
