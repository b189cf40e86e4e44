import AllocationLedger
import ComputeMetrics
import Dashboard
import DiffusionRules
import Foundation
import RuleData
import Screening

/// Every view model the sample pages need, from the examples committed to a throwaway ledger.
struct SampleData {
    var rows: [CommittedRow] = []
    var holds: [HoldSummary] = []
    var licences: [LicenceBalance] = []
    var caps: CapsPage
    var rules: RulesPage
    var simulator: SimulatorPage
    var countryNames: [CountryCode: String]
    /// The same memo with its receipt edited after signing (signature `invalid`).
    var tamperedMemo: MemoPage
    /// A memo whose row has no receipt (signature `missing`).
    var unrecordedMemo: MemoPage
    /// A memo whose parties, reasons and warnings are hostile markup (escaping check).
    var hostileMemo: MemoPage

    static let regime = "ai-diffusion-2025"
    static let asOf = Day("2025-06-01")!

    init(repo: String) throws {
        let book = try RuleBookLoader.loadBundled()
        let compiled = try book.compile(regime: SampleData.regime)
        countryNames = Dictionary(uniqueKeysWithValues: book.registry.countries.map { ($0.code, $0.name) })
        let directory = NSTemporaryDirectory() + "dashboard-samples-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = try SampleLedger(directory: directory, book: book, regime: compiled)
        try ledger.seedFleet(repo + "/examples/fleet-contoso.csv", name: "examples/fleet-contoso.csv")
        rows = try ledger.commit(repo + "/examples/deals-2023-2026.csv", name: "examples/deals-2023-2026.csv")
        rows += try ledger.commit(repo + "/examples/uveu-2025.csv", name: "examples/uveu-2025.csv")

        // Holds: every row that needs a licence, three of them decided.
        let held = rows.filter { $0.determination.licenseRequired }
        for (index, row) in held.enumerated() {
            holds.append(HoldSummary(id: Int64(index + 1), run: row.run, status: .open, openedAt: SampleLedger.recordedAt,
                                     determination: row.determination, parties: row.parties))
        }
        let released = try SampleData.hold(&holds, row: "P05")
        let licenceLimit = TPP(whole: 400_000_000)
        let shipped = holds[released].determination.tppTotal ?? .zero
        holds[released].status = .released
        holds[released].decision = HoldDecision(action: .release, decidedBy: "ana.officer", decidedAt: "2026-06-01T10:12:00Z",
                                                licenceNumber: "D-2026-0417", note: "BIS licence received 2026-05-28")
        let rejected = try SampleData.hold(&holds, row: "P17")
        holds[rejected].status = .rejected
        holds[rejected].decision = HoldDecision(action: .reject, decidedBy: "ana.officer", decidedAt: "2026-06-01T10:20:00Z",
                                                note: "Russia: policy of denial; not licensable")
        let escalated = try SampleData.hold(&holds, row: "P06")
        holds[escalated].status = .escalated
        holds[escalated].decision = HoldDecision(action: .escalate, decidedBy: "ana.officer", decidedAt: "2026-06-01T10:31:00Z",
                                                 note: "Policy of denial under this regime; ask counsel before the customer is told")

        licences = [
            LicenceBalance(number: "D-2026-0417", issued: Day("2025-01-20")!, expires: Day("2027-01-19")!, limit: .tpp(licenceLimit),
                           used: .tpp(shipped), reserved: .tpp(.zero), remaining: .tpp(licenceLimit - shipped), expired: false),
            LicenceBalance(number: "D-2026-0533", issued: Day("2026-01-10")!, expires: Day("2028-01-09")!, limit: .units(10_000),
                           used: .units(0), reserved: .units(0), remaining: .units(10_000), expired: false),
            LicenceBalance(number: "D-2024-0102", issued: Day("2024-02-01")!, expires: Day("2025-01-31")!, limit: .tpp(TPP(whole: 50_000_000)),
                           used: .tpp(.zero), reserved: .tpp(.zero), remaining: .tpp(TPP(whole: 50_000_000)), expired: true),
        ]
        caps = try SampleData.caps(ledger.ledger, regime: compiled, names: countryNames, licences: licences)

        let enforced = try book.compile(regime: "enforced")
        rules = RulesPage(asOf: SampleData.asOf, regimes: book.regimes.keys.sorted(),
                          tiers: TierTable(view: compiled.view(on: SampleData.asOf), registry: book.registry),
                          layers: book.layersByDate, diffA: "enforced", diffB: SampleData.regime,
                          diff: RegimeDiff(enforced.view(on: SampleData.asOf), compiled.view(on: SampleData.asOf)))
        simulator = try SampleSimulator.page(repo: repo)

        let p09 = try SampleData.row(rows, "P09")
        var tampered = p09.receipt
        tampered?.signature = .invalid("receipt for event \(p09.receipt?.sequence ?? 0) (row P09): signature does not match its content (edited or forged)")
        tamperedMemo = MemoPage(run: p09.run, determination: p09.determination, parties: p09.parties,
                                destinationName: countryNames[p09.determination.destination], receipt: tampered)
        let p13 = try SampleData.row(rows, "P13")
        unrecordedMemo = MemoPage(run: p13.run, determination: p13.determination, parties: p13.parties,
                                  destinationName: countryNames[p13.determination.destination], receipt: nil)
        hostileMemo = SampleData.hostile(try SampleData.row(rows, "P05"))
    }

