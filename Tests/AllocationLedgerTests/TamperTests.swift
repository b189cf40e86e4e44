import AllocationLedger
import ComputeMetrics
import DiffusionRules
import Foundation
import GRDB
import Testing

@Suite("Allocation ledger: tamper detection and signed receipts (both backends)")
struct TamperTests {
    /// A small ledger with a determination (with receipt), a fleet row, a debit and a reservation.
    func populated(_ backend: Backend) throws -> (any AllocationLedger, String) {
        let (ledger, location, _) = try backend.newLedger()
        _ = try ledger.commit(run: testRun, limits: testLimits) { _ in
            [record("P05", cap: .countryAllocation(india), tpp: 129_695_744), record("P09", cap: nil, tpp: 7)]
        }
        _ = try ledger.seedFleet(fileSHA256: "f", fileName: "fleet.csv", recordedAt: "2026-01-01T00:00:00Z",
                                 entries: [(2, InstalledBaseEntry(holder: "Contoso", country: CountryCode("US")!, tpp: TPP(whole: 1_000)))])
        _ = try ledger.debit([DebitRequest(key: "d1", debits: [lpp("X", 100)], date: june)], at: "2026-06-01T00:00:00Z", limits: testLimits)
        _ = try ledger.reserve(ReservationRequest(id: "APP", debits: [lpp("X", 50)], date: june, expiresAt: "2027-01-01T00:00:00Z"),
                               at: "2026-06-01T00:00:01Z", limits: testLimits)
        #expect(try ledger.verify().ok)
        return (ledger, location)
    }

    @Test("Any single edited byte in a stored event is reported by verify", arguments: Backend.all)
    func everyByte(backend: Backend) throws {
        let (ledger, location) = try populated(backend)
        // Every column of every event, at positions spread over the whole value (all bytes of short
        // columns; every 7th byte plus the last of long ones), each edited alone and restored.
        let columns = ["kind", "idempotency_key", "recorded_at", "body", "prev_hash", "hash"]
        var checked = 0
        for seq in 1...Int64(try ledger.eventCount()) {
            for column in columns {
                let value = try read(backend, location, column: column, seq: seq)
                let bytes = Array(value.utf8)
                let positions = bytes.count <= 80 ? Array(bytes.indices) : Array(stride(from: 0, to: bytes.count, by: 7)) + [bytes.count - 1]
                for position in positions {
                    var edited = bytes
                    edited[position] = edited[position] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
                    try write(backend, location, column: column, seq: seq, value: String(decoding: edited, as: UTF8.self))
                    let report = try ledger.verify()
                    #expect(!report.ok, "edit of \(column)[\(position)] in event \(seq) not detected")
                    checked += 1
                }
                try write(backend, location, column: column, seq: seq, value: value)
            }
            // The sequence number itself.
            try backend.execute(location, "UPDATE events SET seq = seq + 1000 WHERE seq = \(seq)", foreignKeys: false)
            #expect(!(try ledger.verify().ok), "renumbered event \(seq) not detected")
            try backend.execute(location, "UPDATE events SET seq = seq - 1000 WHERE seq = \(seq + 1000)", foreignKeys: false)
        }
        #expect(checked > 300)
        #expect(try ledger.verify().ok)
    }

    @Test("Edited projections, deleted events and a truncated tail are reported", arguments: Backend.all)
    func projections(backend: Backend) throws {
        for edit in ["UPDATE caps SET used_milli = used_milli + 1 WHERE cap = 'lpp/X/2026'",
                     "UPDATE caps SET reserved_milli = 0",
                     "UPDATE movements SET used_milli = 1 WHERE event_seq = 1",
                     "UPDATE installed_base SET tpp_milli = 1 WHERE event_seq = 3",
                     "UPDATE reservations SET state = 'granted'",
                     "DELETE FROM receipts WHERE event_seq = 2",
                     "UPDATE chain_head SET seq = seq - 1",
                     "DELETE FROM movements WHERE event_seq = 5; DELETE FROM reservations; DELETE FROM events WHERE seq = 5"] {
            let (ledger, location) = try populated(backend)
            try backend.execute(location, edit)
            #expect(!(try ledger.verify().ok), "not detected: \(edit)")
        }
    }

    @Test("Receipts verify offline; an edited byte or another signer is refused", arguments: Backend.all)
    func receipts(backend: Backend) throws {
        let (ledger, _) = try populated(backend)
        let receipts = try ledger.receipts(run: nil)
        #expect(receipts.count == 2)
        let key = try #require(try ledger.publicKey())
        for receipt in receipts {
            guard case let .success(verified) = Receipts.verify(receipt, publicKey: key) else { Issue.record("receipt does not verify"); continue }
            #expect(verified.publicKey == key)
            #expect(receipt.contains("\"rule_pack\":{\"regime\":\"ai-diffusion-2025\",\"sha256\":\"bbbb"))
            #expect(receipt.contains("\"input\":{\"file\":\"deals.csv\""))
        }
        var bytes = Array(receipts[0].utf8)
        for position in stride(from: 0, to: bytes.count, by: 11) {
            let original = bytes[position]
            bytes[position] = original == UInt8(ascii: "7") ? UInt8(ascii: "8") : UInt8(ascii: "7")
            if case .success = Receipts.verify(String(decoding: bytes, as: UTF8.self), publicKey: key) {
                Issue.record("edited receipt byte \(position) verified")
            }
            bytes[position] = original
        }
        guard case .failure = Receipts.verify(receipts[0], publicKey: String(repeating: "ab", count: 32)) else {
            Issue.record("a receipt verified against another key"); return
        }
    }

    private func read(_ backend: Backend, _ location: String, column: String, seq: Int64) throws -> String {
        switch backend {
        case .sqlite:
            return try DatabaseQueue(path: location).read { try String.fetchOne($0, sql: "SELECT \(column) FROM events WHERE seq = ?", arguments: [seq])! }
        case .postgres:
            return try PostgresAdmin.strings(url: location, "SELECT \(column) FROM events WHERE seq = \(seq)")[0]
        }
    }

    private func write(_ backend: Backend, _ location: String, column: String, seq: Int64, value: String) throws {
        switch backend {
        case .sqlite:
            try DatabaseQueue(path: location).write { try $0.execute(sql: "UPDATE events SET \(column) = ? WHERE seq = ?", arguments: [value, seq]) }
        case .postgres:
            let literal = "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
            try backend.execute(location, "UPDATE events SET \(column) = \(literal) WHERE seq = \(seq)")
        }
    }
}
