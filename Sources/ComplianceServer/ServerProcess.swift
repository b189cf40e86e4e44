import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server in a child process (`ai-diffusion serve`, or `bench hello-server`), for benchmarks and
/// process tests: started, its port read from its `listening on http://HOST:PORT` line, stopped
/// with SIGTERM (graceful) or SIGKILL.
///
/// ```swift
/// let server = try ServerProcess(executable: "/path/ai-diffusion", arguments: ["serve", "--port", "0", "--ledger", "l.sqlite"])
/// server.port   // the port it chose
/// ```
public final class ServerProcess: @unchecked Sendable {
    public let process = Process()
    public private(set) var port = 0

    /// Starts the process and waits (up to `timeout` seconds) for its `listening on` line.
    public init(executable: String, arguments: [String], timeout: TimeInterval = 60) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var text = ""
        while port == 0 && Date() < deadline {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: "listening on http://"), let end = text[range.upperBound...].firstIndex(of: "\n"),
               let colon = text[range.upperBound..<end].lastIndex(of: ":") {
                port = Int(text[text.index(after: colon)..<end]) ?? 0
            }
        }
        guard port > 0 else {
            if process.isRunning { process.terminate() }
            throw ServerProcessError(message: "`\(arguments.joined(separator: " "))` did not start: \(text)")
        }
        // Keep draining stderr so the child never blocks on a full pipe.
        errors.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
    }

    /// SIGKILL: the process dies mid-work, with no chance to finish anything.
    public func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM: a graceful shutdown.
    public func stop() {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
    }
}

public struct ServerProcessError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
