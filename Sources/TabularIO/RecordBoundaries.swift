#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts a CSV file into runs of whole records without parsing fields, so that several threads can
/// parse the runs at once: the quoting state machine of ``CSVRecordReader`` (quoted fields may span
/// lines; `\r`, `\n` and `\r\n` end records; empty lines are skipped), with nothing else.
///
/// Each run carries what a ``CSVRecordReader`` needs to read it alone and report the same lines:
/// its byte range, the physical line where it starts and whether a `\r` ended the record before it
/// (``CSVRecordReader/init(bytes:displayName:firstLine:afterCarriageReturn:)``). A malformed record
/// (a byte after a closing quote, a NUL) is cut as the reader would go on; the reader of the run
/// that holds it reports the error.
///
/// ```swift
/// var scanner = RecordBoundaries(descriptor: fd, start: headerEnd, line: 2, afterCarriageReturn: false, recordsPerRun: 2048)
/// while let run = scanner.next() { ... run.bytes, run.firstLine, run.records ... }
/// ```
public struct RecordBoundaries {
    /// A run of whole records and the reader state at its start.
    public struct Run: Sendable {
        public var start: Int, end: Int
        public var firstLine: Int
        public var afterCarriageReturn: Bool
        public var records: Int
        /// The run's bytes.
        public var bytes: [UInt8]
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private let descriptor: Int32
    private let recordsPerRun: Int
    private let blockSize: Int
    /// File offset of `block[0]`, and the bytes read but not yet cut into runs.
    private var blockStart: Int
    private var block: [UInt8] = []
    private var scanned = 0
    private var atEnd = false
    // Scanner state at `scanned`.
    private var state = State.fieldStart
    private var sawAny = false
    private var line: Int
    private var pending: Bool
    // The run being cut.
    private var runStart: Int
    private var runLine: Int
    private var runAfterCR: Bool
    private var runRecords = 0

    public init(descriptor: Int32, start: Int, line: Int, afterCarriageReturn: Bool, recordsPerRun: Int, blockSize: Int = 1 << 22) {
        self.descriptor = descriptor
        self.recordsPerRun = max(1, recordsPerRun)
        self.blockSize = blockSize
        self.blockStart = start
        self.line = line
        self.pending = afterCarriageReturn
        self.runStart = 0
        self.runLine = line
        self.runAfterCR = afterCarriageReturn
    }

    /// Reads more of the file; false at its end.
    private mutating func refill() -> Bool {
        guard !atEnd else { return false }
        // Drop what earlier runs took.
        if runStart > 0 {
            block.removeFirst(runStart)
            blockStart += runStart
            scanned -= runStart
            runStart = 0
        }
        let old = block.count
        block.append(contentsOf: repeatElement(0, count: blockSize))
        let read = block.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + old, blockSize, off_t(blockStart + old)) }
        block.removeLast(blockSize - max(read, 0))
        if read <= 0 { atEnd = true }
        return read > 0
    }

    private mutating func cut(end: Int) -> Run {
        let run = Run(start: blockStart + runStart, end: blockStart + end, firstLine: runLine, afterCarriageReturn: runAfterCR,
                      records: runRecords, bytes: Array(block[runStart..<end]))
        runStart = end
        runLine = line
        runAfterCR = pending
        runRecords = 0
        return run
    }

    /// The next run of up to `recordsPerRun` records; nil at the end of the file.
    public mutating func next() -> Run? {
        while true {
            if scanned == block.count && !refill() {
                // End of file: a last record without a line end counts; a run of empty lines is no run.
                if sawAny {
                    runRecords += 1
                    sawAny = false
                    state = .fieldStart
                }
                if runRecords > 0 { return cut(end: block.count) }
                return nil
            }
            let count = block.count
            var position = scanned
            var state = self.state, sawAny = self.sawAny, line = self.line, pending = self.pending
            var records = runRecords
            var cutAt = -1
            block.withUnsafeBufferPointer { bytes in
                while position < count {
                    let byte = bytes[position]
                    position += 1
                    if pending {
                        pending = false
                        if byte == 0x0A { continue }
                    }
                    switch state {
                    case .fieldStart, .unquoted:
                        switch byte {
                        case 0x2C:
                            state = .fieldStart
                            sawAny = true
                        case 0x0A, 0x0D:
                            if byte == 0x0D { pending = true }
                            line += 1
                            if !sawAny { continue }
                            records += 1
                            sawAny = false
                            state = .fieldStart
                            if records == recordsPerRun {
                                cutAt = position
                                return
                            }
                        case 0x22 where state == .fieldStart:
                            state = .quoted
                            sawAny = true
                        default:
                            state = .unquoted
                            sawAny = true
                        }
                    case .quoted:
                        if byte == 0x22 { state = .quoteInQuoted } else if byte == 0x0A { line += 1 }
                    case .quoteInQuoted:
                        switch byte {
                        case 0x22: state = .quoted
                        case 0x2C: state = .fieldStart
                        case 0x0A, 0x0D:
                            if byte == 0x0D { pending = true }
                            line += 1
                            records += 1
                            sawAny = false
                            state = .fieldStart
                            if records == recordsPerRun {
                                cutAt = position
                                return
                            }
                        default:
                            state = .unquoted // malformed: the run's reader reports it
                        }
                    }
                }
            }
            scanned = position
            (self.state, self.sawAny, self.line, self.pending) = (state, sawAny, line, pending)
            runRecords = records
            if cutAt >= 0 { return cut(end: cutAt) }
        }
    }
}
