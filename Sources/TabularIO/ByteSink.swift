#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where output bytes go: standard output (buffered, written in 64 KiB blocks) or memory (tests).
public final class ByteSink {
    private var buffer: [UInt8] = []
    private let file: UnsafeMutablePointer<FILE>?
    /// Everything written, when the sink is in memory.
    public private(set) var captured: [UInt8] = []

    /// A sink writing to standard output.
    public static func standardOutput() -> ByteSink { ByteSink(file: fdopen(1, "w")) }

    /// A sink that keeps the bytes (read them with ``text``).
    public static func memory() -> ByteSink { ByteSink(file: nil) }

    private init(file: UnsafeMutablePointer<FILE>?) {
        self.file = file
        buffer.reserveCapacity(1 << 17)
    }

    deinit { flush() }

    @inline(__always) public func write(_ byte: UInt8) {
        buffer.append(byte)
    }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= 1 << 16 { flush() }
    }

    public func write(bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// Appends a whole record's bytes and flushes when 64 KiB have accumulated.
    public func write(bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    /// Appends bytes and flushes when 64 KiB have accumulated; a block of 64 KiB or more goes
    /// straight to the file (no copy through the buffer), or, in a memory sink, straight to ``captured``.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count >= 1 << 16 {
            flush()
            if let file {
                _ = fwrite(bytes.baseAddress, 1, bytes.count, file)
            } else {
                captured.append(contentsOf: bytes)
            }
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes buffered bytes out (call after each record; cheap until 64 KiB accumulate).
    public func endRecord() {
        if buffer.count >= 1 << 16 { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        if let file {
            buffer.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, file) }
            fflush(file)
        } else {
            captured.append(contentsOf: buffer)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// The captured output as text (memory sinks).
    public var text: String {
        flush()
        return String(decoding: captured, as: UTF8.self)
    }
}
