#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Interns byte strings (names read from a file) as dense `Int32` ids without allocating per call.
/// Used on the usage-aggregation hot path (10 million records), where a `String` per field would
/// dominate the cost.
///
/// Each slot of the open-addressing table holds the hash, the id and, for names of up to 16 bytes,
/// the name itself, so a lookup usually touches one cache line; longer names are compared against
/// the arena where every name is kept once.
///
/// ```swift
/// var owners = ByteInterner()
/// let id = owners.intern("Acme")   // 0; the hot path passes the record's bytes instead
/// owners.name(id)                   // "Acme"
/// ```
public struct ByteInterner: Sendable {
    struct Slot: Sendable {
        var hash: UInt64 = 0
        /// `id + 1`; 0 = empty.
        var entry: Int32 = 0
        var length: Int32 = 0
        /// The first 16 bytes of the name, zero-padded.
        var head: (UInt64, UInt64) = (0, 0)
    }

    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var slots: [Slot]
    private var mask: Int
    public private(set) var count = 0

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
    }

    /// The id of `bytes`, adding it when new.
    @inline(__always)
    public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = ByteInterner.hash(bytes)
        let head = ByteInterner.head(bytes)
        let (found, slot) = probe(bytes, hash, head)
        if let found { return found }
        let id = Int32(count)
        count += 1
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        slots[slot] = Slot(hash: hash, entry: id + 1, length: Int32(bytes.count), head: head)
        if count * 2 > slots.count { grow() }
        return id
    }

    /// The id of `bytes` if already interned.
    public func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        probe(bytes, ByteInterner.hash(bytes), ByteInterner.head(bytes)).0
    }

    /// The id of `bytes` if present, else the empty slot where it belongs.
    @inline(__always)
    private func probe(_ bytes: UnsafeBufferPointer<UInt8>, _ hash: UInt64, _ head: (UInt64, UInt64)) -> (Int32?, Int) {
        let mask = self.mask
        return slots.withUnsafeBufferPointer { slots in
            var i = Int(truncatingIfNeeded: hash) & mask
            while true {
                let slot = slots[i]
                if slot.entry == 0 { return (nil, i) }
                if slot.hash == hash, Int(slot.length) == bytes.count, slot.head == head,
                   bytes.count <= 16 || longTailEqual(Int(slot.entry - 1), bytes) {
                    return (slot.entry - 1, i)
                }
                i = (i + 1) & mask
            }
        }
    }

    private func longTailEqual(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { arena in
            memcmp(arena.baseAddress! + starts[id], bytes.baseAddress!, bytes.count) == 0
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

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.entry != 0 {
            var i = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[i].entry != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }

    /// The first 16 bytes, zero-padded, as two words.
    @inline(__always) static func head(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        let n = min(bytes.count, 16)
        if n > 0 {
            withUnsafeMutableBytes(of: &words) { raw in
                raw.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: n)
            }
        }
        return words
    }

    /// FNV-1a, 64-bit, with a final mix so low bits spread.
    @inline(__always) static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        let n = bytes.count
        while i < n {
            h ^= UInt64(bytes[i])
            h &*= 0x0000_0100_0000_01B3
            i += 1
        }
        h ^= h >> 29
        h &*= 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return h
    }
}
