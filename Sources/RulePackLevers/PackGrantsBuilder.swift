import ComputeMetrics
import DiffusionModel
import DiffusionRules
import Foundation
import RuleData

/// Rule packs as simulator levers (issue 8 item 5): screens the shipments ``ShipmentModel``
/// generates from the reference demand under each pack (and under the enforced rules, the
/// reference), and turns the determinations into ``PackGrants`` tables and lever scenarios.
///
/// What is screened, and when: once per run, per pack and per demand level (5 levels), every
/// projection quarter's shipments in date order (caps accumulate as in screening). Nothing is
/// screened per draw: a draw reads its granted share by interpolating its own demand (as a multiple
/// of the reference) between the screened levels, and applies its licence-approval priors.
///
/// ```swift
/// let levers = try RulePackLevers.build(names: ["ai-diffusion-2025", "examples/packs/gulf-g2g.yaml"],
///                                       inputs: inputs)
/// inputs.packs = levers.packs; inputs.referencePack = levers.reference
/// inputs.scenarios += levers.scenarios
/// ```
public enum RulePackLevers {
    /// The regime the baseline's legal flows stand for.
    public static let referenceRegime = "enforced"

    public struct Built: Sendable {
        public var packs: [PackGrants]
        public var reference: PackGrants
        public var scenarios: [Scenario]
    }

    /// Screens `names` (built-in regime ids or pack files) and the enforced rules. Throws the rule
    /// loader's file:line errors for a bad pack file.
    public static func build(names: [String], inputs: ModelInputs, shipments: ShipmentModel? = nil) throws -> Built {
        let model = try shipments ?? ShipmentModel.bundled()
        var book = try RuleBookLoader.loadBundled()
        var ids: [String] = []
        for name in names {
            if book.regimes[name] != nil { ids.append(name); continue }
            ids.append(try RuleBookLoader.addPack(at: name, to: &book))
        }
        var baseOnly = inputs
        baseOnly.scenarios = inputs.scenarios.filter(\.isBaseline)
        baseOnly.packs = []; baseOnly.referencePack = nil
        let compiled = try CompiledModel(baseOnly)
        let demand = compiled.referenceDemand
        let calendar = inputs.calendar
        let reference = try screen(regime: book.compile(regime: referenceRegime), title: book.regimes[referenceRegime]?.title ?? referenceRegime,
                                   book: book, model: model, demand: demand, calendar: calendar)
        var packs: [PackGrants] = [], scenarios: [Scenario] = []
        for id in ids {
            let regime = try book.compile(regime: id)
            let title = book.regimes[id]?.title ?? id
            packs.append(try screen(regime: regime, title: title, book: book, model: model, demand: demand, calendar: calendar))
            scenarios.append(Scenario(
                name: id, title: "Rule pack \(id): \(title)", kind: .lever,
                meaning: "From \(calendar.firstProjectionYear) legal chip exports follow the determinations of rule pack \(id), run through the screening engine on generated shipments; denied volume partly diverts (denied_diversion_share) and China's legal chips are the best the pack does not deny.",
                direct_cost_usd_per_yr: model.pack_direct_cost_usd_per_yr,
                events: [PolicyEvent(date: "\(calendar.firstProjectionYear)-01-01", title: "Rule pack \(id) governs exports",
                                     source: "rule pack \(id) (DiffusionRules.Screener on shipments.yaml)", confidence: "ASSUMPTION",
                                     set: { var c = PolicyChange(); c.rule_pack = id; return c }())]))
        }
        return Built(packs: packs, reference: reference, scenarios: scenarios)
    }

