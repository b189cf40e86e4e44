import AllocationLedger
import ComputeMetrics
import DiffusionRules
import Foundation
import Screening
import TabularIO

/// What a recheck found: the holds checked under a regime on a date, and those whose
/// determination changed (a field compared by `screen --compare` differs).
public struct RecheckReport: Sendable {
    public struct Change: Sendable {
        public var hold: Int64
        public var row: String
        /// Fields that differ (`eccn`, `destination_tier`, `license_required`, ...).
        public var fields: [String]
        public var before: String
        public var after: String
    }

    public var sequence: Int64
    public var regime: String
    public var asOf: Day
    public var checked: Int
    public var changes: [Change]
}

/// A cap's balance with the limit that applies (recorded with the cap, or the rule pack's on a day).
public struct CapView: Sendable {
    public var balance: CapBalance
    public var limit: TPP?
    public var remaining: TPP? { limit.map { $0 - balance.used - balance.reserved } }
    /// Used plus reserved over the limit, 0...1 (nil without a limit).
    public var utilisation: Double? {
        guard let limit, limit.milli > 0 else { return nil }
        return Double(balance.used.milli + balance.reserved.milli) / Double(limit.milli)
    }
}

/// The page an auditor files for one committed row: the facts as given (held rows keep their
/// input), the determination with its rule path (reasons with citations), warnings and debits, the
/// hold and its decisions if the row was held, and the signed receipt with whether its signature
/// verifies against the ledger's key.
public struct DeterminationMemo: Sendable {
    public var run: Int64
    public var row: String
    /// The ledger sequence of the row's determination event (a held row's hold id).
    public var sequence: Int64
    /// The determination as recorded (a held row: the current one, after any recheck).
    public var determinationJSON: String
    public var determination: Determination
    /// The row's columns and values as given (held rows; empty otherwise).
    public var facts: [(column: String, value: String)]
    public var hold: Hold?
    /// The signed receipt of the determination event (JSON), if any.
    public var receipt: String?
    /// `valid`, or why not (e.g. "signature does not match its content").
    public var signatureStatus: String
    /// The licence the hold was released against, if any.
    public var licence: Licence?
}

extension ComplianceService {
    // MARK: - Holds

    public func holds(status: HoldStatus?) throws -> [Hold] {
        try ledger().holds(statuses: status.map { [$0] })
    }

    public func hold(_ id: Int64) throws -> Hold {
        guard let hold = try ledger().hold(id: id) else { throw ServiceError(.notFound, "no hold \(id) in the ledger") }
        return hold
    }

    public func holdCounts() throws -> [HoldStatus: Int] { try ledger().holdCounts() }

    /// Releases (against a licence), rejects or escalates a hold. A rejection needs a note.
    public func decide(hold id: Int64, action: HoldAction, licence: HoldDecision.LicenceChoice?, note: String?,
                       by principal: Principal?) throws -> Hold {
        if action == .reject && (note ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ServiceError(.badRequest, "a rejection needs a note saying why", field: "note")
        }
        if action != .release && licence != nil {
            throw ServiceError(.badRequest, "only a release takes a licence", field: "licence")
        }
        return try ledger().decide(HoldDecision(hold: id, action: action, licence: licence, note: note, actor: principal?.acting),
                                   at: clock())
    }

    // MARK: - Licences

    public func createLicence(_ spec: LicenceSpec, by principal: Principal?) throws -> (Licence, replayed: Bool) {
        try ledger().createLicence(spec, actor: principal?.acting, at: clock())
    }

    /// A licence; one past its last day reads as expired even before its expiry is recorded.
    public func licence(_ number: String) throws -> Licence {
        guard var licence = try ledger().licence(number: number) else { throw ServiceError(.notFound, "no licence \(number) in the ledger") }
        if licence.status == "active" && licence.spec.expiresAt <= clock() { licence.status = "expired" }
        return licence
    }

    public func licences() throws -> [Licence] {
        let now = clock()
        return try ledger().licences().map { l in
            var l = l
            if l.status == "active" && l.spec.expiresAt <= now { l.status = "expired" }
            return l
        }
    }

    // MARK: - Recheck

    /// Screens every pending hold again under `regime` with the rules in force on `asOf` (default
    /// today; the held shipment has not left, so it ships under the rules of the day it is
    /// released), against the balances now recorded less the holds' own debits. Records one
    /// `recheck` event with the holds checked and the new determinations of those that changed.
    public func recheck(regime name: String, asOf: Day?, by principal: Principal?) throws -> RecheckReport {
        let regime = try regime(name)
        let day = asOf ?? today
        let ledger = try ledger()
        let pending = try ledger.holds(statuses: [.open, .escalated])
        var changes: [RecheckReport.Change] = []
        var recorded: [RecheckChange] = []
        if !pending.isEmpty {
            let (file, rowIDs) = try Self.recheckInput(pending, day: day, book: book)
            var snapshot = try ledger.snapshot()
            for hold in pending {
                for debit in DeterminationDecoding.decode(hold.determinationJSON)?.debits ?? [] { Self.release(debit, from: &snapshot) }
            }
            var index = 0
            ScreeningRun.screen(file, regime: regime, snapshot: snapshot) { result in
                var d = result.determination
                d.id = rowIDs[index]
                let hold = pending[index]
                index += 1
                guard let before = DeterminationDecoding.decode(hold.determinationJSON) else { return }
                let fields = ComparedField.allCases.filter { $0.differs(before, d) }.map(\.rawValue)
                guard !fields.isEmpty else { return }
                let after = ScreeningRun.jsonLine(d)
                changes.append(.init(hold: hold.id, row: hold.row, fields: fields, before: hold.determinationJSON, after: after))
                recorded.append(RecheckChange(hold: hold.id, determinationJSON: after))
            }
        }
        let (sequence, kept) = try ledger.recordRecheck(regime: regime.id, asOf: day, rulePackSHA256: rulePackDigest(regime.id),
                                                        checked: pending.map(\.id), changes: recorded, actor: principal?.acting,
                                                        at: clock())
        let keptSet = Set(kept)
        return RecheckReport(sequence: sequence, regime: regime.id, asOf: day, checked: pending.count,
                             changes: changes.filter { keptSet.contains($0.hold) })
    }

