import Dashboard
import Foundation

/// The simulator page from files the simulator wrote into the repository: lever names and titles
/// from its bundled scenarios, charts from docs/simulator/, the lever table from the manual. The
/// server runs the simulator in-process instead; this keeps the samples independent of its API.
enum SampleSimulator {
    static let charts = [
        ("levers.svg", "China's capability lag bought per lever, 2027"),
        ("levers-own.svg", "China's own-development lag bought per lever, 2027"),
        ("levers-compute.svg", "China's deployable compute per lever, 2027"),
        ("tornado.svg", "What moves the baseline lag most (tornado)"),
    ]

    static func page(repo: String) throws -> SimulatorPage {
        let levers = try scenarioLevers(repo + "/Sources/SimulationInputs/Resources/scenarios")
        var rendered: [SimulatorChart] = []
        for (file, title) in charts {
            if let svg = try? String(contentsOfFile: repo + "/docs/simulator/" + file, encoding: .utf8) {
                rendered.append(SimulatorChart(title: title, svg: svg))
            }
        }
        let table = leverTable(repo) ?? ResultTable(caption: "Lever table not found in the manual", header: ["lever"], rows: levers.map { [$0.id] })
        let result = SimulatorResult(
            summary: "Sample page: the charts and lever table of the simulator's documented run (docs/simulator). The server runs the levers picked above in-process.",
            charts: rendered, table: table,
            notes: ["Paired draws: each lever is compared with the baseline on the same random numbers."])
        return SimulatorPage(levers: levers, request: SimulatorRequest(levers: levers.map(\.id), draws: SimulatorRequest.maxDraws, seed: 20_260_101),
                             result: result)
    }

    /// `name:` and `title:` of each scenario file but the baseline.
    static func scenarioLevers(_ directory: String) throws -> [SimulatorLever] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }.sorted()
        return try files.compactMap { file in
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            func field(_ key: String) -> String? {
                text.split(separator: "\n").first { $0.hasPrefix(key + ":") }
                    .map { String($0.dropFirst(key.count + 1)).trimmingCharacters(in: .whitespaces) }
            }
            guard let name = field("name"), name != "baseline" else { return nil }
            return SimulatorLever(id: name, title: field("title") ?? name)
        }
    }

    /// The first Markdown table headed `| lever |` in README.md or docs/*.md.
    static func leverTable(_ repo: String) -> ResultTable? {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: repo + "/docs"))?.filter { $0.hasSuffix(".md") }.sorted().map { repo + "/docs/" + $0 } ?? []
        for path in [repo + "/README.md"] + docs {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let start = lines.firstIndex(where: { $0.hasPrefix("| lever |") }) else { continue }
            func cells(_ line: String) -> [String] {
                line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
            }
            let rows = lines[(start + 2)...].prefix { $0.hasPrefix("|") }.map(cells)
            return ResultTable(caption: "Levers vs baseline (paired draws), P50 [P10, P90]", header: cells(lines[start]), rows: rows)
        }
        return nil
    }
}
