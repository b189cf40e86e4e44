import DiffusionRules

struct RulesContext {
    struct TierRow {
        var code: String
        var name: String
        var tier: String
        var groups: String
    }

    struct TierGroup {
        var tier: String
        var count: String
        var members: String
        var listed: Bool
    }

    struct LayerRow {
        var id: String
        var title: String
        var effectiveFrom: String
        var complianceFrom: String
        var enforcedUntil: String
        var supersededOn: String
        var citation: String
        var inForce: Bool
    }

    struct Change {
        var kind: String
        var key: String
        var before: String
        var after: String
    }

    struct Option {
        var value: String
    }

    /// Tiers with more members than this are folded (a display choice).
    static let listedTierSize = 40

    var asOf: String
    var rulesPath = DashboardRoutes.rules
    var regimes: [Option]
    var hasTiers: Bool
    var tierRegime: String
    var tierGroups: [TierGroup]
    var tierRows: [TierRow]
    var layers: [LayerRow]
    var diffA: String
    var diffB: String
    var hasDiff: Bool
    var diffTitle: String
    var changes: [Change]
    var hasChanges: Bool
    var hasDiffError: Bool
    var diffError: String

    init(_ page: RulesPage) {
        asOf = page.asOf.description
        regimes = page.regimes.map(Option.init)
        hasTiers = page.tiers != nil
        tierRegime = page.tiers?.regime ?? ""
        let rows = page.tiers?.rows ?? []
        tierRows = rows.map { TierRow(code: $0.code.description, name: $0.name, tier: String($0.tier), groups: $0.groups.joined(separator: " ")) }
        // Short tiers (Tier 1, Tier 3) are listed; a long one (Tier 2, most of the world) is folded.
        tierGroups = Set(rows.map(\.tier)).sorted().map { tier in
            let members = rows.filter { $0.tier == tier }
            return TierGroup(tier: String(tier), count: String(members.count),
                             members: members.map { "\($0.code) \($0.name)" }.joined(separator: ", "),
                             listed: members.count <= RulesContext.listedTierSize)
        }
        layers = page.layers.map { layer in
            LayerRow(id: layer.id, title: layer.title, effectiveFrom: layer.effectiveFrom.description,
                            complianceFrom: layer.complianceFrom?.description ?? TextFormat.absent,
                            enforcedUntil: layer.enforcedUntil?.description ?? TextFormat.absent,
                            supersededOn: layer.supersededOn?.description ?? TextFormat.absent,
                            citation: layer.citation, inForce: layer.isActive(on: page.asOf, asWritten: false))
        }
        diffA = page.diffA
        diffB = page.diffB
        hasDiff = page.diff != nil
        if let diff = page.diff {
            diffTitle = "\(diff.a.regime) on \(diff.a.day) → \(diff.b.regime) on \(diff.b.day): \(diff.changes.count) changes"
            changes = diff.changes.map {
                Change(kind: $0.kind, key: $0.key, before: $0.before ?? TextFormat.absent, after: $0.after ?? TextFormat.absent)
            }
        } else {
            diffTitle = ""
            changes = []
        }
        hasChanges = !changes.isEmpty
        hasDiffError = page.diffError != nil
        diffError = page.diffError ?? ""
    }
}

struct SimulatorContext {
    struct Lever {
        var id: String
        var title: String
        var inputID: String
        var checked: Bool
    }

    struct Chart {
        var title: String
        var svg: String
    }

    struct Cell {
        var text: String
    }

    struct TableRow {
        var cells: [Cell]
    }

    struct Line {
        var text: String
    }

    var action = DashboardRoutes.simulator
    var csrf: String
    var levers: [Lever]
    var draws: String
    var maxDraws: String
    var seed: String
    var hasError: Bool
    var error: String
    var hasResult: Bool
    var summary: String
    var charts: [Chart]
    var caption: String
    var header: [Cell]
    var rows: [TableRow]
    var notes: [Line]
    var hasNotes: Bool

    init(_ page: SimulatorPage, chrome: PageChrome) {
        csrf = chrome.csrfToken
        levers = page.levers.enumerated().map { index, lever in
            Lever(id: lever.id, title: lever.title, inputID: "lever-\(index)", checked: page.request.levers.contains(lever.id))
        }
        draws = String(page.request.draws)
        maxDraws = String(page.maxDraws)
        seed = String(page.request.seed)
        hasError = page.error != nil
        error = page.error ?? ""
        hasResult = page.result != nil
        summary = page.result?.summary ?? ""
        charts = page.result?.charts.map { Chart(title: $0.title, svg: $0.svg) } ?? []
        caption = page.result?.table.caption ?? ""
        header = page.result?.table.header.map(Cell.init) ?? []
        rows = page.result?.table.rows.map { TableRow(cells: $0.map(Cell.init)) } ?? []
        notes = page.result?.notes.map(Line.init) ?? []
        hasNotes = !notes.isEmpty
    }
}
