import ComputeMetrics

/// The kinds of cap a determination can draw on (screening.md §3, §5): the first part of a cap name.
public enum CapKind: UInt8, Sendable, Hashable, CaseIterable {
    /// `lpp/<ultimate_parent>/<year>`: License Exception LPP, 15 CFR 740.29.
    case lpp
    /// `country_allocation/<CC>`: Tier 2 country allocation, 15 CFR 742.6(b)(10)(iii)(B).
    case countryAllocation
    /// `uveu/<holder>/<CC>`: UVEU geographic limits, Supp. No. 10 to part 748 ¶6.
    case uveu
    /// `nveu/<holder>/<CC>`: NVEU quarterly installed-base allocation, 15 CFR 748.15(a)(2)(iii)(B).
    case nveu

    /// `lpp`, `country_allocation`, `uveu` or `nveu`.
    public var name: StaticString {
        switch self {
        case .lpp: return "lpp"
        case .countryAllocation: return "country_allocation"
        case .uveu: return "uveu"
        case .nveu: return "nveu"
        }
    }
}

/// A debit as the screening core produces it: the cap as a kind and an integer key, and the TPP drawn.
///
/// The key packs interned ids of the run (``PartyTable`` index, ``CountryRegistry`` index):
///
/// | kind | key |
/// |---|---|
/// | `lpp` | `party << 16 \| year` |
/// | `countryAllocation` | registry index of the destination |
/// | `uveu`, `nveu` | `party << 16 \| registry index of the destination` |
///
/// ``Screener/capKey(_:)`` turns it into the named ``CapKey`` (`lpp/Alem.cloud/2025`) that ledgers store.
public struct CapDebit: Hashable, Sendable {
    public var kind: CapKind
    public var key: Int64
    public var tpp: TPP

    public init(kind: CapKind, key: Int64, tpp: TPP) {
        self.kind = kind
        self.key = key
        self.tpp = tpp
    }

    /// The ultimate parent or VEU holder (party index), for every kind but `countryAllocation`.
    public var party: Int32? { kind == .countryAllocation ? nil : Int32(truncatingIfNeeded: key >> 16) }

    /// The calendar year of an LPP debit.
    public var year: Int? { kind == .lpp ? Int(key & 0xFFFF) : nil }

    /// The destination's registry index, for every kind but `lpp`.
    public var countryIndex: Int? {
        switch kind {
        case .lpp: return nil
        case .countryAllocation: return Int(key)
        case .uveu, .nveu: return Int(key & 0xFFFF)
        }
    }

    static func lpp(party: Int32, year: Int, tpp: TPP) -> CapDebit {
        CapDebit(kind: .lpp, key: Int64(party) << 16 | Int64(year & 0xFFFF), tpp: tpp)
    }

    static func perHolder(_ kind: CapKind, party: Int32, country: Int, tpp: TPP) -> CapDebit {
        CapDebit(kind: kind, key: Int64(party) << 16 | Int64(country), tpp: tpp)
    }
}

/// The balances a row read while it was decided (before its own debit). With the row and the rule
/// pack they determine the decision and every number in its reasons, so a writer can render the
/// reasons later from them alone. Fields a row did not read stay zero.
public struct ObservedBalances: Sendable, Hashable {
    /// The ultimate parent's LPP total in the row's calendar year (15 CFR 740.29(d)).
    public var lppUsed = TPP.zero
    /// TPP already counted against the destination's allocation (15 CFR 742.6(b)(10)(iii)(B)).
    public var allocationUsed = TPP.zero
    /// The holder's installed base in the destination (NVEU, 15 CFR 748.15(a)(2)(iii)(B)).
    public var nveuBase = TPP.zero
    /// The holder's whole installed base, its part outside Tier 1, in the destination and in the US
    /// (UVEU shares, Supp. No. 10 to part 748 ¶6).
    public var uveuTotal = TPP.zero, uveuOutsideTier1 = TPP.zero, uveuInDestination = TPP.zero, uveuInUS = TPP.zero

    public init() {}
}

/// The compact result of screening one row (screening.md §6): the outcome, the debit and the
/// balances the row saw, with no text. Small and free of references, so the decision loop allocates
/// nothing; ``ScreeningTables/text(of:_:into:)`` and the writers render reasons, cap names,
/// citations and warnings from it when (and only when) they print.
///
/// ```swift
/// let decision = screener.decide(transaction)
/// decision.authorization          // .LPP
/// decision.debit?.tpp             // 15832000 TPP
/// screener.capKey(decision.debit!).name   // "lpp/Alem.cloud/2025"
/// ```
///
/// A per-row stage after the chip rules (restricted parties, for example) may tighten the outcome
/// with ``tighten(to:reviewPolicy:)`` and add its reasons and warnings as ``RowAnnotations``; the
/// rendering of the chip rules' own reasons does not change.
public struct Decision: Sendable {
    /// The authorization: `NLR`, `AIA`, `LPP`, `ACA`, `NAC`, `UVEU`, `NVEU` or `LICENSE`.
    public private(set) var authorization: Authorization
    /// The review policy when a licence is required, else nil.
    public private(set) var reviewPolicy: ReviewPolicy?
    /// The debit the outcome draws (at most one cap per row under the bundled packs).
    public private(set) var debit: CapDebit?
    /// TPP added to the ultimate parent's installed base at the destination (a counted ECCN, not
    /// denied; screening.md §5), or nil.
    public private(set) var installedBaseAddition: TPP?
    /// TPP of the whole shipment; nil when the item's TPP is unknown.
    public let tppTotal: TPP?
    /// The rule path's review policy (before it is hidden for outcomes that need no licence), which
    /// decides whether the row is a denial.
    let outcomePolicy: ReviewPolicy?
    /// Index of the epoch of the row's date in the ``CompiledRegime``; of the item's classification
    /// on it in ``ScreeningTables``; the row's fact vector (``DecisionTables``); its tiers (-1: none).
    let epoch: Int32
    let classification: Int32
    let facts: UInt64
    let destinationTier: Int8, hqTier: Int8
    /// The flags and rules the row matched, when they pack (writers re-walk them without matching).
    let matched: PackedMatches?
    /// The balances the row read (its reasons print them).
    public let observed: ObservedBalances

