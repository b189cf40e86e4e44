import DiffusionModel
import Foundation

/// Fills the Tier-2 caps lever's numbers from the screening rule data (the `ai-diffusion-2025`
/// layer's `country_allocation` and `lpp` caps and the H100-equivalent TPP), so the simulator and
/// screening never disagree.
enum RuleDataTierCaps {
    static func load() throws -> TierCapsInput {
        throw SimulationUsageError(message: "rule data is not available in this build (merge main)")
    }
}