    /// Screens every projection quarter at every demand level under one regime.
    static func screen(regime: CompiledRegime, title: String, book: RuleBook, model: ShipmentModel,
                       demand: [Double], calendar: SimulationCalendar) throws -> PackGrants {
        let levels = model.demand_levels.sorted()
        let quarters = calendar.totalQuarters
        var shares = [Double](repeating: 0, count: quarters * Actor.count * levels.count * ReviewClass.count)
        var china = [ChinaChipRegime](repeating: .none, count: quarters)
        let h100TPP = book.h100.tppPerH100.value
        let chips = Array(Set(model.chip_ladders.flatMap(\.chips) + model.china.ladder.map(\.chip))).sorted()
        // Every parent the shipments can name, plus the Chinese buyer of the China ladder.
        var parents = Set<String>(["CN-local-1"])
        for q in 0..<quarters { for r in model.requests(quarter: q, level: 1, referenceDemand: demand) { parents.insert(r.parent) } }
        let parentList = parents.sorted()
        var rows = 0
        for (l, level) in levels.enumerated() {
            var adapter = try ScreenerAdapter(regime: regime, catalog: book.catalog, parents: parentList, chips: chips)
            for q in calendar.hindcastQuarters..<quarters {
                let date = quarterDay(q, calendar)
                let ladder = model.ladder(on: date.description)
                var requested = [Double](repeating: 0, count: Actor.count)
                var byClass = [Double](repeating: 0, count: Actor.count * ReviewClass.count)
                for r in model.requests(quarter: q, level: level, referenceDemand: demand) {
                    guard let dest = CountryCode(r.destination), let hq = CountryCode(r.hq) else {
                        throw RulePackLeverError.unknownCountry(CountryCode(r.destination) == nil ? r.destination : r.hq)
                    }
                    var outcome = ReviewClass.policyOfDenial
                    // A denied buyer asks for the next chip of the ladder, for the same H100e.
                    for chip in ladder {
                        let per = adapter.h100ePerUnit(chip, h100TPP: h100TPP)
                        guard per > 0 else { continue }
                        let units = Int64((r.h100e / per).rounded())
                        outcome = adapter.screen(chip: chip, units: units, date: date, destination: dest, headquarters: hq,
                                                 parent: r.parent, veu: VEUStatus(code: r.veu) ?? .none)
                        rows += 1
                        if outcome != .presumptionOfDenial && outcome != .policyOfDenial { break }
                    }
                    requested[r.actor] += r.h100e
                    byClass[r.actor * ReviewClass.count + outcome.rawValue] += r.h100e
                }
                for a in 0..<Actor.count where requested[a] > 0 {
                    for c in 0..<ReviewClass.count {
                        shares[((q * Actor.count + a) * levels.count + l) * ReviewClass.count + c] = byClass[a * ReviewClass.count + c] / requested[a]
                    }
                }
                if l == 0 {
                    // China's legal regime: the first chip of the China ladder not denied to a
                    // Chinese-headquartered buyer in China.
                    var regimeHere = ChinaChipRegime.none
                    for rung in model.china.ladder {
                        let outcome = adapter.screen(chip: rung.chip, units: model.china.quantity, date: date,
                                                     destination: CountryCode("CN")!, headquarters: CountryCode("CN")!,
                                                     parent: "CN-local-1", veu: .none)
                        rows += 1
                        if outcome != .presumptionOfDenial && outcome != .policyOfDenial { regimeHere = rung.regime; break }
                    }
                    china[q] = regimeHere
                }
            }
        }
        return PackGrants(id: regime.id, title: title, demandLevels: levels, shares: shares, chinaRegime: china, rowsScreened: rows,
                          provenance: "\(rows) generated shipments screened by DiffusionRules.Screener under \(regime.id) (\(levels.count) demand levels x \(quarters - calendar.hindcastQuarters) quarters); \(model.source)")
    }

    /// The middle day of quarter q (the date its shipments carry).
    static func quarterDay(_ q: Int, _ calendar: SimulationCalendar) -> Day {
        let year = calendar.startYear + q / 4
        let month = (q % 4) * 3 + 2
        return Day(year: year, month: month, day: 15)!
    }
}
