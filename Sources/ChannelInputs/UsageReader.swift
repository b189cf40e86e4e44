import CloudMonitoring
import ComputeMetrics
import DiffusionRules
import ModelWeights
import TabularIO

/// Reads an IaaS usage CSV and aggregates it per beneficial owner and training run in one
/// streaming pass (no per-record `String`s: owners, accounts and chips are interned from bytes).
///
/// Columns (header required, any order, unknown columns rejected):
///
/// | column | required | meaning |
/// |---|---|---|
/// | `account` | yes | the provider's account id |
/// | `beneficial_owner` | yes | who ultimately benefits (the aggregation key) |
/// | `owner_hq` | yes | ISO alpha-2 of the owner's (ultimate parent's) headquarters |
/// | `chip` | yes | catalog name or alias (H100, H800, MI300X, ...) |
/// | `utilization` | yes | model FLOP utilization, 0 < u <= 1 |
/// | `gpu_hours` | one of | accelerator-hours of the record |
/// | `start`, `end`, `chip_count` | one of | UTC times (`2025-03-01T08:00Z`) and chips used at once |
/// | `reseller`, `cluster`, `run` | no | reseller, cluster name, training-run label |
/// | `data_type` | no | `general` (default) or `biological` |
/// | `precision` | no | `bf16` (default), `fp8`, `fp16`, `int8`, `fp4`, `tf32` |
///
/// Operations per record = GPU-hours × 3600 × peak FLOP/s at the precision (TPP × 10^12 / bits) ×
/// utilization. Any bad cell throws ``CSVInputError`` naming file, line, column and value; the
/// caller then records and prints nothing.
public struct UsageReader {
    public static let requiredColumns = ["account", "beneficial_owner", "owner_hq", "chip", "utilization"]
    public static let optionalColumns = ["gpu_hours", "start", "end", "chip_count", "reseller", "cluster", "run", "data_type", "precision"]

    let catalog: ChipCatalog
    let registry: CountryRegistry
    let precisionBits: [String: Int]
    let defaultPrecision: String
    /// Bit length of a chip's theoretical maximum (cluster criteria: 8).
    let peakBits: Int

    public init(catalog: ChipCatalog, registry: CountryRegistry, methodology: EstimationMethodology, peakBits: Int) {
        self.catalog = catalog
        self.registry = registry
        self.precisionBits = methodology.gpuHours.precisionBits
        self.defaultPrecision = methodology.gpuHours.defaultPrecision.lowercased()
        self.peakBits = peakBits
    }

    /// Reads and aggregates a whole file.
    public func read(path: String, displayName: String? = nil) throws(CSVInputError) -> UsageAggregator {
        try read(reader: CSVRecordReader(path: path, displayName: displayName))
    }

    /// Reads from an open reader (tests use in-memory bytes).
    public func read(reader: CSVRecordReader) throws(CSVInputError) -> UsageAggregator {
        let table = try CSVTable(reader: reader, required: UsageReader.requiredColumns, optional: UsageReader.optionalColumns)
        let hasHours = table.column("gpu_hours") != nil
        let hasSpan = table.column("start") != nil || table.column("end") != nil || table.column("chip_count") != nil
        if hasSpan, table.column("start") == nil || table.column("end") == nil || table.column("chip_count") == nil {
            throw CSVInputError(file: reader.displayName, line: 1, column: ["start", "end", "chip_count"].first { table.column($0) == nil },
                                message: "start, end and chip_count go together; the header has only some of them")
        }
        if !hasHours && !hasSpan {
            throw CSVInputError(file: reader.displayName, line: 1, column: "gpu_hours",
                                message: "the header needs gpu_hours, or start, end and chip_count")
        }
        var state = ParseState(reader: self, table: table)
        var usage = UsageAggregator()
        while let record = try table.next() {
            usage.add(try state.parse(record, into: &usage))
        }
        if usage.records == 0 {
            throw CSVInputError(file: reader.displayName, line: 2, message: "has a header but no usage records")
        }
        return usage
    }
}

/// Column indices and caches for one file.
struct ParseState {
    let reader: UsageReader
    let table: CSVTable
    let account, owner, hq, chip, utilization: Int
    let hours, start, end, chipCount, reseller, cluster, run, dataType, precision: Int?
    var chips = ByteInterner(capacity: 64)
    /// Catalog chip index by interned chip id.
    var chipIndex: [Int] = []
    /// Peak FLOP/s by (chip index, precision bits), cached.
    var peaks: [Int: Double] = [:]
    var precisions = ByteInterner(capacity: 16)
    var precisionBitsByID: [Int] = []
    var lastHQBytes: (UInt8, UInt8) = (0, 0)
    var lastHQ: CountryCode?

