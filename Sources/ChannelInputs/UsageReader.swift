import ByteInterning
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
    /// Records per batch handed from the parser to the aggregating worker.
    static let batchCapacity = 4096

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
        // Parsing (this thread) and aggregation (a worker) run as a pipeline of record batches;
        // the worker applies batches in file order, so the result is the same as one thread's.
        var state = ParseState(reader: self, table: table)
        let pipeline = AggregationPipeline(batchCapacity: UsageReader.batchCapacity)
        var batch = pipeline.emptyBatch()
        do {
            while let record = try table.next() {
                try state.add(record, to: &batch)
                if batch.isFull {
                    pipeline.submit(batch)
                    batch = pipeline.emptyBatch()
                }
            }
        } catch {
            _ = pipeline.finish()
            throw error
        }
        pipeline.submit(batch)
        var usage = pipeline.finish()
        usage.resellers = state.resellers
        usage.clusters = state.clusters
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
    var resellers = ByteInterner(capacity: 64)
    var clusters = ByteInterner(capacity: 64)
    /// Catalog chip index by interned chip id.
    var catalogIndexByChip: [Int] = []
    /// Peak FLOP/s by chip index x 64 + precision bits, cached (0 = not yet computed).
    var peaks: [Double] = []
    var precisions = ByteInterner(capacity: 16)
    var precisionBitsByID: [Int] = []
    /// Validated headquarters by upper-case two-letter slot (26 x 26).
    var hqBySlot = [CountryCode?](repeating: nil, count: 26 * 26)

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

    /// A problem found while the record's bytes are borrowed: the column and the message.
    struct Problem: Error {
        var column: Int
        var message: String
    }

    /// Validates one record and adds it to `batch` (resellers and clusters are interned here). All fields are read through one unsafe view of
    /// the record (no `String`s, no per-field closures); any problem throws ``CSVInputError``.
    mutating func add(_ record: CSVRecord, to batch: inout UsageBatch) throws(CSVInputError) {
        var problem: Problem?
        record.withUnsafeFields { bytes, ends in
            do {
                try addFields(bytes, ends, line: record.line, to: &batch)
            } catch {
                problem = error as? Problem
            }
        }
        if let problem { throw fail(record, problem.column, problem.message) }
    }

    @inline(__always)
    private mutating func addFields(_ bytes: UnsafeBufferPointer<UInt8>, _ ends: UnsafeBufferPointer<Int>, line: Int,
                                    to batch: inout UsageBatch) throws {
        @inline(__always) func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            ByteFields.trimmed(UnsafeBufferPointer(rebasing: bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]]))
        }
        let accountBytes = field(account)
        if accountBytes.isEmpty { throw Problem(column: account, message: "is empty; an account is required") }
        let ownerBytes = field(owner)
        if ownerBytes.isEmpty { throw Problem(column: owner, message: "is empty; the beneficial owner is required") }
        let country = try headquarters(field(hq))
        let chipSlot = try chipIndex(field(chip))

        let utilizationBytes = field(utilization)
        if utilizationBytes.isEmpty { throw Problem(column: utilization, message: "is empty; a utilization in (0, 1] is required") }
        guard let u = ByteFields.number(utilizationBytes) else { throw Problem(column: utilization, message: "is not a number") }
        guard u > 0, u <= 1 else { throw Problem(column: utilization, message: "must be in (0, 1] (model FLOP utilization)") }

        let (gpuHours, chipsAtOnce) = try hoursOf(field)
        let bits = try precisionBits(precision.map(field))
        let peak = peakFLOPs(chipSlot, bits: bits)
        let peakMax = peakFLOPs(chipSlot, bits: reader.peakBits)
        var biological = false
        if let dataType {
            let b = field(dataType)
            if b.isEmpty || equalsLower(b, "general") {
                biological = false
            } else if equalsLower(b, "biological") {
                biological = true
            } else {
                throw Problem(column: dataType, message: "must be general or biological")
            }
        }
        let resellerID: Int32 = reseller.map { column in
            let b = field(column)
            return b.isEmpty ? -1 : resellers.intern(b)
        } ?? -1
        let clusterID: Int32 = cluster.map { column in
            let b = field(column)
            return b.isEmpty ? -1 : clusters.intern(b)
        } ?? -1
        let runBytes = run.map(field) ?? UnsafeBufferPointer(start: nil, count: 0)
        let seconds = gpuHours * 3600
        batch.append(owner: ownerBytes, account: accountBytes, run: runBytes, reseller: resellerID, cluster: clusterID,
                  UsageFigures(ownerHQ: country, gpuHours: gpuHours, operations: seconds * peak * u,
                               maxOperations: seconds * peakMax, biological: biological, chipCount: chipsAtOnce,
                               chipPeak: peakMax, line: line))
    }

    /// The owner's headquarters; each two-letter spelling is validated once and cached.
    mutating func headquarters(_ b: UnsafeBufferPointer<UInt8>) throws -> CountryCode {
        if b.count == 2, b[0] >= 65, b[0] <= 90, b[1] >= 65, b[1] <= 90, let cached = hqBySlot[Int(b[0] - 65) * 26 + Int(b[1] - 65)] {
            return cached
        }
        let text = String(decoding: b, as: UTF8.self)
        if let code = CountryCode(text), text == code.description, reader.registry.contains(code) {
            hqBySlot[Int(b[0] - 65) * 26 + Int(b[1] - 65)] = code
            return code
        }
        if text.isEmpty { throw Problem(column: hq, message: "is empty; the owner's headquarters country is required") }
        let hint = reader.registry.suggestion(for: text).map { " (did you mean \($0)?)" } ?? ""
        throw Problem(column: hq, message: "is not an ISO 3166-1 alpha-2 code\(hint)")
    }

    /// The catalog index of the record's chip (interned; looked up once per distinct spelling).
    mutating func chipIndex(_ b: UnsafeBufferPointer<UInt8>) throws -> Int {
        guard !b.isEmpty else { throw Problem(column: chip, message: "is empty; a chip name is required") }
        let id = chips.intern(b)
        if Int(id) < catalogIndexByChip.count, catalogIndexByChip[Int(id)] >= 0 { return catalogIndexByChip[Int(id)] }
        let name = chips.name(id)
        guard let index = reader.catalog.index(of: name) else {
            let suggestions = reader.catalog.suggestions(for: name)
            let hint = suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "\"\($0)\"" }.joined(separator: ", "))?)"
            throw Problem(column: chip, message: "is not in the chip catalog\(hint)")
        }
        guard reader.catalog.chips[index].tpp != nil else { throw Problem(column: chip, message: "has no TPP in the catalog, so its peak is unknown") }
        while catalogIndexByChip.count <= Int(id) { catalogIndexByChip.append(-1) }
        catalogIndexByChip[Int(id)] = index
        return index
    }

    /// GPU-hours of the record, and chips used at once (0 when given as GPU-hours).
    func hoursOf(_ field: (Int) -> UnsafeBufferPointer<UInt8>) throws -> (Double, Int32) {
        var given: Double?
        if let hours {
            let b = field(hours)
            if !b.isEmpty {
                guard let value = ByteFields.number(b) else { throw Problem(column: hours, message: "is not a number") }
                guard value >= 0 else { throw Problem(column: hours, message: "must not be negative (GPU-hours)") }
                given = value
            }
        }
        if let start, let end, let chipCount {
            let s = field(start), e = field(end), c = field(chipCount)
            if !(s.isEmpty && e.isEmpty && c.isEmpty) {
                if let hours, given != nil { throw Problem(column: hours, message: "is given together with start/end/chip_count; give one or the other") }
                if s.isEmpty { throw Problem(column: start, message: "is empty; start, end and chip_count go together") }
                if e.isEmpty { throw Problem(column: end, message: "is empty; start, end and chip_count go together") }
                if c.isEmpty { throw Problem(column: chipCount, message: "is empty; start, end and chip_count go together") }
                guard let t0 = ByteFields.timestamp(s) else { throw Problem(column: start, message: "is not a UTC time (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z])") }
                guard let t1 = ByteFields.timestamp(e) else { throw Problem(column: end, message: "is not a UTC time (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z])") }
                guard t1 >= t0 else { throw Problem(column: end, message: "is before start (negative hours)") }
                guard let count = ByteFields.number(c), count == count.rounded(), count >= 1, count <= 10_000_000 else {
                    throw Problem(column: chipCount, message: "must be a whole number of chips from 1 to 10000000")
                }
                return (Double(t1 - t0) / 3600 * count, Int32(count))
            }
        }
        guard let given else {
            throw Problem(column: hours ?? start!, message: "is empty; give gpu_hours or start, end and chip_count")
        }
        return (given, 0)
    }

    mutating func precisionBits(_ b: UnsafeBufferPointer<UInt8>?) throws -> Int {
        guard let b, !b.isEmpty else { return reader.precisionBits[reader.defaultPrecision] ?? 16 }
        let id = precisions.intern(b)
        if Int(id) < precisionBitsByID.count, precisionBitsByID[Int(id)] > 0 { return precisionBitsByID[Int(id)] }
        guard let bits = reader.precisionBits[precisions.name(id).lowercased()] else {
            throw Problem(column: precision!, message: "must be one of \(reader.precisionBits.keys.sorted().joined(separator: ", "))")
        }
        while precisionBitsByID.count <= Int(id) { precisionBitsByID.append(0) }
        precisionBitsByID[Int(id)] = bits
        return bits
    }

    mutating func peakFLOPs(_ chip: Int, bits: Int) -> Double {
        let key = chip * 64 + min(bits, 63)
        if key < peaks.count, peaks[key] > 0 { return peaks[key] }
        if peaks.count <= key { peaks += [Double](repeating: 0, count: key + 1 - peaks.count) }
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
