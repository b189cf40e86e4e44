import ArgumentParser
import ChannelInputs
import Foundation
import TabularIO

/// `bench cloud`: aggregate N synthetic usage records end to end (`cloud report FILE --format json`
/// in a child process, output to /dev/null), with wall time and the child's peak memory.
struct BenchCloudCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloud",
        abstract: "Usage-aggregation speed and memory against the targets of issue 5.",
        discussion: """
        Targets: 10,000,000 usage records aggregated in under 10 s, peak memory under 1 GB. The synthetic \
        file (shuffled records, ~20,000 owners with 4 accounts each, 5 resellers, labelled and unlabelled \
        runs) is written to a temporary directory first; writing it is not timed.
        """
    )
    @Option(name: .long, help: "Synthetic usage records.") var records: Int = 10_000_000
    @Option(name: .long, help: "Seed of the synthetic records.") var seed: UInt64 = 42
    @Option(name: .long, help: "Timed runs (the median is reported).") var runs: Int = 3
    @Option(name: .long, help: "Keep the synthetic file at this path instead of a temporary one.") var keep: String?

    func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ai-diffusion-bench-cloud-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = keep ?? directory.appendingPathComponent("usage.csv").path
        let writeStart = DispatchTime.now().uptimeNanoseconds
        let bytes = try SyntheticUsage.write(records: records, seed: seed, to: path)
        let writeSeconds = Double(DispatchTime.now().uptimeNanoseconds - writeStart) / 1e9

        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        var times: [Double] = []
        var peakKB = 0
        for _ in 0..<max(1, runs) {
            let (seconds, kb) = try timeChildProcess(executable, ["cloud", "report", path, "--format", "json", "--as-of", "2024-12-01"])
            times.append(seconds)
            peakKB = max(peakKB, kb)
        }
        times.sort()
        let median = times[times.count / 2]
        let rate = Double(records) / median
        let scaledTarget = 10.0 * Double(records) / 10_000_000
        var table = TextTable(header: ["MEASURE", "VALUE", "TARGET", "MET"], rightAligned: [1])
        table.add(["aggregate \(records) records (median of \(times.count))", String(format: "%.2f s", median),
                   String(format: "< %.1f s", scaledTarget), median < scaledTarget ? "yes" : "no"])
        table.add(["throughput", "\(Int(rate)) records/s", ">= 1000000 records/s", rate >= 1_000_000 ? "yes" : "no"])
        table.add(["peak memory (max RSS of the child)", "\(peakKB / 1024) MB", "< 1024 MB", peakKB < 1024 * 1024 ? "yes" : "no"])
        print("bench cloud: \(records) synthetic usage records (seed \(seed)), \(bytes / 1_000_000) MB CSV written in \(String(format: "%.1f", writeSeconds)) s")
        print("  runs: \(times.map { String(format: "%.2f s", $0) }.joined(separator: ", "))")
        print(table.render(), terminator: "")
    }
}
