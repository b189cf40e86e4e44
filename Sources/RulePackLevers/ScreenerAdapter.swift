import ComputeMetrics
import DiffusionModel
import DiffusionRules

/// The simulator's only contact with the rule engine: screens generated shipments with
/// `DiffusionRules.Screener` under one compiled regime, through its public surface alone (construct
/// with regime, items, parties and an empty snapshot; decide a `Transaction`; read authorization,
/// licence requirement and review policy). Caps accumulate across calls, in call order.
struct ScreenerAdapter {
    private let screener: Screener
    private var items: ItemTable
    private var labels: [String: Int32] = [:]
    private var parties: PartyTable
    private var partyIndex: [String: Int32] = [:]
    private let catalog: ChipCatalog
    private var row = 0

    /// `parents`: every ultimate parent the run will name (interned before the screener starts).
    /// `chips`: every catalog chip name the run will request.
    init(regime: CompiledRegime, catalog: ChipCatalog, parents: [String], chips: [String]) throws {
        self.catalog = catalog
        var items = ItemTable(catalog: catalog)
        for chip in chips {
            guard catalog.index(of: chip) != nil else { throw RulePackLeverError.unknownChip(chip) }
            labels[chip] = items.intern(label: chip)
        }
        var parties = PartyTable()
        for p in parents { partyIndex[p] = parties.intern(p) }
        self.items = items
        self.parties = parties
        screener = Screener(regime: regime, items: items, parties: parties, snapshot: .empty)
    }

    /// H100-equivalents of one unit of `chip` (TPP / H100 TPP).
    func h100ePerUnit(_ chip: String, h100TPP: Double) -> Double {
        guard let i = catalog.index(of: chip), let tpp = catalog.chips[i].tpp else { return 0 }
        return tpp.value / h100TPP
    }

    /// Screens one shipment and returns how its volume counts (``ReviewClass``).
    mutating func screen(chip: String, units: Int64, date: Day, destination: CountryCode, headquarters: CountryCode,
                         parent: String, veu: VEUStatus) -> ReviewClass {
        row += 1
        let p = partyIndex[parent]!
        let t = Transaction(id: "g\(row)", line: Int32(truncatingIfNeeded: row), date: date,
                            item: Int32(catalog.index(of: chip)!), itemLabel: labels[chip]!, quantity: max(1, units),
                            destination: destination, consignee: p, consigneeHQ: headquarters, ultimateParent: p,
                            exporterCountry: .unitedStates, veu: veu, endUse: .unspecified)
        let d = screener.decide(t) // the compact decision: no text is rendered
        guard d.licenseRequired else { return .noLicence }
        switch d.reviewPolicy {
        case .presumptionOfApproval?: return .presumptionOfApproval
        case .caseByCase?: return .caseByCase
        case .presumptionOfDenial?: return .presumptionOfDenial
        case .policyOfDenial?, nil: return .policyOfDenial
        }
    }
}

/// Bad rule-pack lever input.
public enum RulePackLeverError: Error, CustomStringConvertible, Sendable {
    case unknownChip(String)
    case unknownCountry(String)
    public var description: String {
        switch self {
        case let .unknownChip(c): "shipments.yaml: chip \"\(c)\" is not in the chip catalog"
        case let .unknownCountry(c): "shipments.yaml: \"\(c)\" is not an ISO country code"
        }
    }
}
