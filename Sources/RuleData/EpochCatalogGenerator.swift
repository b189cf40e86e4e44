import TabularIO

/// Turns Epoch AI's "Data on Machine Learning Hardware" CSV (CC BY 4.0) into the slim catalog file
/// the tool bundles (`chips/epoch-catalog.csv`). Run it again when Epoch publishes new data:
///
/// ```
/// ai-diffusion catalog refresh --epoch data/epoch/ml_hardware/ml_hardware.csv
/// ```
///
/// Conversions: `Total processing performance (bit-OP/s)` ÷ 10^12 = TPP (the EAR's TPP; Epoch's
/// column is TPP × 10^12, e.g. H100 SXM5 1.5832e16 → 15,832); bandwidths ÷ 10^9 = GB/s; die size as
/// given in mm². Rows without a name are skipped; rows without TPP are kept (their TPP is unknown).
public enum EpochCatalogGenerator {
    /// Columns of the generated file, in order.
    public static let columns = [
        "name", "manufacturer", "type", "release_date", "tpp", "die_area_mm2", "dram_bandwidth_gbps",
        "interconnect_gbps",
    ]

    /// Reads Epoch's CSV and returns the catalog CSV text. Throws `CSVInputError` for a file that is
    /// not Epoch's format.
    public static func generate(epochCSV path: String) throws -> String {
        let table = try CSVTable(reader: CSVRecordReader(path: path),
                                 required: ["Hardware name", "Manufacturer", "Type", "Release date",
                                            "Total processing performance (bit-OP/s)", "Die Size (mm^2)",
                                            "Memory bandwidth (byte/s)", "Intranode bandwidth (byte/s)"],
                                 allowOtherColumns: true)
        let name = table.column("Hardware name")!, maker = table.column("Manufacturer")!
        let type = table.column("Type")!, release = table.column("Release date")!
        let tpp = table.column("Total processing performance (bit-OP/s)")!, die = table.column("Die Size (mm^2)")!
        let memory = table.column("Memory bandwidth (byte/s)")!, intranode = table.column("Intranode bandwidth (byte/s)")!
        var lines = [columns.joined(separator: ",")]
        while let record = try table.next() {
            let chip = record.string(at: name).trimmingASCIIWhitespace()
            guard !chip.isEmpty else { continue }
            func scaled(_ column: Int, _ divisor: Double) throws -> String {
                let text = record.string(at: column).trimmingASCIIWhitespace()
                guard !text.isEmpty else { return "" }
                guard let value = Double(text) else { throw table.error(record, column: column, message: "is not a number") }
                return format(value / divisor)
            }
            let fields = [
                chip, record.string(at: maker), record.string(at: type), record.string(at: release),
                try scaled(tpp, 1e12), try scaled(die, 1), try scaled(memory, 1e9), try scaled(intranode, 1e9),
            ]
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// At most three decimals, no exponent, no trailing zeros.
    static func format(_ value: Double) -> String {
        let milli = (value * 1000).rounded()
        let whole = Int64(milli / 1000)
        let fraction = Int64(abs(milli.truncatingRemainder(dividingBy: 1000)))
        if fraction == 0 { return String(whole) }
        var digits = String(fraction)
        while digits.count < 3 { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

}
