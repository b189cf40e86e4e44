import ArgumentParser

/// The `ai-diffusion` command: export-control rules for AI chips as dated, auditable data.
///
/// ```
/// ai-diffusion screen examples/deals-2023-2026.csv --compare enforced,ai-diffusion-2025
/// ai-diffusion classify chip H100
/// ai-diffusion rules tiers --as-of 2025-06-01
/// ```
public struct AIDiffusion: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ai-diffusion",
        abstract: "Screen AI-chip exports under dated US export-control rule layers, and compare regimes.",
        discussion: """
        Rule layers (15 CFR; the AI Diffusion Framework, 90 FR 4544) are bundled as YAML data with \
        sources and confidence grades. Exit codes: 0 success, 1 bad input (nothing recorded), 2 bad usage.

        Data: Epoch AI (epoch.ai), "Data on Machine Learning Hardware" (chip catalog) and "Data on GPU \
        Clusters" (simulator), CC BY 4.0. Country codes: ISO 3166-1 via datahub.io core/country-codes \
        (ODC-PDDL). EAR Country Groups: 15 CFR part 740, Supplement No. 1 (public domain).
        """,
        subcommands: [
            ScreenCommand.self,
            ScreenWeightsCommand.self,
            PartiesCommand.self,
            ClassifyCommand.self,
            CloudCommand.self,
            RulesCommand.self,
            LedgerCommand.self,
            HoldsCommand.self,
            TokensCommand.self,
            ServeCommand.self,
            CatalogCommand.self,
            BenchCommand.self,
            SimulateCommand.self,
        ]
    )

    public init() {}
}
