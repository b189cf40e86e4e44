import ArgumentParser
import DiffusionRules
import Foundation
import PartyLists
import PartyMatching
import PartyScreening
import RuleData
import Screening
import TabularIO

/// `parties match|lists|evaluate`: restricted-party lists and name matching.
struct PartiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parties",
        abstract: "Restricted-party lists: match a name with explanations, show what is loaded, measure the matcher.",
        discussion: """
        No list is bundled: name the files (Consolidated Screening List CSV or JSON, BIS Denied Persons \
        List TSV, or your own CSV with name,aliases,country,address,list,license_requirement,license_policy,\
        federal_register_notice,start_date,end_date).

        Examples:
          ai-diffusion parties match "Gulf Gate Shipping Company LLC" --country AE --lists csl.csv
          ai-diffusion parties lists csl.csv dpl.tsv
          ai-diffusion parties evaluate data/parties/labelled-pairs.csv --split heldout
        """,
        subcommands: [PartiesMatchCommand.self, PartiesListsCommand.self, PartiesEvaluateCommand.self]
    )
}

struct PartiesMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match", abstract: "Candidates for a name, with scores and explanations.")

    @Argument(help: "The party's name as written.") var name: String
    @Option(name: .long, help: ArgumentHelp("ISO alpha-2 of the party's country (a qualifier).", valueName: "CC")) var country: String?
    @Option(name: .long, help: "The party's address (a qualifier).") var address: String?
    @Option(name: .customLong("id"), help: "An identifier (registration, passport, ...) compared exactly.") var identifier: String?
    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("List files (one or more).", valueName: "file")) var lists: [String] = []
    @Option(name: .long, help: "default or ofac.") var algorithm: MatchAlgorithm = .default
    @OptionGroup var asOf: AsOfOption
    @Option(name: .long, help: "table or json.") var format: OutputFormat = .table

    func validate() throws {
        if lists.isEmpty { throw ValidationError("give --lists FILE...: no restricted-party list is bundled") }
        if format == .csv || format == .jsonl { throw ValidationError("--format takes table or json") }
    }

    func run() throws {
        let context = try RuleContext.load()
        if let country, CountryCode(country).map({ context.book.registry.contains($0) && $0.description == country }) != true {
            throw InputError("--country \"\(country)\" is not an ISO 3166-1 alpha-2 code")
        }
        let day = try asOf.day()
        let library = try ListFiles.load(lists, catalog: try PartyMatchingData.listCatalog(), registry: context.book.registry,
                                         configuration: try PartyMatchingData.configuration())
        let searcher = PartySearcher(index: library.index)
        let query = PartyQuery(name: name, country: country, address: address, identifier: identifier)
        let matches = searcher.search(query, algorithm: algorithm)
        let thresholds = library.index.configuration.thresholds(algorithm)!
        let sink = ByteSink.standardOutput()
        if format == .json {
            var objects: [String] = []
            for m in matches {
                let e = library.entries[m.entry]
                let x = searcher.explain(query, m, algorithm: algorithm)
                var json = JSONWriter()
                json.object {
                    $0.field("list", e.list); $0.field("entry_id", e.id); $0.field("name", e.name); $0.field("matched", x.matchedName)
                    $0.field("score", m.score); $0.field("decision", m.decision.rawValue); $0.field("in_force", e.isInForce(on: day))
                    $0.field("federal_register_notice", e.federalRegisterNotice); $0.field("file", e.file)
                    $0.array("features", x.features) { f, o in o.field("feature", f.name); o.field("value", f.value); o.field("weight", f.weight) }
                    $0.array("tokens", x.alignments) { a, o in
                        o.field("query", a.query); o.field("listed", a.listed); o.field("similarity", a.similarity); o.field("weight", a.weight)
                    }
                    $0.field("text", x.summary)
                }
                objects.append(json.text)
            }
            sink.write(objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n")
            sink.flush()
            return
        }
        var table = TextTable(header: ["SCORE", "DECISION", "LIST", "ENTRY", "LISTED NAME", "IN FORCE \(day)"], rightAligned: [0])
        var lines: [String] = []
        for m in matches {
            let e = library.entries[m.entry]
            table.add([MatchExplanation.fixed(m.score), m.decision.rawValue, e.list, e.id, e.name, e.isInForce(on: day) ? "yes" : "no"])
            let x = searcher.explain(query, m, algorithm: algorithm)
            let features = x.features.map { "\($0.name) \(MatchExplanation.fixed($0.value)) x \(MatchExplanation.fixed($0.weight))" }.joined(separator: " + ")
            lines.append("\(e.id): \(x.summary)\n    score = \(features)")
        }
        sink.write("\"\(name)\"\(country.map { " (\($0))" } ?? ""): \(matches.count) candidate(s) at or above review \(MatchExplanation.fixed(thresholds.review)) (match \(MatchExplanation.fixed(thresholds.match)), algorithm \(algorithm.rawValue)) among \(library.entries.count) entries\n")
        if !matches.isEmpty { sink.write(table.render() + lines.joined(separator: "\n") + "\n") }
        sink.flush()
    }
}

