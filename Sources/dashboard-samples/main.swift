// dashboard-samples --out DIR [--repo DIR]
//
// Renders every dashboard page with view models built from real data into DIR, laid out like the
// server's routes (DIR/holds/3/index.html is GET /holds/3), for the browser test
// (Tests/Browser/pages.py serves DIR with `python3 -m http.server`).
//
// The data: the public deals (examples/deals-2023-2026.csv) and the UVEU example
// (examples/uveu-2025.csv, fleet examples/fleet-contoso.csv) screened under ai-diffusion-2025 and
// committed to a throwaway SQLite ledger, so runs, sequences, hashes, keys and receipt signatures
// are the ledger's own. Holds are the committed rows with license_required; three carry decisions
// (a release against a new licence, a rejection, an escalation). The simulator page shows the
// charts the simulator wrote to docs/simulator/.
import AllocationLedger
import ComputeMetrics
import Dashboard
import DiffusionRules
import Foundation
import RuleData
import Screening

struct Failure: Error, CustomStringConvertible {
    var description: String
}

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

do {
    guard let out = option("--out") else { throw Failure(description: "usage: dashboard-samples --out DIR [--repo DIR]") }
    let repo = option("--repo") ?? FileManager.default.currentDirectoryPath
    let samples = try SampleData(repo: repo)
    let site = try SampleSite(root: out, renderer: try DashboardRenderer())
    try site.write(samples)
    FileHandle.standardError.write(Data("dashboard-samples: wrote \(site.written.count) pages to \(out)\n".utf8))
} catch {
    FileHandle.standardError.write(Data("dashboard-samples: \(error)\n".utf8))
    exit(1)
}
