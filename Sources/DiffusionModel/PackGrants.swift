import Foundation

/// How a licensing outcome counts toward legal volume: shipments needing no licence (NLR, licence
/// exceptions, VEU) always flow; licences flow with the approval probability of their review
/// policy (priors `licence_approval_*`); a policy of denial never does.
public enum ReviewClass: Int, CaseIterable, Sendable {
    case noLicence, presumptionOfApproval, caseByCase, presumptionOfDenial, policyOfDenial
    public static let count = 5
}

/// What screening generated chip shipments under one rule pack produced, per quarter and actor: the
/// share of the requested H100e in each ``ReviewClass``, at several levels of demand (multiples of
/// the reference demand), and the best US chip regime the pack leaves open for China. Filled at the
/// edge by the `RulePackLevers` module, which runs `DiffusionRules.Screener`; the engine only reads
/// the numbers (it stays free of the rule engine).
///
/// Shapes: `shares[((q * Actor.count + a) * demandLevels.count + l) * ReviewClass.count + c]`,
/// fractions summing to 1 over `c` (all zero where nothing was screened: the engine then leaves the
/// actor's flows alone); `chinaRegime[q]`.
public struct PackGrants: Sendable, Equatable {
    /// The regime id; scenario events name it in `rule_pack:`.
    public var id: String
    public var title: String
    /// Ascending multipliers of the reference demand at which shipments were screened.
    public var demandLevels: [Double]
    public var shares: [Double]
    /// China's legal chip regime under the pack in each quarter (the best catalog chip not denied).
    public var chinaRegime: [ChinaChipRegime]
    /// Rows screened in building the table, and where the numbers came from (shown in outputs).
    public var rowsScreened: Int
    public var provenance: String

    public init(id: String, title: String, demandLevels: [Double], shares: [Double], chinaRegime: [ChinaChipRegime], rowsScreened: Int, provenance: String) {
        self.id = id; self.title = title; self.demandLevels = demandLevels; self.shares = shares
        self.chinaRegime = chinaRegime; self.rowsScreened = rowsScreened; self.provenance = provenance
    }

    /// Share of requested volume that flows legally for actor `a` in quarter `q` at demand multiple
    /// `m`, given the approval probabilities `p` (indexed by ``ReviewClass``): linear interpolation
    /// in log m between the screened levels, clamped at the ends. NaN when nothing was screened.
    @inline(__always)
    public func grantedShare(q: Int, actor a: Int, demandMultiple m: Double, approval p: UnsafePointer<Double>) -> Double {
        let levels = demandLevels.count
        let base = (q * Actor.count + a) * levels
        func at(_ l: Int) -> Double {
            var s = 0.0, total = 0.0
            let o = (base + l) * ReviewClass.count
            for c in 0..<ReviewClass.count { s += shares[o + c] * p[c]; total += shares[o + c] }
            return total > 0 ? s / total : .nan
        }
        if m <= demandLevels[0] { return at(0) }
        if m >= demandLevels[levels - 1] { return at(levels - 1) }
        var l = 0
        while demandLevels[l + 1] < m { l += 1 }
        let w = Foundation.log(m / demandLevels[l]) / Foundation.log(demandLevels[l + 1] / demandLevels[l])
        return at(l) * (1 - w) + at(l + 1) * w
    }
}

