import PartyMatching
import PartyScreening
import TabularIO

/// A labelled pair for measuring the matcher: a query name (and country) and a list entry (file
/// stem and data row), labelled 1 when they are the same party and 0 when not.
public struct LabelledPair: Sendable, Hashable {
    public var id: String
    /// `tune` (thresholds were chosen on it) or `heldout` (reported).
    public var split: String
    /// How the pair was made (`typo`, `legal_form`, `similar_company`, ...; data/parties/README.md).
    public var kind: String
    public var query: String
    public var country: String?
    public var listFile: String
    public var row: Int
    public var label: Bool
}

/// Precision and recall of the `match` decision on labelled pairs.
public struct PairMetrics: Sendable, Hashable {
    public var truePositives = 0, falsePositives = 0, falseNegatives = 0, trueNegatives = 0
    /// Positives that reached at least `review` (possible matches are never cleared silently).
    public var positivesAtLeastReview = 0
    /// Negatives that reached `review` but not `match`.
    public var negativesReview = 0

    public var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
    public var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }
    public var pairs: Int { truePositives + falsePositives + falseNegatives + trueNegatives }
    public var positives: Int { truePositives + falseNegatives }
    public var negatives: Int { falsePositives + trueNegatives }
}

/// Reads labelled pairs and scores them against loaded lists.
///
/// ```swift
/// let pairs = try LabelledPairs.read("data/parties/labelled-pairs.csv")
/// let scored = LabelledPairs.score(pairs, library: library)
/// LabelledPairs.metrics(scored.filter { $0.pair.split == "heldout" }, match: 0.88, review: 0.72).recall
/// ```
public enum LabelledPairs {
    public static let columns = ["pair_id", "split", "kind", "query", "query_country", "list_file", "row", "label", "note"]

    public static func read(_ path: String) throws(CSVInputError) -> [LabelledPair] {
        let table = try CSVTable(reader: try CSVRecordReader(path: path), required: columns)
        var pairs: [LabelledPair] = []
        func cell(_ r: CSVRecord, _ name: String) -> String { r.string(at: table.column(name)!).trimmingASCIIWhitespace() }
        while let record = try table.next() {
            guard let row = Int(cell(record, "row")), row > 0 else {
                throw table.error(record, column: table.column("row")!, message: "must be a positive whole number")
            }
            let label = cell(record, "label")
            guard label == "0" || label == "1" else { throw table.error(record, column: table.column("label")!, message: "must be 0 or 1") }
            let split = cell(record, "split")
            guard split == "tune" || split == "heldout" else { throw table.error(record, column: table.column("split")!, message: "must be tune or heldout") }
            let country = cell(record, "query_country")
            pairs.append(LabelledPair(id: cell(record, "pair_id"), split: split, kind: cell(record, "kind"), query: cell(record, "query"),
                                      country: country.isEmpty ? nil : country, listFile: cell(record, "list_file"), row: row,
                                      label: label == "1"))
        }
        return pairs
    }

    /// Each pair with the score the matcher gives its entry (0 when the entry is not returned at
    /// all), searching the whole library as screening does.
    public static func score(_ pairs: [LabelledPair], library: PartyLibrary, algorithm: MatchAlgorithm = .default) -> [(pair: LabelledPair, score: Double)] {
        var byKey: [String: Int] = [:]
        for (i, entry) in library.entries.enumerated() { byKey["\(stem(entry.file))#\(entry.row)"] = i }
        let searcher = PartySearcher(index: library.index)
        return pairs.map { pair in
            let target = byKey["\(stem(pair.listFile))#\(pair.row)"]
            let found = searcher.search(PartyQuery(name: pair.query, country: pair.country), algorithm: algorithm)
            return (pair, found.first { $0.entry == target }?.score ?? 0)
        }
    }

    /// Metrics at the given thresholds.
    public static func metrics(_ scored: [(pair: LabelledPair, score: Double)], match: Double, review: Double) -> PairMetrics {
        var m = PairMetrics()
        for (pair, score) in scored {
            let predicted = score >= match
            switch (pair.label, predicted) {
            case (true, true): m.truePositives += 1
            case (true, false): m.falseNegatives += 1
            case (false, true): m.falsePositives += 1
            case (false, false): m.trueNegatives += 1
            }
            if pair.label && score >= review { m.positivesAtLeastReview += 1 }
            if !pair.label && score >= review && !predicted { m.negativesReview += 1 }
        }
        return m
    }

    private static func stem(_ path: String) -> String { ListFields.stem(path) }
}
