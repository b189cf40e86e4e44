import DiffusionRules
import PartyMatching
import PartyScreening

/// What a service screens the parties of each row with (part 744): the restricted-party lists,
/// the ownership graph for the Affiliates Rule, and the matching algorithm. Declared end uses
/// (§§ 744.2-744.4, 744.21, 744.23) are screened under every regime whether or not lists are loaded;
/// with lists, every determination ends with `party_hits`.
///
/// The tool bundles no list: ``none`` screens end uses only, and the command line says on stderr
/// that parties were not screened.
///
/// ```swift
/// let library = try ListFiles.load(["csl.csv"], catalog: try PartyMatchingData.listCatalog(),
///                                  registry: book.registry, configuration: try PartyMatchingData.configuration())
/// let service = try ComplianceService(book: book, ledger: "ledger.sqlite", create: true,
///                                     parties: PartyScreeningSetup(library: library))
/// ```
public struct PartyScreeningSetup: Sendable {
    /// The loaded lists (nil: none given).
    public var library: PartyLibrary?
    /// Ownership records (owner, owned, share, as of) for the Affiliates Rule, or nil.
    public var ownership: OwnershipGraph?
    public var algorithm: MatchAlgorithm

    public init(library: PartyLibrary? = nil, ownership: OwnershipGraph? = nil, algorithm: MatchAlgorithm = .default) {
        self.library = library
        self.ownership = ownership
        self.algorithm = algorithm
    }

    /// End uses only; no restricted-party list.
    public static let none = PartyScreeningSetup()

    /// A fresh part 744 stage for one run under `regime` (a stage caches matches and is not
    /// thread-safe: one per run). Throws when the regime's end-user layers cannot be read.
    public func stage(regime: String, book: RuleBook) throws -> PartyStage {
        stage(rules: try EndUserRules(regime: regime, book: book))
    }

    /// A fresh stage on rules already compiled (``EndUserRules`` is immutable and shared).
    public func stage(rules: EndUserRules) -> PartyStage {
        PartyStage(rules: rules, library: library, ownership: ownership, algorithm: algorithm)
    }
}