struct PartiesListsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lists", abstract: "What list files hold: format, SHA-256, entries by list, newest start date.")

    @Argument(help: "List files.") var files: [String]
    @Option(name: .long, help: "table or json.") var format: OutputFormat = .table

    func validate() throws {
        if files.isEmpty { throw ValidationError("name one or more list files") }
        if format == .csv || format == .jsonl { throw ValidationError("--format takes table or json") }
    }

    func run() throws {
        let context = try RuleContext.load()
        let catalog = try PartyMatchingData.listCatalog()
        var summaries: [ListFileSummary] = []
        for file in files { summaries.append(try ListFiles.read(file, catalog: catalog, registry: context.book.registry).1) }
        let sink = ByteSink.standardOutput()
        if format == .json {
            let objects = summaries.map { s -> String in
                var json = JSONWriter()
                json.object {
                    $0.field("file", s.path); $0.field("format", s.format); $0.field("sha256", s.sha256); $0.field("entries", s.entryCount)
                    $0.array("by_list", s.entriesByList) { item, o in o.field("list", item.list); o.field("entries", item.count) }
                    $0.field("newest_start_date", s.newestStartDate?.description)
                }
                return json.text
            }
            sink.write("[\n" + objects.joined(separator: ",\n") + "\n]\n")
        } else {
            var table = TextTable(header: ["FILE", "FORMAT", "SHA-256", "ENTRIES", "BY LIST", "NEWEST START"], rightAligned: [3])
            for s in summaries {
                table.add([s.path, s.format, s.sha256, String(s.entryCount),
                           s.entriesByList.map { "\($0.list) \($0.count)" }.joined(separator: ", "), s.newestStartDate?.description ?? "-"])
            }
            sink.write(table.render())
        }
        sink.flush()
    }
}

struct PartiesEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Precision and recall of the match decision on labelled pairs (data/parties/labelled-pairs.csv).",
        discussion: "Thresholds were tuned on the tune split; report the heldout split. --sweep lists precision and recall for match thresholds from 0.60 to 0.99.")

    @Argument(help: "Labelled pairs CSV.") var pairs: String
    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("List files the pairs refer to (default: data/parties/lists/*).", valueName: "file"))
    var lists: [String] = []
    @Option(name: .long, help: "tune, heldout or all.") var split: String = "heldout"
    @Flag(name: .long, help: "Print precision and recall for a range of match thresholds.") var sweep = false
    @Option(name: .long, help: "default or ofac.") var algorithm: MatchAlgorithm = .default

    func validate() throws {
        if !["tune", "heldout", "all"].contains(split) { throw ValidationError("--split takes tune, heldout or all") }
    }

    func run() throws {
        let context = try RuleContext.load()
        var configuration = try PartyMatchingData.configuration()
        let thresholds = configuration.thresholds(algorithm)!
        // Score everything down to 0.5 so a sweep sees scores below the review threshold.
        configuration.algorithms[algorithm.rawValue]?.review = min(thresholds.review, 0.5)
        let files = lists.isEmpty ? Self.bundledSampleLists() : lists
        let library = try ListFiles.load(files, catalog: try PartyMatchingData.listCatalog(), registry: context.book.registry,
                                         configuration: configuration)
        let all = try LabelledPairs.read(pairs)
        let chosen = split == "all" ? all : all.filter { $0.split == split }
        let scored = LabelledPairs.score(chosen, library: library, algorithm: algorithm)
        let m = LabelledPairs.metrics(scored, match: thresholds.match, review: thresholds.review)
        print("\(split): \(m.pairs) pairs (\(m.positives) same party, \(m.negatives) different), algorithm \(algorithm.rawValue), match \(MatchExplanation.fixed(thresholds.match)), review \(MatchExplanation.fixed(thresholds.review))")
        print("precision \(MatchExplanation.fixed(m.precision))  recall \(MatchExplanation.fixed(m.recall))  (TP \(m.truePositives), FP \(m.falsePositives), FN \(m.falseNegatives), TN \(m.trueNegatives))")
        print("same-party pairs reaching at least review: \(m.positivesAtLeastReview) of \(m.positives); different-party pairs at review (not match): \(m.negativesReview) of \(m.negatives)")
        var kinds = TextTable(header: ["KIND", "LABEL", "PAIRS", "MATCH", "REVIEW", "NONE"], rightAligned: [2, 3, 4, 5])
        for kind in Set(scored.map { $0.pair.kind }).sorted() {
            let rows = scored.filter { $0.pair.kind == kind }
            let match = rows.filter { $0.score >= thresholds.match }.count
            let review = rows.filter { $0.score >= thresholds.review && $0.score < thresholds.match }.count
            kinds.add([kind, rows[0].pair.label ? "1" : "0", String(rows.count), String(match), String(review), String(rows.count - match - review)])
        }
        print(kinds.render(), terminator: "")
        if sweep {
            var table = TextTable(header: ["MATCH THRESHOLD", "PRECISION", "RECALL", "FP", "FN"], rightAligned: [0, 1, 2, 3, 4])
            for step in stride(from: 60, through: 99, by: 1) {
                let t = Double(step) / 100
                let s = LabelledPairs.metrics(scored, match: t, review: min(t, thresholds.review))
                table.add([MatchExplanation.fixed(t), MatchExplanation.fixed(s.precision), MatchExplanation.fixed(s.recall), String(s.falsePositives), String(s.falseNegatives)])
            }
            print(table.render(), terminator: "")
        }
        let misses = scored.filter { ($0.pair.label && $0.score < thresholds.match) || (!$0.pair.label && $0.score >= thresholds.match) }
        for (pair, score) in misses.prefix(40) {
            print("  \(pair.label ? "missed" : "false match") \(pair.id) [\(pair.kind)] \"\(pair.query)\" -> \(pair.listFile)#\(pair.row): \(MatchExplanation.fixed(score))")
        }
    }

    static func bundledSampleLists() -> [String] {
        let directory = "data/parties/lists"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted().map { "\(directory)/\($0)" }
    }
}
