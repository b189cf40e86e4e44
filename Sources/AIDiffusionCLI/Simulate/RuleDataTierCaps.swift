import DiffusionModel
import DiffusionRules
import Foundation
import RuleData

/// Fills the Tier-2 caps lever's numbers from the screening rule data (the `ai-diffusion-2025`
/// layer's `country_allocation` and `lpp` caps and the H100-equivalent TPP), so the simulator and
/// screening never disagree.
enum RuleDataTierCaps {
    static func load() throws -> TierCapsInput {
        let book = try RuleBookLoader.loadBundled()
        guard let caps = book.layers["ai-diffusion-2025"]?.caps,
              let allocation = caps["country_allocation"], let allocationLimit = allocation.limit,
              let window = allocation.window, let lpp = caps["lpp"]?.limit else {
            throw SimulationUsageError(message: "rule data: the ai-diffusion-2025 layer has no country_allocation or lpp cap")
        }
        // The allocation window in whole years (2025-01-01 .. 2027-12-31 = 3).
        let years = Double(window.through.year - window.from.year + 1)
        return TierCapsInput(
            countryAllocationTPP: allocationLimit.value, allocationPeriodYears: years, lppTPPPerParentYear: lpp.value,
            h100EquivalentTPP: book.h100.tppPerH100.value,
            provenance: "rule layer ai-diffusion-2025: country_allocation \(NumberText.plain(allocationLimit.value)) TPP \(window.from)..\(window.through) (\(allocationLimit.source)); lpp \(NumberText.plain(lpp.value)) TPP (\(lpp.source))")
    }
}