    init(reader: UsageReader, table: CSVTable) {
        self.reader = reader
        self.table = table
        account = table.column("account")!
        owner = table.column("beneficial_owner")!
        hq = table.column("owner_hq")!
        chip = table.column("chip")!
        utilization = table.column("utilization")!
        hours = table.column("gpu_hours")
        start = table.column("start")
        end = table.column("end")
        chipCount = table.column("chip_count")
        reseller = table.column("reseller")
        cluster = table.column("cluster")
        run = table.column("run")
        dataType = table.column("data_type")
        precision = table.column("precision")
    }

    func fail(_ record: CSVRecord, _ column: Int, _ message: String) -> CSVInputError {
        CSVInputError(file: table.reader.displayName, line: record.line, column: table.header[column],
                      value: record.string(at: column).trimmingASCIIWhitespace(), message: message)
    }

    /// Interns a required, non-empty field.
    func required(_ record: CSVRecord, _ column: Int, _ interner: inout ByteInterner, what: String) throws(CSVInputError) -> Int32 {
        let id: Int32? = record.withBytes(at: column) { raw in
            let bytes = ByteFields.trimmed(raw)
            return bytes.isEmpty ? nil : interner.intern(bytes)
        }
        guard let id else { throw fail(record, column, "is empty; \(what) is required") }
        return id
    }

    func optional(_ record: CSVRecord, _ column: Int?, _ interner: inout ByteInterner) -> Int32 {
        guard let column else { return -1 }
        return record.withBytes(at: column) { raw in
            let bytes = ByteFields.trimmed(raw)
            return bytes.isEmpty ? -1 : interner.intern(bytes)
        }
    }

    func number(_ record: CSVRecord, _ column: Int) -> Double?? {
        record.withBytes(at: column) { raw in
            let bytes = ByteFields.trimmed(raw)
            if bytes.isEmpty { return .some(nil) }
            guard let value = ByteFields.number(bytes) else { return nil }
            return .some(value)
        }
    }

    mutating func parse(_ record: CSVRecord, into usage: inout UsageAggregator) throws(CSVInputError) -> UsageEntry {
        let accountID = try required(record, account, &usage.accounts, what: "an account")
        let ownerID = try required(record, owner, &usage.owners, what: "the beneficial owner")
        let country = try headquarters(record)
        let chipSlot = try chipSpec(record)

        guard let utilizationValue = number(record, utilization) else { throw fail(record, utilization, "is not a number") }
        guard let u = utilizationValue else { throw fail(record, utilization, "is empty; a utilization in (0, 1] is required") }
        guard u > 0, u <= 1 else { throw fail(record, utilization, "must be in (0, 1] (model FLOP utilization)") }

        let (gpuHours, chipsAtOnce) = try hoursOf(record)
        let bits = try precisionBits(record)
        let peak = peakFLOPs(chipSlot, bits: bits)
        let peakMax = peakFLOPs(chipSlot, bits: reader.peakBits)
        var biological = false
        if let dataType {
            let kind: Int = record.withBytes(at: dataType) { raw in
                let b = ByteFields.trimmed(raw)
                if b.isEmpty || equalsLower(b, "general") { return 0 }
                if equalsLower(b, "biological") { return 1 }
                return -1
            }
            if kind < 0 { throw fail(record, dataType, "must be general or biological") }
            biological = kind == 1
        }
        let seconds = gpuHours * 3600
        return UsageEntry(owner: ownerID, ownerHQ: country, account: accountID,
                          reseller: optional(record, reseller, &usage.resellers),
                          cluster: optional(record, cluster, &usage.clusters),
                          run: optional(record, run, &usage.runNames),
                          gpuHours: gpuHours, operations: seconds * peak * u, maxOperations: seconds * peakMax,
                          biological: biological, chipCount: chipsAtOnce, chipPeak8: peakMax, line: record.line)
    }

    mutating func headquarters(_ record: CSVRecord) throws(CSVInputError) -> CountryCode {
        let key: (UInt8, UInt8)? = record.withBytes(at: hq) { raw in
            let b = ByteFields.trimmed(raw)
            return b.count == 2 ? (b[0], b[1]) : nil
        }
        if let key, let last = lastHQ, key == lastHQBytes { return last }
        let text = record.string(at: hq).trimmingASCIIWhitespace()
        if let code = CountryCode(text), text == code.description, reader.registry.contains(code) {
            lastHQ = code
            lastHQBytes = key ?? (0, 0)
            return code
        }
        if text.isEmpty { throw fail(record, hq, "is empty; the owner's headquarters country is required") }
        let hint = reader.registry.suggestion(for: text).map { " (did you mean \($0)?)" } ?? ""
        throw fail(record, hq, "is not an ISO 3166-1 alpha-2 code\(hint)")
    }

