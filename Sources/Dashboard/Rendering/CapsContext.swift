import ComputeMetrics

/// The caps page: four charts, each with its figures in a table.
struct CapsContext {
    struct Row {
        var label: String
        var cap: String
        var used: String
        var reserved: String
        var limit: String
        var remaining: String
        var share: String
    }

    struct Section {
        var id: String
        var title: String
        var explanation: String
        var svg: String
        var rows: [Row]
        var hasRows: Bool
        var emptyText: String
        var unit: String
    }

    struct LicenceRow {
        var number: String
        var issued: String
        var expires: String
        var unit: String
        var limit: String
        var used: String
        var reserved: String
        var remaining: String
        var status: String
    }

    var asOf: String
    var sections: [Section]
    var licenceSVG: String
    var licences: [LicenceRow]
    var hasLicences: Bool

    init(_ page: CapsPage) {
        asOf = page.asOf
        sections = [
            CapsContext.section(id: "allocations", title: "Country allocations",
                                explanation: "Tier 2 country allocations (country_allocation/CC): TPP confirmed and reserved against each country's limit.",
                                bars: page.countryAllocations, empty: "No country allocation has been debited."),
            CapsContext.section(id: "lpp", title: "LPP per ultimate parent",
                                explanation: "Low Processing Performance exception (lpp/parent/year): TPP per ultimate parent and calendar year.",
                                bars: page.lpp, empty: "No LPP shipment has been recorded."),
            CapsContext.section(id: "veu", title: "VEU installed bases",
                                explanation: "Installed bases of Data Center VEU holders per country, against the NVEU limit where one applies (UVEU limits are shares, checked per shipment).",
                                bars: page.veuInstalledBases, empty: "No VEU installed base has been recorded."),
        ]
        licences = page.licences.map { licence in
            LicenceRow(number: licence.number, issued: licence.issued.description, expires: licence.expires.description,
                       unit: licence.limit.unit, limit: licence.limit.text, used: licence.used.text, reserved: licence.reserved.text,
                       remaining: licence.remaining.text, status: licence.expired ? "expired" : "valid")
        }
        hasLicences = !page.licences.isEmpty
        licenceSVG = page.licences.isEmpty ? "" : BarChart(title: "Licences: used, reserved and remaining quantity", rows: page.licences.map { licence in
            let share = TextFormat.percent(licence.used.magnitude + licence.reserved.magnitude, of: licence.limit.magnitude).map { ", \($0) taken" } ?? ""
            return BarChart.Row(label: licence.number + (licence.expired ? " (expired)" : ""), used: licence.used.magnitude,
                                reserved: licence.reserved.magnitude, limit: licence.limit.magnitude,
                                value: "\(licence.remaining.text) of \(licence.limit.text) \(licence.limit.unit) remaining\(share)",
                                detail: "licence \(licence.number): used \(licence.used.text), reserved \(licence.reserved.text), remaining \(licence.remaining.text) of \(licence.limit.text) \(licence.limit.unit); expires \(licence.expires)")
        }).svg(id: "chart-licences")
    }

    static func section(id: String, title: String, explanation: String, bars: [CapBar], empty: String) -> Section {
        let rows = bars.map { bar in
            Row(label: bar.label, cap: bar.cap, used: bar.used.description, reserved: bar.reserved.description,
                limit: TextFormat.tpp(bar.limit), remaining: TextFormat.tpp(bar.remaining), share: share(bar) ?? TextFormat.absent)
        }
        let chart = BarChart(title: title, rows: bars.map { bar in
            let taken = bar.used + bar.reserved
            let value = bar.limit.map { "\(taken) of \($0) TPP" + (share(bar).map { " (\($0) taken)" } ?? "") } ?? "\(taken) TPP"
            return BarChart.Row(label: bar.label, used: bar.used.value, reserved: bar.reserved.value, limit: bar.limit?.value,
                                value: value,
                                detail: "\(bar.cap): confirmed \(bar.used), reserved \(bar.reserved), limit \(TextFormat.tpp(bar.limit)) TPP")
        })
        return Section(id: id, title: title, explanation: explanation, svg: bars.isEmpty ? "" : chart.svg(id: "chart-\(id)"),
                       rows: rows, hasRows: !rows.isEmpty, emptyText: empty, unit: "TPP")
    }

    /// (confirmed + reserved) / limit, one decimal.
    static func share(_ bar: CapBar) -> String? {
        bar.limit.flatMap { TextFormat.percent((bar.used + bar.reserved).value, of: $0.value) }
    }
}
