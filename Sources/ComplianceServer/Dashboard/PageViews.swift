import AllocationLedger
import ComplianceService
import ComputeMetrics
import Dashboard
import DiffusionRules
import RuleData
import Screening
import TabularIO

/// The application layer's records as the dashboard's view models: holds, licences, cap balances
/// and memos. Pure mapping, no ledger calls (the page handlers fetch, then map).
enum PageViews {
    /// A hold as the queue and the hold page show it; nil when its determination is unreadable
    /// (`ledger verify` reports such a row).
    static func hold(_ hold: Hold, book: RuleBook) -> HoldSummary? {
        guard let determination = DeterminationDecoding.decode(hold.determinationJSON),
              let status = Dashboard.HoldStatus(rawValue: hold.status.rawValue) else { return nil }
        let decision = hold.decisions.last.flatMap { record -> Dashboard.HoldDecision? in
            guard let action = DecisionAction(rawValue: record.action.rawValue) else { return nil }
            return Dashboard.HoldDecision(action: action, decidedBy: record.by?.name ?? "command line", decidedAt: record.at,
                                          licenceNumber: record.licence, note: record.note)
        }
        return HoldSummary(id: hold.id, run: hold.run, status: status, openedAt: hold.createdAt, determination: determination,
                           parties: parties(inputCSV: hold.inputCSV, quantity: hold.quantity, book: book), decision: decision)
    }

    /// The transactions-CSV columns a determination does not repeat, from the row as given (a
    /// held row keeps its input: header line and row line), read as screening read it (defaults
    /// applied); the columns as given if the row no longer reads under today's rule data.
    static func parties(inputCSV: String, quantity: Int64?, book: RuleBook) -> RowParties {
        if let file = try? TransactionReader.read(reader: CSVRecordReader(bytes: Array(inputCSV.utf8), displayName: "hold"), book: book),
           let transaction = file.transactions.first {
            return RowParties(transaction: transaction, parties: file.parties)
        }
        var values: [String: String] = [:]
        let reader = CSVRecordReader(bytes: Array(inputCSV.utf8), displayName: "hold")
        if let header = try? reader.next()?.strings, let record = try? reader.next() {
            for (i, name) in header.enumerated() where i < record.fieldCount {
                let value = record.string(at: i).trimmingASCIIWhitespace()
                if !value.isEmpty { values[name.trimmingASCIIWhitespace()] = value }
            }
        }
        return parties(values, quantity: quantity)
    }

    static func parties(_ values: [String: String], quantity: Int64?) -> RowParties {
        RowParties(quantity: quantity ?? values["quantity"].flatMap { Int64($0) }, consignee: values["consignee"],
                   consigneeHQ: values["consignee_hq"], ultimateParent: values["ultimate_parent"],
                   exporterCountry: values["exporter_country"], veu: values["veu"], endUse: values["end_use"])
    }

    /// A licence's limit, use and what is left, in its unit (TPP, or units stored as whole TPP).
    static func licence(_ licence: Licence) -> LicenceBalance {
        func amount(_ value: TPP) -> LicenceAmount {
            licence.spec.unit == .tpp ? .tpp(value) : .units(value.milli / 1000)
        }
        return LicenceBalance(number: licence.spec.number, issued: licence.spec.issued, expires: licence.spec.expires,
                              limit: amount(licence.spec.limit), used: amount(licence.used), reserved: amount(.zero),
                              remaining: amount(licence.remaining), expired: licence.status != "active")
    }

    /// Cap balances grouped for the four charts. `bases`: the installed bases recorded (VEU holders
    /// only are charted); an NVEU's limit per country is its cap's.
    static func caps(_ caps: [CapView], bases: [InstalledBaseEntry], licences: [Licence], names: [CountryCode: String],
                     asOf: String) -> CapsPage {
        var allocations: [CapBar] = [], lpp: [CapBar] = [], nveuLimits: [String: TPP] = [:], veuHolders: Set<String> = []
        for view in caps {
            let balance = view.balance
            switch balance.kind {
            case "country_allocation":
                let label = balance.country.map { "\($0) \(names[$0] ?? "")" } ?? balance.cap
                allocations.append(CapBar(cap: balance.cap, label: label, used: balance.used, reserved: balance.reserved, limit: view.limit))
            case "lpp":
                lpp.append(CapBar(cap: balance.cap, label: "\(balance.party ?? "?") \(balance.year.map(String.init) ?? "")",
                                  used: balance.used, reserved: balance.reserved, limit: view.limit))
            case "uveu", "nveu":
                if let party = balance.party { veuHolders.insert(party) }
                if balance.kind == "nveu", let limit = view.limit, let party = balance.party, let country = balance.country {
                    nveuLimits["\(party)/\(country)"] = limit
                }
            default:
                break   // licence caps: charted from the licences themselves
            }
        }
        let installed = bases.filter { veuHolders.contains($0.holder) }.map { entry in
            CapBar(cap: "\(entry.holder)/\(entry.country)", label: "\(entry.holder) · \(entry.country)", used: entry.tpp,
                   limit: nveuLimits["\(entry.holder)/\(entry.country)"])
        }
        return CapsPage(asOf: asOf, countryAllocations: allocations, lpp: lpp, veuInstalledBases: installed,
                        licences: licences.map(licence))
    }

    /// The memo of a committed row: facts as given (held rows), the signed receipt and whether its
    /// signature verifies (`DeterminationMemo.signatureStatus`: `valid`, `no receipt`, or why not).
    /// Rows committed without a hold keep no input in the ledger: their memo shows the
    /// determination's own facts and no parties.
    static func memo(_ memo: DeterminationMemo, names: [CountryCode: String], book: RuleBook) -> MemoPage {
        let receipt = memo.receipt.map { line -> LedgerReceipt in
            let status: SignatureStatus = memo.signatureStatus == "valid" ? .valid : .invalid(memo.signatureStatus)
            return LedgerReceipt.parse(line, signature: status).receipt
        }
        return MemoPage(run: memo.run, determination: memo.determination, parties: memo.hold.map { parties(inputCSV: $0.inputCSV, quantity: $0.quantity, book: book) } ?? RowParties(),
                        destinationName: names[memo.determination.destination], receipt: receipt, hold: memo.hold.flatMap { hold($0, book: book) })
    }
}
