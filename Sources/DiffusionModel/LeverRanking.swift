import Foundation

/// P10/P50/P90 of one quantity.
public struct Band: Sendable, Equatable {
    public var p10: Double, p50: Double, p90: Double
    public init(p10: Double, p50: Double, p90: Double) { self.p10 = p10; self.p50 = p50; self.p90 = p90 }
}

/// For how long a lever buys time for one actor in one domain: P10/P50/P90 of the months bought
/// in every projection year, and the last year in which the P50 is at least one month.
public struct DurabilityRow: Sendable {
    public var lever: String, actor: Actor, domain: String
    public var years: [Int]
    public var months: [Band]
    /// Nil when the P50 never reaches one month.
    public var lastYearAtLeast1Month: Int?
}

/// One row of the where-to-slow table: a lever's months bought per $10B a year of cost for one
/// actor and domain, its rank among the ranked levers, durability and US self-harm beside it.
public struct WhereToSlowRow: Sendable {
    public var actor: Actor, domain: String, lever: String, kind: ScenarioKind
    /// 1 = most months per $10B (P50); nil when the lever is not ranked (see `note`).
    public var rank: Int?
    public var monthsPer10B: Band?
    public var meanMonthsBought: Band
    public var totalCostPerYear: Band
    public var lastYearAtLeast1Month: Int?
    /// US self-harm in the report year (months of US frontier progress lost), P50.
    public var usSelfHarmP50: Double
    /// Whether the top-ranked lever for this actor and domain is the same in the robustness runs
    /// (seeds 1, 2, 3 by default); nil until ``markRobustness(_:against:)`` has run.
    public var robust: Bool?
    public var note: String
}

/// Durability and ranking read-outs of a ``SimulationResult`` (calibrated ensemble unless it is empty).
///
/// ```swift
/// let result = runMonteCarlo(model: model, config: MonteCarloConfig(draws: 10_000, seed: 20_260_101))
/// let rows = LeverRanking(result: result).whereToSlow()
/// let top = rows.first { $0.actor == .cn && $0.domain == "frontier-general" && $0.rank == 1 }   // e.g. cloud-kyc
/// let robust = LeverRanking.markRobustness(rows, against: [otherSeedRows])                      // same top lever?
/// ```
/// Months per $10B: mean months bought over the projection years (lag domains: paired lag
/// differences; deployable compute: months of delay) divided by the lever's total cost per year
/// (vendor + minerals + programme), per draw; ranked by its P50.
public struct LeverRanking: Sendable {
    /// A lever that buys less than this (months, P50 of the projection mean) is not ranked.
    public static let minimumMonths = 0.01
    /// Months per $10B must be defined (cost >= $0.1B/yr) in this share of draws to be ranked.
    public static let minimumDefinedShare = 0.9

    public let result: SimulationResult
    public let calibrated: Bool

    public init(result: SimulationResult) {
        self.result = result
        calibrated = result.acceptedCount > 0
    }

    func band(_ index: Int) -> Band {
        let q = result.quantiles(index, [0.1, 0.5, 0.9], calibrated: calibrated)
        return Band(p10: q[0], p50: q[1], p90: q[2])
    }

    var projectionYears: [Int] {
        result.calendar.yearLabels.filter { $0 >= result.calendar.firstProjectionYear }
    }

    /// Every lever x actor x domain: months bought per projection year and durability.
    public func durability() -> [DurabilityRow] {
        var rows: [DurabilityRow] = []
        let L = result.layout
        for s in 1..<result.scenarioNames.count {
            for a in Actor.list where a != .us {
                for (d, domain) in result.domainIDs.enumerated() {
                    let bands = projectionYears.map { band(L.monthsBought(s, result.calendar.yearIndex($0)!, a, domain: d)) }
                    let last = Array(zip(projectionYears, bands)).last { $0.1.p50 >= 1 }?.0
                    rows.append(DurabilityRow(lever: result.scenarioNames[s], actor: a, domain: domain, years: projectionYears, months: bands, lastYearAtLeast1Month: last))
                }
            }
        }
        return rows
    }

    /// The where-to-slow table: for each actor (not the US) and domain, every lever; `lever`-kind
    /// scenarios ranked by the P50 of their per-draw months per $10B a year, descending.
    public func whereToSlow() -> [WhereToSlowRow] {
        let L = result.layout
        let durable = Dictionary(durability().map { ("\($0.lever)|\($0.actor.rawValue)|\($0.domain)", $0.lastYearAtLeast1Month) }, uniquingKeysWith: { a, _ in a })
        let reportY = result.calendar.yearIndex(result.config.reportYear) ?? (result.calendar.years - 1)
        var rows: [WhereToSlowRow] = []
        for a in Actor.list where a != .us {
            for (d, domain) in result.domainIDs.enumerated() {
                var group: [WhereToSlowRow] = []
                for s in 1..<result.scenarioNames.count {
                    let kind = result.scenarioKinds[s]
                    let ratioIndex = L.lever(s, a, domain: d, .monthsPer10B)
                    let defined = result.definedShare(ratioIndex, calibrated: calibrated) >= Self.minimumDefinedShare
                    let months = band(L.lever(s, a, domain: d, .meanMonthsBought))
                    var note = ""
                    if kind != .lever { note = kind == .loosening ? "loosens controls: not ranked" : "China's counter-measure: not ranked" }
                    else if !defined { note = "costs under $0.1B/yr in more than 10% of draws: months per $10B undefined" }
                    else if !(months.p50 >= Self.minimumMonths) { note = "buys under \(formatNumber(Self.minimumMonths)) months (P50): not ranked" }
                    group.append(WhereToSlowRow(
                        actor: a, domain: domain, lever: result.scenarioNames[s], kind: kind, rank: nil,
                        monthsPer10B: defined ? band(ratioIndex) : nil, meanMonthsBought: months,
                        totalCostPerYear: band(L.lever(s, .totalCostPerYear)),
                        lastYearAtLeast1Month: durable["\(result.scenarioNames[s])|\(a.rawValue)|\(domain)"] ?? nil,
                        usSelfHarmP50: band(L.lever(s, reportY, .usSelfHarmMonths)).p50, robust: nil, note: note))
                }
                let ranked = group.indices.filter { group[$0].note.isEmpty }
                    .sorted { (group[$0].monthsPer10B!.p50, group[$1].lever) > (group[$1].monthsPer10B!.p50, group[$0].lever) }
                for (r, i) in ranked.enumerated() { group[i].rank = r + 1 }
                group.sort { ($0.rank ?? Int.max, $0.lever) < ($1.rank ?? Int.max, $1.lever) }
                rows += group
            }
        }
        return rows
    }

    /// The top-ranked lever per "actor|domain" key ("none" when no lever is ranked).
    public static func topLevers(_ rows: [WhereToSlowRow]) -> [String: String] {
        var top: [String: String] = [:]
        for r in rows {
            let key = "\(r.actor.rawValue)|\(r.domain)"
            if top[key] == nil { top[key] = "none" }
            if r.rank == 1 { top[key] = r.lever }
        }
        return top
    }

    /// Marks each row robust when its actor-domain's top lever is the same in `rows` and in every
    /// other run's table (same draws, other seeds).
    public static func markRobustness(_ rows: [WhereToSlowRow], against others: [[WhereToSlowRow]]) -> [WhereToSlowRow] {
        let mine = topLevers(rows)
        let theirs = others.map(topLevers)
        return rows.map { r in
            var r = r
            let key = "\(r.actor.rawValue)|\(r.domain)"
            r.robust = theirs.allSatisfy { $0[key] == mine[key] }
            return r
        }
    }
}
