import ArgumentParser
import ComplianceService
import DiffusionRules
import PartyLists
import PartyMatching
import PartyScreening
import RuleData

extension MatchAlgorithm: ExpressibleByArgument {}

/// `--parties FILE` (repeatable), `--ownership FILE`, `--algorithm default|ofac` of `screen`.
struct PartyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A restricted-party list: Consolidated Screening List CSV or JSON, BIS Denied Persons List TSV, or your own CSV (name,aliases,country,address,list,...). Repeat for several; no list is bundled.",
                                            valueName: "file"))
    var parties: [String] = []

    @Option(name: .long, help: ArgumentHelp("Ownership CSV (owner,owned,share,as_of) for the Affiliates Rule; needs --parties.", valueName: "file"))
    var ownership: String?

    @Option(name: .long, help: "Name matching: default (token-set Jaro-Winkler) or ofac (emulates OFAC Sanctions List Search).")
    var algorithm: MatchAlgorithm = .default

    func validate() throws {
        if ownership != nil && parties.isEmpty {
            throw ValidationError("--ownership needs --parties: owners are matched against the lists")
        }
    }

    /// The loaded lists, or nil when none was given.
    func library(book: RuleBook) throws -> PartyLibrary? {
        guard !parties.isEmpty else { return nil }
        return try ListFiles.load(parties, catalog: try PartyMatchingData.listCatalog(), registry: book.registry,
                                  configuration: try PartyMatchingData.configuration())
    }

    func ownershipGraph() throws -> OwnershipGraph? {
        guard let ownership else { return nil }
        return OwnershipGraph(records: try OwnershipFile.read(ownership), normalizer: NameNormalizer(try PartyMatchingData.configuration()))
    }

    /// What the stage screens with: the lists, the ownership graph and the algorithm given (every
    /// file read and checked now, before anything is screened or recorded).
    func setup(book: RuleBook) throws -> PartyScreeningSetup {
        PartyScreeningSetup(library: try library(book: book), ownership: try ownershipGraph(), algorithm: algorithm)
    }
}
