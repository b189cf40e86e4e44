import ComputeMetrics

/// Where a rule walk reads cap balances: the run's live state while screening (``Screener``), or the
/// balances a decision recorded when a writer renders its reasons.
protocol BalanceSource {
    mutating func lppUsed(party: Int32, year: Int) -> TPP
    mutating func allocationUsed(destination: Int) -> TPP
    mutating func nveuBase(party: Int32, destination: Int) -> TPP
    mutating func uveuBase(party: Int32, destination: Int, tier1: CountrySet?) -> UVEUBase
}

/// The balances a decision recorded: a rule walk over them takes exactly the path the row took.
struct RecordedBalances: BalanceSource {
    let observed: ObservedBalances
    func lppUsed(party: Int32, year: Int) -> TPP { observed.lppUsed }
    func allocationUsed(destination: Int) -> TPP { observed.allocationUsed }
    func nveuBase(party: Int32, destination: Int) -> TPP { observed.nveuBase }
    func uveuBase(party: Int32, destination: Int, tier1: CountrySet?) -> UVEUBase {
        UVEUBase(total: observed.uveuTotal, outsideTier1: observed.uveuOutsideTier1,
                 inDestination: observed.uveuInDestination, inUS: observed.uveuInUS)
    }
}

/// Which outcome of a rule applied.
enum AppliedOutcome {
    case then, whenExceeded, afterWindow
}

/// Which reason a cap check gives.
enum CapReasonKind {
    /// `<rule>/cap`: the shipment fits.
    case admitted
    /// `<rule>/cap-exceeded`: it does not (or its TPP is unknown).
    case exceeded
    /// `<rule>/no-window`: the row is dated outside the cap's window and the rule has no `after_window`.
    case noWindow
}

/// Receives what a rule walk did, in output order, by epoch-local rule and flag index. The screening
/// loop passes ``SilentTrace`` (nothing is built); writers pass a recorder that turns the events
/// into the rule pack's texts.
protocol WalkTrace {
    /// A red flag fired: its warning.
    mutating func flag(_ index: Int)
    /// The rule's own reason.
    mutating func ruleReason(_ rule: Int)
    mutating func capReason(_ rule: Int, _ kind: CapReasonKind, _ figures: CapFigures)
    /// The cap check's sentence as a warning (a row dated after the allocation window).
    mutating func capWarning(_ rule: Int, _ figures: CapFigures)
    /// The rule decided through `outcome`: its extra reason and warning, and the rule's warnings.
    mutating func decided(_ rule: Int, _ outcome: AppliedOutcome)
}

/// The trace of the screening loop: records nothing.
struct SilentTrace: WalkTrace {
    @inline(__always) mutating func flag(_ index: Int) {}
    @inline(__always) mutating func ruleReason(_ rule: Int) {}
    @inline(__always) mutating func capReason(_ rule: Int, _ kind: CapReasonKind, _ figures: CapFigures) {}
    @inline(__always) mutating func capWarning(_ rule: Int, _ figures: CapFigures) {}
    @inline(__always) mutating func decided(_ rule: Int, _ outcome: AppliedOutcome) {}
}

/// How a row's conditions are tested: bits of its fact vector (``DecisionTables``), or, for an
/// epoch with more than 64 distinct facts, the compiled conditions themselves.
enum RowMatch {
    case bits(UInt64)
    case conditions(RowFacts, Epoch)
}

/// The red flags that fire for a row and the rules it matches, in order (epoch-local indices; rules
/// up to and including the first without a cap, which always decides; red-flag removals applied).
protocol MatchedRules {
    var flagCount: Int { get }
    var stepCount: Int { get }
    func flag(_ i: Int) -> Int
    func step(_ i: Int) -> Int
}

/// Up to 8 flags and 8 rules of fewer than 256, packed in two words: a plain value to cache.
struct PackedMatches: MatchedRules, Sendable {
    var flags: UInt64 = 0, steps: UInt64 = 0
    var flagCountByte: UInt8 = 0, stepCountByte: UInt8 = 0

    var flagCount: Int { Int(flagCountByte) }
    var stepCount: Int { Int(stepCountByte) }
    @inline(__always) func flag(_ i: Int) -> Int { Int((flags >> UInt64(i &* 8)) & 0xFF) }
    @inline(__always) func step(_ i: Int) -> Int { Int((steps >> UInt64(i &* 8)) & 0xFF) }

    init() {}

