/// The simulator page (`GET /simulator`, `POST /simulator`): pick levers and a draw count, run
/// in-process, show the lever charts and a table.
///
/// The results arrive already rendered (SVG strings and table cells) so that the simulator can
/// change its charts without touching the dashboard.
///
/// ```swift
/// SimulatorPage(levers: [SimulatorLever(id: "tier2-caps", title: "Tier-2 country caps", selected: true)],
///               request: SimulatorRequest(levers: ["tier2-caps"], draws: 500, seed: 20_260_101),
///               result: SimulatorResult(summary: "500 draws, 212 accepted", charts: [...], table: table))
/// ```
public struct SimulatorPage: Sendable {
    /// Every lever the simulator offers (bundled scenarios other than the baseline).
    public var levers: [SimulatorLever]
    /// What is (or was last) asked for: fills the form.
    public var request: SimulatorRequest
    /// The largest draw count the form accepts (``SimulatorRequest/maxDraws``).
    public var maxDraws: Int
    /// Nil before the first run.
    public var result: SimulatorResult?
    /// Why the last request could not run, shown above the form.
    public var error: String?

    public init(levers: [SimulatorLever], request: SimulatorRequest, maxDraws: Int = SimulatorRequest.maxDraws,
                result: SimulatorResult? = nil, error: String? = nil) {
        self.levers = levers
        self.request = request
        self.maxDraws = maxDraws
        self.result = result
        self.error = error
    }
}

/// One policy lever (a scenario file of the simulator).
public struct SimulatorLever: Sendable, Hashable {
    /// The scenario's `name`, posted as a `lever` field.
    public var id: String
    public var title: String

    public init(id: String, title: String) {
        self.id = id
        self.title = title
    }
}

/// What the simulator produced, already rendered.
public struct SimulatorResult: Sendable {
    /// One line: draws, accepted draws, seed, time.
    public var summary: String
    public var charts: [SimulatorChart]
    public var table: ResultTable
    /// Caveats printed under the charts (small ensemble, calibration, ...).
    public var notes: [String]

    public init(summary: String, charts: [SimulatorChart], table: ResultTable, notes: [String] = []) {
        self.summary = summary
        self.charts = charts
        self.table = table
        self.notes = notes
    }
}

/// One chart: an `<svg>` element rendered by the simulator (SimulationReport), inserted as is.
///
/// The SVG must come from the project's own renderer, never from user input: it is not escaped.
public struct SimulatorChart: Sendable {
    public var title: String
    public var svg: String

    public init(title: String, svg: String) {
        self.title = title
        self.svg = svg
    }
}

/// A table of text cells (escaped when rendered).
public struct ResultTable: Sendable, Hashable {
    public var caption: String
    public var header: [String]
    public var rows: [[String]]

    public init(caption: String, header: [String], rows: [[String]]) {
        self.caption = caption
        self.header = header
        self.rows = rows
    }
}
