import AllocationLedger
import ArgumentParser
import DiffusionRules
import Foundation
import Screening
import TabularIO

extension OutputFormat: ExpressibleByArgument {}

/// `--format table|json|jsonl|csv`.
struct FormatOption: ParsableArguments {
    @Option(name: .long, help: "Output format: table, json, jsonl or csv.")
    var format: OutputFormat = .table
}

extension FormatOption {
    /// Writes JSON objects (one per string) as a JSON array (`json`) or one per line (`jsonl`).
    func writeJSON(_ objects: [String], to sink: ByteSink) {
        if format == .json {
            sink.write(objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n")
        } else {
            for object in objects { sink.write(object + "\n") }
        }
    }
}

/// `--regime enforced|ai-diffusion-2025|PATH.yaml`.
struct RegimeOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Regime: enforced, ai-diffusion-2025, or a pack file (YAML) that extends one.",
                                            valueName: "regime"))
    var regime: String = "enforced"
}

/// `--as-of YYYY-MM-DD` (default: today).
struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Date whose rules apply (YYYY-MM-DD; default today).", valueName: "date"))
    var asOf: String?

    func day() throws -> Day {
        guard let text = asOf else { return Today.day }
        guard let day = Day(text) else { throw InputError("--as-of \"\(text)\" is not a date in YYYY-MM-DD form") }
        return day
    }
}

/// `--ledger PATH|URL` (default: the user's data directory) and `--signing-key PATH`.
struct LedgerOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Ledger: an SQLite file, or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE. Default: $AI_DIFFUSION_LEDGER, else $XDG_DATA_HOME/ai-diffusion/ledger.sqlite (~/.local/share/...).",
                                            valueName: "path|url"))
    var ledger: String?

    @Option(name: .customLong("signing-key"), help: ArgumentHelp("Ed25519 key that signs receipts (default: $AI_DIFFUSION_SIGNING_KEY, else LEDGER.ed25519 next to an SQLite ledger, or $XDG_DATA_HOME/ai-diffusion/keys/<ledger id>.ed25519 for PostgreSQL).",
                                                                 valueName: "path"))
    var signingKey: String?

    var path: String {
        if let ledger { return ledger }
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["AI_DIFFUSION_LEDGER"], !path.isEmpty { return path }
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/share")
        return base + "/ai-diffusion/ledger.sqlite"
    }

    /// Opens the ledger (creating an SQLite file or an empty PostgreSQL database's tables when `create`).
    func open(create: Bool) throws -> any AllocationLedger {
        try Ledgers.open(path, create: create, signingKey: signingKey)
    }
}

/// The clock, read only at the edge (defaults for `--as-of`, ledger timestamps).
enum Today {
    static var day: Day {
        let seconds = Int32(Date().timeIntervalSince1970 / 86_400)
        return Day(ordinal: seconds)
    }

    static var timestamp: String {
        ISO8601DateFormatter().string(from: Date())
    }
}
