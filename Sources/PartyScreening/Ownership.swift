import DiffusionRules
import PartyMatching

/// One line of an ownership file (`owner,owned,share,as_of`): `owner` holds `share` (a fraction in
/// (0, 1]) of `owned`, known as of `as_of`.
public struct OwnershipRecord: Sendable, Hashable {
    public var owner: String
    public var owned: String
    public var share: Double
    public var asOf: Day
    /// Line in the file (for messages).
    public var line: Int

    public init(owner: String, owned: String, share: Double, asOf: Day, line: Int) {
        self.owner = owner
        self.owned = owned
        self.share = share
        self.asOf = asOf
        self.line = line
    }
}

/// Who owns whom, on a date: for each (owner, owned) pair the record with the latest `as_of` on or
/// before the date counts. Names are compared in normalized form (case, punctuation, diacritics,
/// legal forms), so `Example Co., Ltd.` in a deal and `EXAMPLE COMPANY LIMITED` in the ownership
/// file are the same party.
///
/// ```swift
/// let graph = OwnershipGraph(records: records, normalizer: NameNormalizer(configuration))
/// graph.owners(of: "Example Cloud Pte. Ltd.", on: Day("2025-10-15")!)   // [(owner: "Example Parent", share: 0.6, ...)]
/// ```
public final class OwnershipGraph: Sendable {
    public let records: [OwnershipRecord]
    private let normalizer: NameNormalizer
    private let byOwned: [String: [Int]]

    public init(records: [OwnershipRecord], normalizer: NameNormalizer) {
        self.records = records
        self.normalizer = normalizer
        var byOwned: [String: [Int]] = [:]
        for (i, record) in records.enumerated() { byOwned[OwnershipGraph.key(record.owned, normalizer), default: []].append(i) }
        self.byOwned = byOwned
    }

    static func key(_ name: String, _ normalizer: NameNormalizer) -> String {
        let n = normalizer.normalize(name)
        return n.text + "|" + n.legalForms.joined(separator: " ")
    }

    /// The comparison key of a name.
    public func key(_ name: String) -> String { OwnershipGraph.key(name, normalizer) }

    /// Whether the file says anything about who owns `name`.
    public func hasOwners(_ name: String) -> Bool { byOwned[key(name)] != nil }

    /// The direct owners of `name` on `day`: per owner, the record with the latest `as_of` on or
    /// before `day`, in file order of the owners' first appearance.
    public func owners(of name: String, on day: Day) -> [OwnershipRecord] {
        guard let indices = byOwned[key(name)] else { return [] }
        var latest: [String: OwnershipRecord] = [:]
        var order: [String] = []
        for i in indices {
            let record = records[i]
            guard record.asOf <= day else { continue }
            let ownerKey = key(record.owner)
            if let current = latest[ownerKey] {
                if record.asOf >= current.asOf { latest[ownerKey] = record }
            } else {
                latest[ownerKey] = record
                order.append(ownerKey)
            }
        }
        return order.compactMap { latest[$0] }
    }
}

/// Why a party is restricted through its owners (the Affiliates Rule): the listed owners whose
/// shares count, with the path of ownership, and the strictest requirement among them.
struct AffiliateFinding {
    /// Listed owners (directly matched to a list entry) that the restriction comes from.
    var listedOwners: [ListedOwner]
    /// Shares of the party held by restricted owners (direct owners only), summed.
    var restrictedShare: Double
    /// The direct owners whose shares count, with their shares.
    var countedOwners: [OwnershipRecord]
    var outcome: RuleOutcome
}

/// A listed owner: its name, the list entry it matched, and its outcome under the list's policy.
struct ListedOwner {
    var name: String
    var entry: Int
    var score: Double
    var outcome: RuleOutcome
}
