import Foundation

/// Runs this executable again as a child with standard output to /dev/null, for benchmarks that
/// measure a whole command: returns wall seconds and the peak resident memory (KiB) of the largest
/// child waited for so far (`getrusage(RUSAGE_CHILDREN)`). Throws ``InputError`` if the child fails.
///
/// Note: a child's peak includes what it shared with this process before exec, so run children
/// while this process is still small.
func timeChildProcess(_ executable: String, _ arguments: [String]) throws -> (seconds: Double, peakKB: Int) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    let start = DispatchTime.now().uptimeNanoseconds
    try process.run()
    process.waitUntilExit()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard process.terminationStatus == 0 else {
        throw InputError("benchmark child `\(arguments.joined(separator: " "))` failed with status \(process.terminationStatus)")
    }
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    return (seconds, Int(usage.ru_maxrss))
}