    /// The held rows as one transactions file dated `day` (ids made unique: holds of different
    /// runs may share a row id), and each row's own id.
    static func recheckInput(_ holds: [Hold], day: Day, book: RuleBook) throws -> (TransactionFile, [String]) {
        var columns: [String] = []
        var rows: [[String: String]] = []
        for hold in holds {
            let reader = CSVRecordReader(bytes: Array(hold.inputCSV.utf8), displayName: "hold \(hold.id)")
            guard let header = try reader.next()?.strings.map({ $0.trimmingASCIIWhitespace() }), let record = try reader.next() else {
                throw ServiceError(.conflict, "hold \(hold.id) has no input row to recheck")
            }
            var row: [String: String] = [:]
            for (i, name) in header.enumerated() where i < record.fieldCount {
                if !columns.contains(name) { columns.append(name) }
                row[name] = record.string(at: i)
            }
            row["date"] = day.description
            row["id"] = "hold-\(hold.id)"
            rows.append(row)
        }
        var csv = columns.map(csvField).joined(separator: ",") + "\n"
        for row in rows { csv += columns.map { csvField(row[$0] ?? "") }.joined(separator: ",") + "\n" }
        do {
            let file = try TransactionReader.read(reader: CSVRecordReader(bytes: Array(csv.utf8), displayName: "recheck"), book: book)
            return (file, holds.map(\.row))
        } catch {
            throw ServiceError(.conflict, "a held row cannot be screened again: \(error.description)")
        }
    }

    /// Takes a debit back out of a snapshot (a hold's own debit, when it is rechecked).
    static func release(_ debit: Debit, from snapshot: inout CapSnapshot) {
        switch debit.cap {
        case let .lpp(parent, year):
            let key = CapSnapshot.ParentYear(parent: parent, year: year)
            if let taken = snapshot.lpp[key] { snapshot.lpp[key] = taken - debit.tpp }
        case let .countryAllocation(country):
            if let taken = snapshot.countryAllocation[country] { snapshot.countryAllocation[country] = taken - debit.tpp }
        case .uveu, .nveu:
            break
        }
    }

    // MARK: - Reads for reports and the dashboard

    /// Every cap with the limit that applies: the one recorded with it, else the rule pack's
    /// (`regime`, on `asOf`, default today) for caps debited without one.
    public func caps(regime name: String = "ai-diffusion-2025", asOf: Day? = nil) throws -> [CapView] {
        let compiled = try regime(name)
        let day = asOf ?? today
        return try ledger().balances().map { b in
            CapView(balance: b, limit: b.limit ?? CapKey(name: b.cap).flatMap { compiled.capLimit(for: $0, on: day)?.limit })
        }
    }

    public func run(_ id: Int64) throws -> RunRecord {
        guard let run = try ledger().run(id: id) else { throw ServiceError(.notFound, "no run \(id) in the ledger") }
        return run
    }

    public func receipts(run id: Int64) throws -> [String] {
        _ = try run(id)
        return try ledger().receipts(run: id)
    }

    /// The memo of a held row (the dashboard's printable page).
    public func memo(hold id: Int64) throws -> DeterminationMemo {
        let hold = try hold(id)
        return try memo(run: hold.run, sequence: hold.id, row: hold.row, json: hold.determinationJSON, hold: hold)
    }

    /// The memo of any committed row, by run and row id.
    public func memo(run id: Int64, row rowID: String) throws -> DeterminationMemo {
        let run = try run(id)
        guard let row = run.rows.first(where: { $0.rowID == rowID }) else {
            throw ServiceError(.notFound, "run \(id) has no row \(rowID)")
        }
        let hold = try ledger().hold(id: row.sequence)
        return try memo(run: id, sequence: row.sequence, row: rowID, json: hold?.determinationJSON ?? row.determinationJSON, hold: hold)
    }

    private func memo(run: Int64, sequence: Int64, row: String, json: String, hold: Hold?) throws -> DeterminationMemo {
        let ledger = try ledger()
        guard let determination = DeterminationDecoding.decode(json) else {
            throw ServiceError(.unavailable, "row \(row) of run \(run): its determination is unreadable; run `ledger verify`")
        }
        var facts: [(String, String)] = []
        if let hold {
            let reader = CSVRecordReader(bytes: Array(hold.inputCSV.utf8), displayName: "hold")
            if let header = try? reader.next()?.strings, let record = try? reader.next() {
                for (i, name) in header.enumerated() where i < record.fieldCount { facts.append((name, record.string(at: i))) }
            }
        }
        let receipt = try ledger.receipts(run: run).first { $0.contains("\"seq\":\(sequence),") }
        var status = "no receipt"
        if let receipt {
            switch Receipts.verify(receipt, publicKey: try ledger.publicKey()) {
            case let .success(verified): status = verified.seq == sequence ? "valid" : "signed for another event (\(verified.seq))"
            case let .failure(error): status = error.message
            }
        }
        let number = hold?.decisions.last { $0.licence != nil }?.licence
        return DeterminationMemo(run: run, row: row, sequence: sequence, determinationJSON: json, determination: determination, facts: facts,
                                 hold: hold, receipt: receipt, signatureStatus: status,
                                 licence: try number.map { try ledger.licence(number: $0) } ?? nil)
    }
}
