/// One feature of a score: `value * weight` is its contribution (as in yente's explanations).
public struct MatchFeature: Sendable, Hashable {
    public var name: String
    public var value: Double
    public var weight: Double

    public init(name: String, value: Double, weight: Double) {
        self.name = name
        self.value = value
        self.weight = weight
    }
}

/// How a query token was matched: the listed token it was compared with, their similarity and the
/// token's weight (rarity in the loaded lists).
public struct TokenAlignment: Sendable, Hashable {
    public var query: String
    public var listed: String?
    public var similarity: Double
    public var weight: Double
}

/// Why a listed name scored what it did: the features with values and weights (their weighted sum,
/// clamped to [0, 1], is the score), the token alignments and notes.
public struct MatchExplanation: Sendable, Hashable {
    public var algorithm: MatchAlgorithm
    /// The listed name or alias that matched, as written in the list.
    public var matchedName: String
    public var matchedAlias: Bool
    public var features: [MatchFeature]
    public var alignments: [TokenAlignment]
    public var notes: [String]

    /// The score the features give.
    public var score: Double { min(1, max(0, features.reduce(0.0) { $0 + $1.value * $1.weight })) }

    /// One line: `alias "HSRI": huawai~huawei 0.961, technology=technology; legal_form.agrees +0.010`.
    public var summary: String {
        var parts: [String] = []
        let tokens = alignments.map { a -> String in
            guard let listed = a.listed else { return "\(a.query) unmatched" }
            return a.query == listed ? a.query : "\(a.query)~\(listed) \(Self.fixed(a.similarity))"
        }
        if !tokens.isEmpty { parts.append(tokens.joined(separator: ", ")) }
        let signed = features.filter { !$0.name.hasPrefix("name.") && !$0.name.hasPrefix("ofac.") }.map {
            let c = $0.value * $0.weight
            return "\($0.name) \(c >= 0 ? "+" : "")\(Self.fixed(c))"
        }
        if !signed.isEmpty { parts.append(signed.joined(separator: ", ")) }
        parts += notes
        return "\(matchedAlias ? "alias" : "name") \"\(matchedName)\": " + parts.joined(separator: "; ")
    }

    /// Three decimals, as every score is printed.
    public static func fixed(_ value: Double) -> String {
        let scaled = Int64((abs(value) * 1000).rounded())
        let text = "\(scaled / 1000).\(String(repeating: "0", count: 3 - String(scaled % 1000).count))\(scaled % 1000)"
        return value < 0 && scaled != 0 ? "-" + text : text
    }
}

extension PartySearcher {
    /// The explanation of a match found by ``search(_:algorithm:)`` for the same query.
    public func explain(_ query: PartyQuery, _ match: PartyMatch, algorithm: MatchAlgorithm = .default) -> MatchExplanation {
        let entry = index.entries[match.entry]
        guard match.name >= 0 else {
            return MatchExplanation(algorithm: algorithm, matchedName: entry.names.first ?? "", matchedAlias: false,
                                    features: [MatchFeature(name: "identifier", value: 1, weight: 1)], alignments: [],
                                    notes: ["identifier \(query.identifier ?? "") is listed for this entry"])
        }
        let listedName = entry.names[match.name]
        // The indexed form of that listed name that scores best (a name may be indexed under several forms).
        let forms = (0..<index.nameCount).filter { index.nameEntry[$0] == Int32(match.entry) && index.nameOrdinal[$0] == Int32(match.name) }
        guard !forms.isEmpty else {
            return MatchExplanation(algorithm: algorithm, matchedName: listedName, matchedAlias: match.name > 0, features: [], alignments: [], notes: [])
        }
        let name = forms.max { formScore(query, $0, entry: match.entry, algorithm) < formScore(query, $1, entry: match.entry, algorithm) }!
        switch algorithm {
        case .ofac:
            let words = index.normalizer.words(of: query.name)
            let (full, parts) = OFACScore.explain(words, name: name, in: index) ?? (0, 0)
            return MatchExplanation(
                algorithm: .ofac, matchedName: listedName, matchedAlias: match.name > 0,
                features: [MatchFeature(name: "ofac.whole_name_jaro_winkler", value: full, weight: full >= parts ? 1 : 0),
                           MatchFeature(name: "ofac.name_parts", value: parts, weight: full >= parts ? 0 : 1)],
                alignments: [], notes: ["OFAC Sanctions List Search emulation (FAQ 249): the higher technique counts"])
        case .default:
            let normalized = index.normalizer.normalize(query.name)
            var best: (similarity: Double, tokens: [[UInt32]], alternative: Int)?
            for (k, tokens) in alternatives(of: normalized.tokens).enumerated() {
                let s = nameSimilarity(tokens, name: name).similarity
                if best == nil || s > best!.similarity { best = (s, tokens, k) }
            }
            guard let best else {
                return MatchExplanation(algorithm: .default, matchedName: listedName, matchedAlias: match.name > 0, features: [], alignments: [], notes: [])
            }
            let detail = nameSimilarity(best.tokens, name: name)
            var features = [MatchFeature(name: "name.query_coverage", value: detail.queryCoverage, weight: 0.5),
                            MatchFeature(name: "name.list_coverage", value: detail.listCoverage, weight: 0.5)]
            let address = query.address.map { Set(index.normalizer.words(of: $0)) }
            features += qualifiers(query, legalForms: normalized.legalForms, name: name, entry: match.entry, address: address)
            var notes: [String] = []
            if best.alternative > 0 { notes.append("tokens joined or split to match the listed spelling") }
            return MatchExplanation(algorithm: .default, matchedName: listedName, matchedAlias: match.name > 0,
                                    features: features, alignments: detail.alignments, notes: notes)
        }
    }