    func memo(_ row: CommittedRow) -> MemoPage {
        MemoPage(run: row.run, determination: row.determination, parties: row.parties,
                 destinationName: countryNames[row.determination.destination], receipt: row.receipt,
                 hold: holds.first { $0.run == row.run && $0.row == row.determination.id })
    }

    static let hostileText = "<script>alert(\"xss\")</script> & \"quoted\" 'apostrophe' <b>bold</b>"

    static func hostile(_ row: CommittedRow) -> MemoPage {
        var d = row.determination
        d.item = hostileText
        d.reasons.append(Reason(code: "<i>code</i>", text: hostileText, citation: "</cite><script>alert(1)</script>"))
        d.warnings.append(hostileText)
        var parties = row.parties
        parties.consignee = hostileText
        parties.ultimateParent = "<img src=x onerror=alert(1)>"
        return MemoPage(run: row.run, determination: d, parties: parties, destinationName: "<svg onload=alert(1)>", receipt: row.receipt)
    }

    static func hold(_ holds: inout [HoldSummary], row: String) throws -> Int {
        guard let index = holds.firstIndex(where: { $0.row == row }) else { throw Failure(description: "no hold for row \(row)") }
        return index
    }

    static func row(_ rows: [CommittedRow], _ id: String) throws -> CommittedRow {
        guard let row = rows.first(where: { $0.determination.id == id }) else { throw Failure(description: "no committed row \(id)") }
        return row
    }

    /// Cap balances as `ledger show` reads them, grouped for the charts.
    static func caps(_ ledger: any AllocationLedger, regime: CompiledRegime, names: [CountryCode: String],
                     licences: [LicenceBalance]) throws -> CapsPage {
        var allocations: [CapBar] = [], lpp: [CapBar] = [], nveuLimits: [String: TPP] = [:], veuHolders: Set<String> = []
        for balance in try ledger.balances() {
            let limit = balance.limit ?? DeterminationDecoding.capKey(balance.cap).flatMap { regime.capLimit(for: $0, on: asOf)?.limit }
            switch balance.kind {
            case "country_allocation":
                let label = balance.country.map { "\($0) \(names[$0] ?? "")" } ?? balance.cap
                allocations.append(CapBar(cap: balance.cap, label: label, used: balance.used, reserved: balance.reserved, limit: limit))
            case "lpp":
                lpp.append(CapBar(cap: balance.cap, label: "\(balance.party ?? "?") \(balance.year.map(String.init) ?? "")",
                                  used: balance.used, reserved: balance.reserved, limit: limit))
            case "uveu", "nveu":
                if let party = balance.party { veuHolders.insert(party) }
                if balance.kind == "nveu", let limit, let party = balance.party, let country = balance.country { nveuLimits["\(party)/\(country)"] = limit }
            default:
                break
            }
        }
        let bases = try ledger.installedBases().filter { veuHolders.contains($0.holder) }.map { entry in
            CapBar(cap: "\(entry.holder)/\(entry.country)", label: "\(entry.holder) · \(entry.country)", used: entry.tpp,
                   limit: nveuLimits["\(entry.holder)/\(entry.country)"])
        }
        return CapsPage(asOf: SampleLedger.recordedAt, countryAllocations: allocations, lpp: lpp, veuInstalledBases: bases, licences: licences)
    }
}
