/// The seven actors of the model (spec §3.2). Raw values are the codes used in YAML and outputs.
public enum Actor: String, CaseIterable, Codable, Sendable {
    case us = "US", t1 = "T1", cn = "CN", ru = "RU", gulf = "GULF", india = "IN", row = "ROW"

    /// Index in every per-actor array (`Actor.allCases` order).
    @inline(__always) public var index: Int {
        switch self {
        case .us: 0
        case .t1: 1
        case .cn: 2
        case .ru: 3
        case .gulf: 4
        case .india: 5
        case .row: 6
        }
    }

    public static let count = 7
    public static let list: [Actor] = allCases

    public var label: String {
        switch self {
        case .us: "United States"
        case .t1: "Tier-1 allies"
        case .cn: "China"
        case .ru: "Russia"
        case .gulf: "Gulf (UAE, Saudi Arabia, Qatar)"
        case .india: "India"
        case .row: "Rest of world"
        }
    }
}

/// The quarterly time grid. Quarter `q` runs from `startYear + q/4`; values "at quarter q" are at
/// its end (`startYear + (q+1)/4`). Annual outputs: lags are the mean of the year's four quarters,
/// stocks, shares and runs are the value at the end of the year (Q4).
public struct SimulationCalendar: Sendable, Equatable {
    /// First simulated year (hindcast starts in its Q1).
    public var startYear: Int
    /// Number of hindcast quarters (2023-Q1..2025-Q4 = 12).
    public var hindcastQuarters: Int
    /// Total quarters including the projection (to 2035-Q4 = 52).
    public var totalQuarters: Int

    public init(startYear: Int = 2023, hindcastQuarters: Int = 12, totalQuarters: Int = 52) {
        self.startYear = startYear
        self.hindcastQuarters = hindcastQuarters
        self.totalQuarters = totalQuarters
    }

    public static let dt = 0.25
    public var years: Int { (totalQuarters + 3) / 4 }
    public var yearLabels: [Int] { (0..<years).map { startYear + $0 } }
    public var firstProjectionYear: Int { startYear + hindcastQuarters / 4 }
    /// Time (decimal year) at the end of quarter q.
    @inline(__always) public func endTime(_ q: Int) -> Double { Double(startYear) + Double(q + 1) * Self.dt }
    /// Time at the middle of quarter q (policy in force and production rates are read here).
    @inline(__always) public func midTime(_ q: Int) -> Double { Double(startYear) + (Double(q) + 0.5) * Self.dt }
    /// Year index (0-based) of a calendar year, or nil outside the grid.
    public func yearIndex(_ year: Int) -> Int? {
        let i = year - startYear
        return i >= 0 && i < years ? i : nil
    }
}