    /// The catalog index of the record's chip (interned; looked up once per distinct spelling).
    mutating func chipSpec(_ record: CSVRecord) throws(CSVInputError) -> Int {
        let id: Int32 = record.withBytes(at: chip) { raw in
            let b = ByteFields.trimmed(raw)
            return b.isEmpty ? -1 : chips.intern(b)
        }
        guard id >= 0 else { throw fail(record, chip, "is empty; a chip name is required") }
        if Int(id) < chipIndex.count {
            let index = chipIndex[Int(id)]
            if index >= 0 { return index }
        }
        let name = chips.name(id)
        guard let index = reader.catalog.index(of: name) else {
            let suggestions = reader.catalog.suggestions(for: name)
            let hint = suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "\"\($0)\"" }.joined(separator: ", "))?)"
            throw fail(record, chip, "is not in the chip catalog\(hint)")
        }
        guard reader.catalog.chips[index].tpp != nil else { throw fail(record, chip, "has no TPP in the catalog, so its peak is unknown") }
        while chipIndex.count <= Int(id) { chipIndex.append(-1) }
        chipIndex[Int(id)] = index
        return index
    }

    /// GPU-hours of the record, and chips used at once (0 when given as GPU-hours).
    func hoursOf(_ record: CSVRecord) throws(CSVInputError) -> (Double, Int32) {
        var given: Double?
        if let hours {
            guard let value = number(record, hours) else { throw fail(record, hours, "is not a number") }
            if let value {
                guard value >= 0 else { throw fail(record, hours, "must not be negative (GPU-hours)") }
                given = value
            }
        }
        if let start, let end, let chipCount {
            let startEmpty = record.isEmpty(at: start), endEmpty = record.isEmpty(at: end), countEmpty = record.isEmpty(at: chipCount)
            if !(startEmpty && endEmpty && countEmpty) {
                if let hours, given != nil { throw fail(record, hours, "is given together with start/end/chip_count; give one or the other") }
                if startEmpty { throw fail(record, start, "is empty; start, end and chip_count go together") }
                if endEmpty { throw fail(record, end, "is empty; start, end and chip_count go together") }
                if countEmpty { throw fail(record, chipCount, "is empty; start, end and chip_count go together") }
                let t0 = record.withBytes(at: start) { ByteFields.timestamp(ByteFields.trimmed($0)) }
                guard let t0 else { throw fail(record, start, "is not a UTC time (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z])") }
                let t1 = record.withBytes(at: end) { ByteFields.timestamp(ByteFields.trimmed($0)) }
                guard let t1 else { throw fail(record, end, "is not a UTC time (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z])") }
                guard t1 >= t0 else { throw fail(record, end, "is before start (negative hours)") }
                guard let countValue = number(record, chipCount), let count = countValue, count == count.rounded(), count >= 1, count <= 10_000_000 else {
                    throw fail(record, chipCount, "must be a whole number of chips from 1 to 10000000")
                }
                return (Double(t1 - t0) / 3600 * count, Int32(count))
            }
        }
        guard let given else {
            throw fail(record, hours ?? start!, "is empty; give gpu_hours or start, end and chip_count")
        }
        return (given, 0)
    }

    mutating func precisionBits(_ record: CSVRecord) throws(CSVInputError) -> Int {
        guard let precision else { return reader.precisionBits[reader.defaultPrecision] ?? 16 }
        let id: Int32 = record.withBytes(at: precision) { raw in
            let b = ByteFields.trimmed(raw)
            return b.isEmpty ? -1 : precisions.intern(b)
        }
        guard id >= 0 else { return reader.precisionBits[reader.defaultPrecision] ?? 16 }
        if Int(id) < precisionBitsByID.count, precisionBitsByID[Int(id)] > 0 { return precisionBitsByID[Int(id)] }
        guard let bits = reader.precisionBits[precisions.name(id).lowercased()] else {
            throw fail(record, precision, "must be one of \(reader.precisionBits.keys.sorted().joined(separator: ", "))")
        }
        while precisionBitsByID.count <= Int(id) { precisionBitsByID.append(0) }
        precisionBitsByID[Int(id)] = bits
        return bits
    }

    mutating func peakFLOPs(_ chip: Int, bits: Int) -> Double {
        let key = chip << 8 | bits
        if let cached = peaks[key] { return cached }
        let peak = (reader.catalog.chips[chip].tpp?.value ?? 0) * 1e12 / Double(bits)
        peaks[key] = peak
        return peak
    }
}

@inline(__always)
func equalsLower(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
    guard bytes.count == word.utf8CodeUnitCount else { return false }
    let w = word.utf8Start
    for i in 0..<bytes.count {
        var b = bytes[i]
        if b >= 65, b <= 90 { b += 32 }
        if b != w[i] { return false }
    }
    return true
}
