import ByteInterning
@testable import ChannelInputs
import CloudMonitoring
import DiffusionRules
import Testing

func day(_ text: String) -> Day { Day(text)! }

@Suite struct HotPathPrimitives {
    @Test func byteInternerMatchesADictionary() {
        var interner = ByteInterner(capacity: 4)
        var oracle: [String: Int32] = [:]
        var state: UInt64 = 7
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let name = "owner-\(state >> 50)"
            let id = interner.intern(name)
            if let expected = oracle[name] { #expect(id == expected) } else { oracle[name] = id }
        }
        #expect(interner.count == oracle.count)
        for (name, id) in oracle.prefix(100) { #expect(interner.name(id) == name) }
    }

    @Test func pairMapMatchesADictionary() {
        var map = PairMap(capacity: 2)
        var oracle: [UInt64: Int32] = [:]
        for i in 0..<50_000 {
            let key = PairMap.key(Int32(i % 977), Int32(i % 131))
            let next = Int32(oracle.count)
            let (value, inserted) = map.value(for: key) { next }
            if let expected = oracle[key] { #expect(value == expected && !inserted) } else { oracle[key] = value; #expect(inserted) }
        }
        #expect(map.count == oracle.count)
        #expect(map.value(for: PairMap.key(-1, 5)) == nil)
    }

    @Test(arguments: [
        ("1e26", 1e26), ("0.40", 0.4), ("2.788e6", 2.788e6), ("+5", 5.0), ("-5", -5.0), ("12", 12.0), ("1.5E+3", 1500.0), (".5", 0.5),
    ])
    func numbers(text: String, value: Double) {
        let parsed = Array(text.utf8).withUnsafeBufferPointer { ByteFields.number($0) }
        #expect(parsed != nil && abs(parsed! - value) <= abs(value) * 1e-15)
    }

    @Test(arguments: ["", "1,000", "nan", "inf", "1e", "0x10", "5 h", "."])
    func notNumbers(text: String) {
        #expect(Array(text.utf8).withUnsafeBufferPointer { ByteFields.number($0) } == nil)
    }

    @Test func timestamps() {
        func t(_ s: String) -> Int64? { Array(s.utf8).withUnsafeBufferPointer { ByteFields.timestamp($0) } }
        #expect(t("1970-01-02") == 86_400)
        #expect(t("2024-01-01T00:00Z")! + 86_400 == t("2024-01-02T00:00:00Z"))
        #expect(t("2024-01-01 06:30") == t("2024-01-01T00:00")! + 6 * 3600 + 1800)
        #expect(t("2024-01-01T00:00+02:00") == nil)
        #expect(t("2024-02-30") == nil)
    }

    @Test func syntheticUsageIsDeterministicAndAggregates() throws {
        let a = SyntheticUsage.csv(records: 5_000, seed: 3)
        #expect(a == SyntheticUsage.csv(records: 5_000, seed: 3))
        #expect(a != SyntheticUsage.csv(records: 5_000, seed: 4))
        let f = CloudFixture.shared
        let usage = try f.read(String(decoding: a, as: UTF8.self))
        #expect(usage.records == 5_000)
        #expect(usage.owners.count <= 10)
        #expect(usage.resellers.count == 5)
    }
}
