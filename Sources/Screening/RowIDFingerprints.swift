/// Finds duplicate row ids in a file of any size in about 5 bytes a row: each id is kept only as a
/// 32-bit fingerprint (low half of its 64-bit hash), in open-addressing tables (load at most 0.85)
/// probed from a slot chosen by the high half. Two different ids collide only when their
/// fingerprints agree within one probe run: about (probe length) / 2^32 per row, under once in 10^8
/// rows. Such ids come back as *candidates* that the caller confirms by reading the file again
/// (``ValidatedFile``); a real duplicate is always a candidate.
///
/// The first table is sized from an estimate of the row count; when it fills, a table twice as large
/// is added (fingerprints cannot be rehashed) and every look-up checks all tables.
///
/// ```swift
/// var ids = RowIDFingerprints(expectedRows: 1_000_000)
/// ids.insert(hash: RowIDFingerprints.hash(bytes))   // false: new; true: maybe seen before
/// ```
struct RowIDFingerprints {
    private var tables: [[UInt32]] = []
    private var counts: [Int] = []
    /// Test hook: how many bits of each fingerprint are kept (32 in production; fewer forces
    /// collisions so that the confirming pass is exercised).
    private let fingerprintMask: UInt32

    init(expectedRows: Int, fingerprintBits: Int = 32) {
        fingerprintMask = fingerprintBits >= 32 ? UInt32.max : (UInt32(1) << UInt32(fingerprintBits)) - 1
        addTable(slots: max(1024, expectedRows * 100 / 85 + 1))
    }

    private mutating func addTable(slots: Int) {
        tables.append([UInt32](repeating: 0, count: slots))
        counts.append(0)
    }

    /// Bytes the tables hold.
    var memoryBytes: Int { tables.reduce(0) { $0 + $1.count * 4 } }

    /// Records a hash; returns true when an equal fingerprint was already recorded (a candidate
    /// duplicate).
    mutating func insert(hash: UInt64) -> Bool {
        var fingerprint = UInt32(truncatingIfNeeded: hash) & fingerprintMask
        if fingerprint == 0 { fingerprint = 1 }
        let high = hash >> 32
        for t in tables.indices {
            let seen = tables[t].withUnsafeBufferPointer { slots -> Bool in
                var i = Int((high &* UInt64(slots.count)) >> 32)
                while true {
                    let slot = slots[i]
                    if slot == 0 { return false }
                    if slot == fingerprint { return true }
                    i += 1
                    if i == slots.count { i = 0 }
                }
            }
            if seen { return true }
        }
        var last = tables.count - 1
        if (counts[last] + 1) * 100 > tables[last].count * 85 {
            addTable(slots: tables[last].count * 2)
            last += 1
        }
        tables[last].withUnsafeMutableBufferPointer { slots in
            var i = Int((high &* UInt64(slots.count)) >> 32)
            while slots[i] != 0 {
                i += 1
                if i == slots.count { i = 0 }
            }
            slots[i] = fingerprint
        }
        counts[last] += 1
        return false
    }

    /// 64-bit hash of an id's bytes (FNV-1a with a final mix so all bits spread).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h &*= 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }
}
