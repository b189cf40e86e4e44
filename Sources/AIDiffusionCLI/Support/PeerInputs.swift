import AllocationLedger
import ComputeMetrics
import DiffusionRules
import Foundation
import Screening

/// The rule data the Python peer of `bench screen` (scripts/peer_screen.py) decides from: item
/// figures, the country sets of the framework in each period of constant membership, and the cap
/// numbers, all read from the compiled regime (the pack's YAML), never its decisions. And the digest of
/// the engine's outcomes that the peer's must equal.
enum PeerInputs {
    static let setNames = ["supp5a", "tier3", "embargoed", "supp5b", "aca_b_destinations"]

    static func write(regime: CompiledRegime, book: RuleBook, items: [String], from: Day, through: Day, to path: String) throws {
        var itemFigures: [String: Any] = [:]
        for name in items {
            guard let index = book.catalog.index(of: name) else { throw InputError("bench: \(name) is not in the catalog") }
            let chip = book.catalog.chips[index]
            guard let tpp = chip.tpp else { throw InputError("bench: \(name) has no TPP") }
            var figures: [String: Any] = ["tpp_text": tpp.description, "tpp": tpp.value, "datacenter": chip.datacenter ?? true]
            if let area = chip.dieAreaMM2 { figures["die_area_mm2"] = area }
            itemFigures[name] = figures
        }
        func sets(on day: Day) -> [String: [String]] {
            var out: [String: [String]] = [:]
            for name in setNames { out[name == "supp5a" ? "tier1" : name] = (regime.members(ofSet: name, on: day) ?? []).map(\.description).sorted() }
            return out
        }
        var periods: [[String: Any]] = []
        var last: [String: [String]]?
        var day = from
        while day <= through {
            let current = sets(on: day)
            if current != last { periods.append(["from": day.description, "sets": current]) }
            last = current
            day = day.next
        }
        let caps = Array(regime.caps(on: from).values)
        func cap(_ mechanism: CapMechanism) throws -> CapDefinition {
            guard let found = caps.first(where: { $0.mechanism == mechanism }) else { throw InputError("bench: no \(mechanism.rawValue) cap") }
            return found
        }
        let lpp = try cap(.perParentCalendarYear), allocation = try cap(.perDestinationWindow)
        let uveu = try cap(.uveuDistribution), nveu = try cap(.nveuSchedule)
        let capNumbers: [String: Any] = [
            "lpp_limit_milli": TPP(lpp.limit!.value).milli,
            "allocation_limit_milli": TPP(allocation.limit!.value).milli,
            "allocation_window": [allocation.window!.from.description, allocation.window!.through.description],
            "supp5b_factor": allocation.multipliers?.first?.factor ?? 1,
            "uveu_outside_tier1": uveu.maxShareOutsideTier1!.value,
            "uveu_single_country": uveu.maxShareSingleCountry!.value,
            "uveu_outside_us": uveu.maxShareOutsideUSForUSHeadquartered!.value,
            "nveu_schedule": (nveu.schedule ?? []).map { [$0.quarter, TPP($0.installedBaseTPP).milli] as [Any] },
        ]
        let object: [String: Any] = ["items": itemFigures, "periods": periods, "caps": capNumbers]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        guard FileManager.default.createFile(atPath: path, contents: data) else { throw InputError("bench: cannot write \(path)") }
    }

    /// SHA-256 of every row's `authorization|review policy|cap|TPP thousandths` line, as the peer prints it.
    static func digest(_ file: TransactionFile, _ regime: CompiledRegime) -> String {
        let screener = Screener(regime: regime, items: file.items, parties: file.parties, snapshot: .empty)
        var text: [UInt8] = []
        text.reserveCapacity(file.transactions.count * 48)
        for transaction in file.transactions {
            let decision = screener.decide(transaction)
            let debit = decision.debit.map { ("\(screener.capKey($0).name)", "\($0.tpp.milli)") } ?? ("", "")
            text += Array("\(decision.authorization.rawValue)|\(decision.reviewPolicy?.rawValue ?? "")|\(debit.0)|\(debit.1)\n".utf8)
        }
        return Digest.sha256Hex(text)
    }
}