    init(authorization: Authorization, outcomePolicy: ReviewPolicy?, debit: CapDebit?, installedBaseAddition: TPP?,
         tppTotal: TPP?, epoch: Int32, classification: Int32, facts: UInt64, destinationTier: Int8, hqTier: Int8,
         matched: PackedMatches?, observed: ObservedBalances) {
        self.authorization = authorization
        self.outcomePolicy = outcomePolicy
        self.reviewPolicy = authorization.licenseRequired ? outcomePolicy : nil
        self.debit = debit
        self.installedBaseAddition = installedBaseAddition
        self.tppTotal = tppTotal
        self.epoch = epoch
        self.classification = classification
        self.facts = facts
        self.destinationTier = destinationTier
        self.hqTier = hqTier
        self.matched = matched
        self.observed = observed
    }

    /// Whether a licence must be obtained.
    public var licenseRequired: Bool { authorization.licenseRequired }

    /// The period of constant rules the row's date falls in: rows with the same index have the same
    /// `regime` and `layers` (writers key caches on it).
    public var epochIndex: Int { Int(epoch) }

    /// Whether the outcome refuses the export (presumption or policy of denial).
    public var isDenial: Bool { reviewPolicy?.isDenial ?? false }

    /// The seam for a later per-row stage: replaces the outcome with `authorization` and
    /// `reviewPolicy` (the caller decides which outcome is stricter). What the chip outcome drew and
    /// no longer applies is dropped: a licence exception or VEU draws only while it is the
    /// authorization, a denied licence draws no country allocation, and a row newly denied adds
    /// nothing to an installed base (screening.md §5). The run gives those amounts back to the
    /// screener (``Screener/withdraw(_:_:for:)``).
    public mutating func tighten(to authorization: Authorization, reviewPolicy: ReviewPolicy?) {
        let chip = self.authorization, wasDenial = isDenial
        self.authorization = authorization
        self.reviewPolicy = authorization.licenseRequired ? reviewPolicy : nil
        if let debit, authorization != chip || (isDenial && debit.kind == .countryAllocation) { self.debit = nil }
        if isDenial && !wasDenial { installedBaseAddition = nil }
    }
}

/// Reasons and warnings a per-row stage after the chip rules adds to a determination (printed after
/// the chip rules' own), restricted-party hits (`party_hits`, the last field, printed whenever it is
/// not nil), and extra JSON fields appended at the end by the JSON writers. Empty for almost every
/// row, so it costs nothing when unused.
public struct RowAnnotations: Sendable {
    public var reasons: [Reason] = []
    public var warnings: [String] = []
    /// Restricted-party findings (issue 10): nil when parties were not screened; empty when screened
    /// without a finding.
    public var partyHits: [PartyHit]?
    /// Fields appended after `warnings` (and `party_hits`) by the JSON writers, in order: name and
    /// the value as a JSON text.
    public var fields: [(name: String, json: String)] = []

    public init(reasons: [Reason] = [], warnings: [String] = [], partyHits: [PartyHit]? = nil, fields: [(name: String, json: String)] = []) {
        self.reasons = reasons
        self.warnings = warnings
        self.partyHits = partyHits
        self.fields = fields
    }

    public var isEmpty: Bool { reasons.isEmpty && warnings.isEmpty && partyHits == nil && fields.isEmpty }
}

/// A later per-row stage after the chip rules (part 744 screening of restricted parties and end
/// uses, for example): the seam where a stage sees every row in file order, may tighten its outcome
/// (``Decision/tighten(to:reviewPolicy:)``) and may add reasons, warnings and party hits that the
/// writers print after the chip rules' own (``RowAnnotations``). (Declared here, beside the types it
/// uses, so that a stage's module need not depend on the `Screening` I/O module.)
public protocol RowStage {
    /// Called for every row after the chip rules, in file order, on the screening thread.
    /// Return nil (no annotations) for rows the stage has nothing to say about: they cost nothing.
    mutating func process(_ transaction: Transaction, _ decision: inout Decision, tables: ScreeningTables) -> RowAnnotations?

    /// Whether every row's output ends with `party_hits` (CSV and table writers add the column).
    var screensParties: Bool { get }
}

extension RowStage {
    public var screensParties: Bool { false }
}
