import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs this executable again as a child with standard output to /dev/null, for benchmarks that
/// measure a whole command: returns wall seconds and that child's peak resident memory (KiB, from
/// `wait4`). Throws ``InputError`` if the child fails.
///
/// Uses `posix_spawn` directly: Foundation's `Process` adds milliseconds of its own set-up per launch,
/// which would be counted as the child's start-up. A child's peak memory includes what it shared
/// with this process before exec, so run children while this process is still small.
func timeChildProcess(_ executable: String, _ arguments: [String]) throws -> (seconds: Double, peakKB: Int) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else { throw InputError("cannot start \(executable): error \(spawned)") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let exited = (status & 0x7F) == 0, code = (status >> 8) & 0xFF
    guard exited && code == 0 else {
        throw InputError("benchmark child `\(arguments.joined(separator: " "))` failed with status \(status)")
    }
    return (seconds, Int(usage.ru_maxrss))
}
