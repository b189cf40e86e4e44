// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ai-diffusion",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ai-diffusion", targets: ["ai-diffusion"]),
        .library(name: "ComputeMetrics", targets: ["ComputeMetrics"]),
        .library(name: "DiffusionRules", targets: ["DiffusionRules"]),
        .library(name: "RuleData", targets: ["RuleData"]),
        .library(name: "AllocationLedger", targets: ["AllocationLedger"]),
        .library(name: "ModelWeights", targets: ["ModelWeights"]),
        .library(name: "CloudMonitoring", targets: ["CloudMonitoring"]),
        .library(name: "DiffusionModel", targets: ["DiffusionModel"]),
        .library(name: "Dashboard", targets: ["Dashboard"]),
        .library(name: "Simulation", targets: ["Simulation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // Pure core: TPP, performance density, H100-equivalents, the chip catalog type.
        .target(name: "ComputeMetrics", dependencies: ["NameMatching"]),
        // Edit distance and "did you mean" suggestions for names people type.
        .target(name: "NameMatching"),
        // Pure core: restricted-party name matching (normalization, token-set Jaro-Winkler, blocking index,
        // explained scores, the `default` and `ofac` algorithms). No I/O.
        // Release builds skip the runtime exclusivity checks of its scoring loop (a tenth of a search).
        .target(
            name: "PartyMatching", dependencies: ["NameMatching"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        // Pure core: part 744 end-user controls per row (list policies, the Affiliates Rule, end uses) and the
        // "stricter wins" combination with the chip determination.
        .target(name: "PartyScreening", dependencies: ["DiffusionRules", "PartyMatching"]),
        // Restricted-party list and ownership files (CSL CSV/JSON, BIS DPL TSV, a user's CSV) -> list entries.
        .target(
            name: "PartyLists",
            dependencies: ["DiffusionRules", "PartyMatching", "PartyScreening", "TabularIO", "SeededRandom",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Pure core: rule layers, regimes, country groups, classification and licence determination.
        // Release builds skip the runtime exclusivity checks of the screener's state (static checks
        // stay): they were a tenth of the cost of a decision.
        .target(
            name: "DiffusionRules", dependencies: ["ComputeMetrics"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        // Pure core: ECCN 4E091 (model weights): training-operations estimates, status on a date, export licensing.
        .target(name: "ModelWeights", dependencies: ["DiffusionRules", "ComputeMetrics"]),
        // Pure core: IaaS usage aggregated per beneficial owner and training run, thresholds, red flag 28.
        .target(name: "CloudMonitoring", dependencies: ["DiffusionRules", "ComputeMetrics", "ByteInterning"]),
        // Names read from files interned as dense ids straight from their bytes (hot input paths).
        .target(name: "ByteInterning"),
        // Strict YAML decoding with file:line errors and unknown-key rejection.
        .target(name: "StrictYAML", dependencies: ["Yams"]),
        // CSV reading (streaming, byte level, line/column errors) shared by every input file.
        // Release builds skip the runtime exclusivity checks of its per-byte loop (static checks stay):
        // they were a third of the cost of reading 10 million usage records.
        .target(
            name: "TabularIO", dependencies: ["NameMatching"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        // The bundled rule data (YAML layers, regimes, country groups, chip catalog) and its loaders.
        .target(
            name: "RuleData",
            dependencies: ["ComputeMetrics", "DiffusionRules", "StrictYAML", "TabularIO", "ModelWeights", "CloudMonitoring", "PartyMatching", "PartyScreening"],
            resources: [.copy("Resources")]
        ),
        // Input files of the weights and cloud channels: usage, customer, cluster and weights-export CSVs.
        .target(
            name: "ChannelInputs",
            dependencies: ["ComputeMetrics", "DiffusionRules", "TabularIO", "ModelWeights", "CloudMonitoring", "RuleData", "SeededRandom", "ByteInterning"]
        ),
        // Transactions CSV -> validated transactions; determinations -> jsonl/csv/json/table.
        .target(name: "Screening", dependencies: ["ComputeMetrics", "DiffusionRules", "RuleData", "TabularIO", "SeededRandom", "ByteInterning"]),
        // Seeded pseudo-random numbers (SplitMix64, xoshiro256**): simulator draws, synthetic benchmark data.
        .target(name: "SeededRandom"),
        // The allocation ledger on SQLite (GRDB): caps, debits, hash chain.
        .target(
            name: "AllocationLedger",
            dependencies: [
                "DiffusionRules", "TabularIO",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // The application layer both adapters call: screen + commit + replay, comparison, holds, licences,
        // recheck, tokens and roles, reference reads. No HTTP, no argument parsing.
        .target(
            name: "ComplianceService",
            dependencies: ["ComputeMetrics", "DiffusionRules", "RuleData", "Screening", "AllocationLedger", "TabularIO", "PartyScreening", "PartyMatching"]
        ),
        // The HTTP adapter (Hummingbird 2): /v1 routes, auth, limits, OpenAPI document, metrics, lifecycle,
        // and the dashboard's HTML routes (Dashboard view models filled from ComplianceService; the
        // simulator page runs Simulation.SimulationRunner in-process).
        .target(
            name: "ComplianceServer",
            dependencies: [
                "ComplianceService", "Screening", "AllocationLedger", "DiffusionRules", "TabularIO",
                "Dashboard", "Simulation", "SimulationReport", "DiffusionModel", "RuleData", "ComputeMetrics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")]
        ),
        // The command-line surface (swift-argument-parser); thin executable below.
        .target(
            name: "AIDiffusionCLI",
            dependencies: [
                "ComplianceService", "ComplianceServer",
                "ComputeMetrics", "DiffusionRules", "RuleData", "Screening", "AllocationLedger", "TabularIO",
                "ModelWeights", "CloudMonitoring", "ChannelInputs",
                "DiffusionModel", "SimulationInputs", "SimulationReport", "Simulation", "RulePackLevers", "StrictYAML",
                "PartyMatching", "PartyScreening", "PartyLists", "SeededRandom",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "ai-diffusion", dependencies: ["AIDiffusionCLI"]),

        // Web dashboard (issue 9): view models, Mustache templates, SVG charts, form decoding and CSRF
        // tokens; returns HTML strings and knows no HTTP server (the server adapter wires the routes).
        .target(
            name: "Dashboard",
            dependencies: [
                "ComputeMetrics", "DiffusionRules", "TabularIO",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")]
        ),
        // Renders every dashboard page from the public deals (committed through ComplianceService to a
        // throwaway ledger) into a directory, for the browser test (Tests/Browser/pages.py).
        .executableTarget(
            name: "dashboard-samples",
            dependencies: ["Dashboard", "ComplianceService", "ComputeMetrics", "DiffusionRules", "RuleData", "Screening", "AllocationLedger", "TabularIO"]
        ),

        // Simulator (issue 3). Pure core: priors, policy timeline, engine, Monte Carlo, calibration.
        // Dynamic exclusivity checks on the simulator's scratch buffers cost ~25% of the hot loop. The
        // engine is optimized in every build (-Ounchecked: no bounds or overflow checks in the quarter
        // loop; the numpy reference and the tests check its arithmetic), so the tests can run ensembles of
        // 10,000+ draws in seconds instead of minutes.
        .target(name: "DiffusionModel", dependencies: ["SeededRandom"], swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked", "-Ounchecked"])]),
        // Simulator inputs: bundled YAML (priors, timeline, scenarios) and the Epoch cluster summary.
        .target(
            name: "SimulationInputs",
            dependencies: ["DiffusionModel", "StrictYAML", "TabularIO"],
            resources: [.copy("Resources")]
        ),
        // Rule packs as simulator levers: generated shipments screened by DiffusionRules.Screener
        // (the one rule implementation) into granted shares per actor and quarter.
        .target(
            name: "RulePackLevers",
            dependencies: ["DiffusionModel", "DiffusionRules", "ComputeMetrics", "RuleData", "StrictYAML"],
            resources: [.copy("Resources")]
        ),
        // Simulator outputs: CSV, JSON, SVG charts and the HTML report.
        .target(name: "SimulationReport", dependencies: ["DiffusionModel", "SimulationInputs"]),
        // The simulator's application layer: inputs + options -> results, files and charts (CLI and
        // dashboard both call it).
        .target(name: "Simulation", dependencies: ["DiffusionModel", "SimulationInputs", "SimulationReport", "RulePackLevers"]),
        .testTarget(name: "DiffusionModelTests", dependencies: ["DiffusionModel", "SimulationInputs", "SimulationReport", "Simulation", "RulePackLevers", "StrictYAML"]),

        .testTarget(name: "ComputeMetricsTests", dependencies: ["ComputeMetrics", "RuleData"]),
        .testTarget(name: "DiffusionRulesTests", dependencies: ["DiffusionRules", "RuleData", "ComputeMetrics"]),
        .testTarget(
            name: "ScreeningTests",
            dependencies: [
                "Screening", "TabularIO", "RuleData", "DiffusionRules", "ComputeMetrics",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "PartyMatchingTests", dependencies: ["PartyMatching", "PartyLists", "PartyScreening", "RuleData", "DiffusionRules"]),
        .testTarget(
            name: "PartyScreeningTests",
            dependencies: ["PartyScreening", "PartyLists", "PartyMatching", "RuleData", "DiffusionRules", "Screening", "TabularIO", "ComputeMetrics"]
        ),
        .testTarget(name: "AllocationLedgerTests", dependencies: ["AllocationLedger", "DiffusionRules"]),
        .testTarget(
            name: "ComplianceServiceTests",
            dependencies: [
                "ComplianceService", "AllocationLedger", "Screening", "DiffusionRules", "RuleData", "ComputeMetrics",
                "PartyLists", "PartyMatching", "PartyScreening", "TabularIO",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "ComplianceServerTests",
            dependencies: [
                "ComplianceServer", "ComplianceService", "AllocationLedger", "RuleData", "ComputeMetrics", "Dashboard",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "ComputeMetrics", "DiffusionRules"]),
        .testTarget(name: "CLITests", dependencies: ["AIDiffusionCLI", "AllocationLedger", "SeededRandom", "Screening"]),
        .testTarget(name: "ModelWeightsTests", dependencies: ["ModelWeights", "DiffusionRules", "ComputeMetrics", "RuleData", "ChannelInputs", "TabularIO"]),
        .testTarget(
            name: "CloudMonitoringTests",
            dependencies: ["CloudMonitoring", "DiffusionRules", "ComputeMetrics", "RuleData", "ChannelInputs", "TabularIO", "ModelWeights", "ByteInterning"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
