import ComputeMetrics

/// Where a rule walk reads cap balances: the run's live state while screening (``Screener``), or the
/// balances a decision recorded when a writer renders its reasons.
protocol BalanceSource {
    mutating func lppUsed(party: Int32, year: Int) -> TPP
    mutating func allocationUsed(destination: Int) -> TPP
    mutating func nveuBase(party: Int32, destination: Int) -> TPP
    mutating func uveuBase(party: Int32, destination: Int, epoch: Epoch) -> UVEUBase
}

/// The balances a decision recorded: a rule walk over them takes exactly the path the row took.
struct RecordedBalances: BalanceSource {
    let observed: ObservedBalances
    func lppUsed(party: Int32, year: Int) -> TPP { observed.lppUsed }
    func allocationUsed(destination: Int) -> TPP { observed.allocationUsed }
    func nveuBase(party: Int32, destination: Int) -> TPP { observed.nveuBase }
    func uveuBase(party: Int32, destination: Int, epoch: Epoch) -> UVEUBase {
        UVEUBase(total: observed.uveuTotal, outsideTier1: observed.uveuOutsideTier1,
                 inDestination: observed.uveuInDestination, inUS: observed.uveuInUS)
    }
}

/// Receives the reasons and warnings of a rule walk, in output order. The screening loop passes
/// ``SilentTrace`` (nothing is built); writers pass a recorder.
protocol WalkTrace {
    mutating func reason(_ ids: ReasonIDs)
    /// A reason about a cap check: its code and citation, and either the rule's constant text
    /// (`constant >= 0`) or the sentence with the check's figures.
    mutating func capReason(rule: Int, code: Int32, citation: Int32, figures: CapFigures, constant: Int32)
    mutating func warning(_ id: Int32)
    /// The cap check's sentence as a warning (a row dated after the allocation window).
    mutating func capWarning(rule: Int, figures: CapFigures)
}

/// The trace of the screening loop: records nothing.
struct SilentTrace: WalkTrace {
    @inline(__always) mutating func reason(_ ids: ReasonIDs) {}
    @inline(__always) mutating func capReason(rule: Int, code: Int32, citation: Int32, figures: CapFigures, constant: Int32) {}
    @inline(__always) mutating func warning(_ id: Int32) {}
    @inline(__always) mutating func capWarning(rule: Int, figures: CapFigures) {}
}

/// The rules one row matches on one epoch, and its tiers and classification. Conditions never read
/// balances, so a plan depends only on (epoch, item, destination, headquarters, exporter country,
/// VEU status, end use) and is found once per distinct combination (``Screener``), then carried in
/// the ``Decision`` so that writers need no shared memo.
///
/// `steps` are the matching rules in order, red-flag removals applied, up to and including the first
/// rule without a cap (it always decides); `flags` the red flags that fire.
struct RowPlan: Sendable {
    static let stepCapacity = 8, flagCapacity = 4

    var classification: Int32
    var destinationTier: Int8
    var hqTier: Int8
    var stepCount: UInt8
    var flagCount: UInt8
    /// The row's ECCN is counted in installed bases (Supp. No. 10 to part 748 ¶6).
    var countsForBase: Bool
    /// Index into ``ScreeningTables``' wide plans when the steps or flags do not fit inline, else -1.
    var wide: Int32
    var steps: (Int16, Int16, Int16, Int16, Int16, Int16, Int16, Int16) = (0, 0, 0, 0, 0, 0, 0, 0)
    var flags: (Int16, Int16, Int16, Int16) = (0, 0, 0, 0)

    @inline(__always) func step(_ i: Int) -> Int {
        withUnsafeBytes(of: steps) { Int($0.load(fromByteOffset: i &* 2, as: Int16.self)) }
    }

    @inline(__always) func flag(_ i: Int) -> Int {
        withUnsafeBytes(of: flags) { Int($0.load(fromByteOffset: i &* 2, as: Int16.self)) }
    }