    /// Packs lists, or nil when they do not fit.
    init?(flags: [Int16], steps: [Int16]) {
        guard flags.count <= 8, steps.count <= 8, flags.allSatisfy({ $0 < 256 }), steps.allSatisfy({ $0 < 256 }) else { return nil }
        for (i, flag) in flags.enumerated() { self.flags |= UInt64(flag) << UInt64(i * 8) }
        for (i, step) in steps.enumerated() { self.steps |= UInt64(step) << UInt64(i * 8) }
        flagCountByte = UInt8(flags.count)
        stepCountByte = UInt8(steps.count)
    }
}

/// Matches that do not pack (packs with many rules).
struct ListedMatches: MatchedRules {
    var flags: [Int16], steps: [Int16]
    var flagCount: Int { flags.count }
    var stepCount: Int { steps.count }
    func flag(_ i: Int) -> Int { Int(flags[i]) }
    func step(_ i: Int) -> Int { Int(steps[i]) }
}

enum RuleMatching {
    /// The flags that fire and the rules that match for a row on an epoch.
    static func match(tables: DecisionTables, epoch: Int, _ match: RowMatch) -> ListedMatches {
        var bits: UInt64 = 0
        var slow: (facts: RowFacts, epoch: Epoch)?
        switch match {
        case let .bits(facts): bits = facts
        case let .conditions(facts, compiled): slow = (facts, compiled)
        }
        var out = ListedMatches(flags: [], steps: [])
        var removed: UInt8 = 0
        let flagStart = Int(tables.flagStart[epoch])
        for i in flagStart..<Int(tables.flagStart[epoch + 1]) {
            let fires = slow.map { $0.epoch.flags[i - flagStart].condition.matches($0.facts) } ?? tables.matches(tables.flags[i].node, bits)
            if fires {
                out.flags.append(Int16(i - flagStart))
                removed |= tables.flags[i].removes
            }
        }
        let ruleStart = Int(tables.ruleStart[epoch])
        for i in ruleStart..<Int(tables.ruleStart[epoch + 1]) {
            let step = tables.rules[i]
            if removed & step.authorizationBit != 0 { continue }
            let r = i - ruleStart
            let matches = slow.map { $0.epoch.rules[r].condition.matches($0.facts) } ?? tables.matches(step.node, bits)
            guard matches else { continue }
            out.steps.append(Int16(r))
            if step.cap < 0 { break }
        }
        return out
    }
}

/// The licensing rule walk of screening.md §3-§4, once for the screening loop and the writers: red
/// flags first (their removals), then the rules the row matches, in order; a rule without a cap
/// decides; a rule with a cap decides when the cap admits the shipment, or through `when_exceeded` /
/// `after_window`, else the walk goes on.
enum RuleWalk {
    struct Outcome {
        var authorization = Authorization.NLR
        var reviewPolicy: ReviewPolicy?
        var debit: CapDebit?
        var decided = false
    }

    static func walk<M: MatchedRules, B: BalanceSource, T: WalkTrace>(tables: DecisionTables, regime: CompiledRegime, epoch: Int,
                                                                       matched: M, row: CapRow, balances: inout B, trace: inout T) -> Outcome {
        var outcome = Outcome()
        for i in 0..<matched.flagCount { trace.flag(matched.flag(i)) }
        let ruleStart = Int(tables.ruleStart[epoch])
        for i in 0..<matched.stepCount {
            let r = matched.step(i)
            let step = tables.rules[ruleStart &+ r]
            let applied: AppliedOutcome
            var result = step.then
            if step.cap >= 0 {
                let figures = CapFigures.evaluate(Int(step.cap), tables: tables, epoch: epoch, row: row, balances: &balances)
                switch figures.verdict {
                case .admitted:
                    applied = .then
                    outcome.debit = figures.debit
                    trace.ruleReason(r)
                    trace.capReason(r, .admitted, figures)
                case .exceeded:
                    trace.capReason(r, .exceeded, figures)
                    guard step.hasWhenExceeded else { continue }
                    applied = .whenExceeded
                    result = step.whenExceeded
                    trace.ruleReason(r)
                case .outsideWindow:
                    guard step.hasAfterWindow else {
                        trace.capReason(r, .noWindow, figures)
                        continue
                    }
                    applied = .afterWindow
                    result = step.afterWindow
                    trace.ruleReason(r)
                    trace.capWarning(r, figures)
                }
            } else {
                applied = .then
                trace.ruleReason(r)
            }
            outcome.authorization = result.authorization
            outcome.reviewPolicy = step.hasSchedule
                ? regime.epochs[epoch].rules[r].scheduledPolicy(result.reviewPolicy, on: row.date) : result.reviewPolicy
            trace.decided(r, applied)
            outcome.decided = true
            break
        }
        return outcome
    }
}
