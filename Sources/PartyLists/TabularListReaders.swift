import DiffusionRules
import PartyScreening
import TabularIO

/// The CSV and TSV list formats: the Consolidated Screening List CSV export, BIS's Denied Persons
/// List TSV, and a user's own list. Every bad cell is a ``CSVInputError`` naming file, line,
/// column and value.
enum TabularListReaders {
    /// Consolidated Screening List CSV (`_id` optional; columns as in the trade.gov export).
    static let cslColumns = [
        "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses", "federal_register_notice",
        "start_date", "end_date", "standard_order", "license_requirement", "license_policy", "call_sign", "vessel_type",
        "gross_tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names",
        "citizenships", "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids",
    ]
    /// BIS Denied Persons List (tab-separated, quoted).
    static let dplColumns = [
        "Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date", "Expiration_Date",
        "Standard_Order", "Last_Update", "Action", "FR_Citation",
    ]
    /// A user's own list.
    static let userColumns = [
        "name", "aliases", "country", "address", "list", "license_requirement", "license_policy", "federal_register_notice",
        "start_date", "end_date",
    ]

    static func csl(_ reader: CSVRecordReader, catalog: ListCatalog, registry: CountryRegistry) throws(CSVInputError) -> [ListEntry] {
        let table = try CSVTable(reader: reader, required: ["source", "name"], optional: cslColumns.filter { $0 != "source" && $0 != "name" },
                                 allowOtherColumns: true)
        let stem = ListFields.stem(reader.displayName)
        var entries: [ListEntry] = []
        try forEachEntry(table, nameColumn: "name") { (record, row, cell, name) throws(CSVInputError) in
            let source = cell("source")
            let code = catalog.code(forCSLSource: source) ?? "other"
            let addresses = ListFields.split(cell("addresses"))
            let start = try day(ListFields.isoDay(cell("start_date")), record, table, "start_date")
            let end = try day(ListFields.isoDay(cell("end_date")), record, table, "end_date")
            let ownID = [cell("_id"), cell("entity_number")].first { !$0.isEmpty }
            entries.append(ListEntry(
                id: ownID ?? "\(stem)#\(row)", list: code, listName: source.isEmpty ? catalog.name(of: code) : source, name: name,
                aliases: ListFields.split(cell("alt_names")),
                countries: ListFields.countries(addresses: addresses,
                                                others: ListFields.split(cell("nationalities")) + ListFields.split(cell("citizenships")),
                                                registry: registry),
                addresses: addresses, identifiers: ListFields.identifiers(cell("ids"), catalog: catalog),
                programs: ListFields.split(cell("programs")),
                federalRegisterNotice: nonEmpty(cell("federal_register_notice")),
                licenseRequirement: nonEmpty(cell("license_requirement")), licensePolicy: nonEmpty(cell("license_policy")),
                startDate: start, endDate: end, file: reader.displayName, row: row))
        }
        return entries
    }

    static func dpl(_ reader: CSVRecordReader, registry: CountryRegistry, catalog: ListCatalog) throws(CSVInputError) -> [ListEntry] {
        let table = try CSVTable(reader: reader, required: ["Name", "Effective_Date"], optional: dplColumns.filter { $0 != "Name" && $0 != "Effective_Date" },
                                 allowOtherColumns: true)
        let stem = ListFields.stem(reader.displayName)
        var entries: [ListEntry] = []
        try forEachEntry(table, nameColumn: "Name") { (record, row, cell, name) throws(CSVInputError) in
            // BIS's own file writes a few countries otherwise (`PRC` twice in 2022): a code the registry
            // does not know stays in the address only.
            var country = cell("Country")
            if !country.isEmpty, !(CountryCode(country).map { registry.contains($0) && $0.description == country } ?? false) {
                country = registry.suggestion(for: country)?.description ?? ""
            }
            let address = ["Street_Address", "City", "State", "Postal_Code", "Country"].map { cell($0) }.filter { !$0.isEmpty }
                .joined(separator: ", ")
            entries.append(ListEntry(
                id: "\(stem)#\(row)", list: "dpl", listName: catalog.name(of: "dpl"), name: name,
                countries: country.isEmpty ? [] : [country], addresses: address.isEmpty ? [] : [address],
                federalRegisterNotice: nonEmpty(cell("FR_Citation")),
                startDate: try day(ListFields.usDay(cell("Effective_Date")), record, table, "Effective_Date"),
                endDate: try day(ListFields.usDay(cell("Expiration_Date")), record, table, "Expiration_Date"),
                file: reader.displayName, row: row))
        }
        return entries
    }

    static func user(_ reader: CSVRecordReader, catalog: ListCatalog, registry: CountryRegistry) throws(CSVInputError) -> [ListEntry] {
        let table = try CSVTable(reader: reader, required: ["name", "list"], optional: userColumns.filter { $0 != "name" && $0 != "list" })
        let stem = ListFields.stem(reader.displayName)
        var entries: [ListEntry] = []
        try forEachEntry(table, nameColumn: "name") { (record, row, cell, name) throws(CSVInputError) in
            let listText = cell("list")
            guard let code = catalog.code(forUserText: listText) else {
                throw table.error(record, column: table.column("list")!,
                                  message: "is not a known list (codes: \(catalog.lists.map(\.code).joined(separator: ", ")))")
            }
            var countries: [String] = []
            for country in ListFields.split(cell("country")) {
                guard let code = CountryCode(country), code.description == country, registry.contains(code) else {
                    throw table.error(record, column: table.column("country")!, message: "is not an ISO 3166-1 alpha-2 code (or several separated by ;)")
                }
                countries.append(country)
            }
            let addresses = ListFields.split(cell("address"))
            for address in addresses { if let c = ListFields.country(ofAddress: address, registry: registry), !countries.contains(c) { countries.append(c) } }
            let start = try day(ListFields.isoDay(cell("start_date")), record, table, "start_date")
            let end = try day(ListFields.isoDay(cell("end_date")), record, table, "end_date")
            if let start, let end, end < start {
                throw table.error(record, column: table.column("end_date")!, message: "is before start_date \(start)")
            }
            entries.append(ListEntry(
                id: "\(stem)#\(row)", list: code, listName: catalog.name(of: code), name: name,
                aliases: ListFields.split(cell("aliases")), countries: countries, addresses: addresses,
                federalRegisterNotice: nonEmpty(cell("federal_register_notice")),
                licenseRequirement: nonEmpty(cell("license_requirement")), licensePolicy: nonEmpty(cell("license_policy")),
                startDate: start, endDate: end, file: reader.displayName, row: row))
        }
        return entries
    }

    /// Calls `body` with each record, its data row number, a cell reader and the (non-empty) name.
    private static func forEachEntry(_ table: CSVTable, nameColumn: String,
                                     _ body: (CSVRecord, Int, (String) -> String, String) throws(CSVInputError) -> Void) throws(CSVInputError) {
        var row = 0
        while let record = try table.next() {
            row += 1
            let cell = { (name: String) in table.column(name).map { record.string(at: $0).trimmingASCIIWhitespace() } ?? "" }
            let name = cell(nameColumn)
            if name.isEmpty { throw table.error(record, column: table.column(nameColumn)!, message: "is empty; every entry needs a name") }
            try body(record, row, cell, name)
        }
    }

    private static func day(_ parsed: Result<Day?, FieldProblem>, _ record: CSVRecord, _ table: CSVTable, _ column: String) throws(CSVInputError) -> Day? {
        switch parsed {
        case let .success(day): return day
        case let .failure(problem): throw table.error(record, column: table.column(column)!, message: problem.message)
        }
    }

    private static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }
}