    /// Plans the row described by `facts` on `epoch`; `wideStore` keeps steps that do not fit inline.
    static func make(epoch: Epoch, facts: RowFacts, classification: Int32, destinationTier: Int?, hqTier: Int?,
                     wideStore: inout [(steps: [Int16], flags: [Int16])]) -> RowPlan {
        var flags: [Int16] = []
        var removed: Set<Authorization> = []
        for (i, flag) in epoch.flags.enumerated() where flag.condition.matches(facts) {
            flags.append(Int16(i))
            for authorization in flag.flag.removes ?? [] { removed.insert(authorization) }
        }
        var steps: [Int16] = []
        for (i, rule) in epoch.rules.enumerated() {
            if !removed.isEmpty, removed.contains(rule.rule.then.authorization) { continue }
            guard rule.condition.matches(facts) else { continue }
            steps.append(Int16(i))
            if epoch.ruleCaps[i] == nil { break }
        }
        var plan = RowPlan(classification: classification, destinationTier: Int8(destinationTier ?? -1), hqTier: Int8(hqTier ?? -1),
                           stepCount: UInt8(min(steps.count, 255)), flagCount: UInt8(min(flags.count, 255)),
                           countsForBase: epoch.installedBaseMask & facts.eccnBit != 0, wide: -1)
        if steps.count > stepCapacity || flags.count > flagCapacity {
            plan.wide = Int32(wideStore.count)
            wideStore.append((steps, flags))
            return plan
        }
        withUnsafeMutableBytes(of: &plan.steps) { raw in
            for (i, step) in steps.enumerated() { raw.storeBytes(of: step, toByteOffset: i * 2, as: Int16.self) }
        }
        withUnsafeMutableBytes(of: &plan.flags) { raw in
            for (i, flag) in flags.enumerated() { raw.storeBytes(of: flag, toByteOffset: i * 2, as: Int16.self) }
        }
        return plan
    }
}

/// The licensing rule walk of screening.md §3-§4, once for the screening loop and the writers: the
/// plan's rules in order; a rule without a cap decides; a rule with a cap decides when the cap admits
/// the shipment, or through `when_exceeded` / `after_window`, else the walk goes on.
enum RuleWalk {
    struct Outcome {
        var authorization = Authorization.NLR
        var reviewPolicy: ReviewPolicy?
        var debit: CapDebit?
        var decided = false
    }

    static func walk<B: BalanceSource, T: WalkTrace>(epoch: Epoch, plan: RowPlan, wideSteps: [Int16]?, row: CapRow,
                                                     balances: inout B, trace: inout T) -> Outcome {
        var outcome = Outcome()
        let count = wideSteps?.count ?? Int(plan.stepCount)
        var index = 0
        while index < count {
            let r = wideSteps.map { Int($0[index]) } ?? plan.step(index)
            index += 1
            let applied: OutcomeTexts
            if let cap = epoch.ruleCaps[r] {
                let figures = CapFigures.evaluate(cap, epoch: epoch, row: row, balances: &balances)
                switch figures.verdict {
                case .admitted:
                    applied = epoch.ruleTexts[r].then
                    outcome.debit = figures.debit
                    trace.reason(epoch.ruleTexts[r].reason)
                    trace.capReason(rule: r, code: epoch.ruleTexts[r].capCode, citation: epoch.ruleTexts[r].capCitation,
                                    figures: figures, constant: -1)
                case .exceeded:
                    trace.capReason(rule: r, code: epoch.ruleTexts[r].capExceededCode, citation: epoch.ruleTexts[r].capCitation,
                                    figures: figures, constant: figures.failure == .tppUnknown ? epoch.ruleTexts[r].tppUnknown : -1)
                    guard let exceeded = epoch.ruleTexts[r].whenExceeded else { continue }
                    applied = exceeded
                    trace.reason(epoch.ruleTexts[r].reason)
                case .outsideWindow:
                    guard let afterWindow = epoch.ruleTexts[r].afterWindow else {
                        trace.capReason(rule: r, code: epoch.ruleTexts[r].noWindowCode, citation: epoch.ruleTexts[r].capCitation,
                                        figures: figures, constant: -1)
                        continue
                    }
                    applied = afterWindow
                    trace.reason(epoch.ruleTexts[r].reason)
                    trace.capWarning(rule: r, figures: figures)
                }
            } else {
                applied = epoch.ruleTexts[r].then
                trace.reason(epoch.ruleTexts[r].reason)
            }
            outcome.authorization = applied.authorization
            outcome.reviewPolicy = epoch.ruleTexts[r].hasSchedule
                ? epoch.rules[r].scheduledPolicy(applied.reviewPolicy, on: row.date) : applied.reviewPolicy
            if let extra = applied.reason {
                trace.reason(ReasonIDs(code: epoch.ruleTexts[r].outcomeCode, text: extra, citation: epoch.ruleTexts[r].reason.citation))
            }
            if let warning = applied.warning { trace.warning(warning) }
            for warning in epoch.ruleTexts[r].warnings { trace.warning(warning) }
            outcome.decided = true
            break
        }
        return outcome
    }
}