    /// The score of one indexed form of a listed name (as ``search(_:algorithm:)`` computes it).
    private func formScore(_ query: PartyQuery, _ name: Int, entry: Int, _ algorithm: MatchAlgorithm) -> Double {
        switch algorithm {
        case .ofac:
            return OFACScore.score(index.normalizer.words(of: query.name), name: name, in: index) ?? 0
        case .default:
            let normalized = index.normalizer.normalize(query.name)
            let address = query.address.map { Set(index.normalizer.words(of: $0)) }
            var best = 0.0
            for tokens in alternatives(of: normalized.tokens) {
                let s = nameSimilarity(tokens, name: name)
                var total = 0.5 * s.queryCoverage + 0.5 * s.listCoverage
                for feature in qualifiers(query, legalForms: normalized.legalForms, name: name, entry: entry, address: address) {
                    total += feature.value * feature.weight
                }
                best = max(best, total)
            }
            return best
        }
    }

    /// The default name similarity of query tokens against one listed name, computed pair by pair
    /// (the same numbers ``search(_:algorithm:)`` computes through the index).
    func nameSimilarity(_ tokens: [[UInt32]], name: Int) -> (similarity: Double, queryCoverage: Double, listCoverage: Double, alignments: [TokenAlignment]) {
        let infos = tokens.map(info)
        let listed = index.nameTokens[name]
        var alignments: [TokenAlignment] = []
        var queryCovered = 0.0, totalWeight = 0.0
        var bestForListed = [Double](repeating: 0, count: listed.count)
        for (q, info) in infos.enumerated() {
            totalWeight += info.weight
            var best = 0.0
            var bestToken: Int32?
            for (k, c) in listed.enumerated() {
                guard let s = info.related.first(where: { $0.vocab == c })?.similarity else { continue }
                if s > best { best = s; bestToken = c }
                bestForListed[k] = max(bestForListed[k], s)
            }
            queryCovered += info.weight * best
            alignments.append(TokenAlignment(query: NameNormalizer.string(tokens[q]),
                                             listed: bestToken.map { NameNormalizer.string(index.vocabulary[Int($0)]) },
                                             similarity: best, weight: info.weight))
        }
        var listCovered = 0.0
        for (k, c) in listed.enumerated() { listCovered += index.weights[Int(c)] * bestForListed[k] }
        let qc = totalWeight > 0 ? queryCovered / totalWeight : 0
        let lc = index.nameWeight[name] > 0 ? listCovered / index.nameWeight[name] : 0
        return (0.5 * qc + 0.5 * lc, qc, lc, alignments)
    }
}
