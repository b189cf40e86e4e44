/// A name to screen, with the qualifiers known about the party.
public struct PartyQuery: Sendable, Hashable {
    public var name: String
    /// ISO alpha-2 of the party's country, if known.
    public var country: String?
    public var address: String?
    /// An identifier (registration number, passport, ...) compared exactly with the entries'.
    public var identifier: String?

    public init(name: String, country: String? = nil, address: String? = nil, identifier: String? = nil) {
        self.name = name
        self.country = country
        self.address = address
        self.identifier = identifier
    }
}

/// `match` at or above the match threshold, `review` between the review and match thresholds.
public enum MatchDecision: String, Sendable, Hashable, Comparable {
    case match, review

    public static func < (lhs: MatchDecision, rhs: MatchDecision) -> Bool { lhs == .review && rhs == .match }
}

/// One entry found for a query: which of its names matched best, the score and the decision.
public struct PartyMatch: Sendable, Hashable {
    /// Index into ``PartyIndex/entries``.
    public var entry: Int
    /// Index into the entry's `names` (0 = primary name, above = an alias); -1 for an identifier match.
    public var name: Int
    public var score: Double
    public var decision: MatchDecision

    public init(entry: Int, name: Int, score: Double, decision: MatchDecision) {
        self.entry = entry
        self.name = name
        self.score = score
        self.decision = decision
    }
}

/// Searches a ``PartyIndex``; keeps scratch space and a cache of query tokens, so use one per
/// thread and reuse it.
///
/// Default algorithm, for a query with core tokens `q` (weights `w_q`) and a listed name with
/// tokens `c` (weights `w_c`, rarity in the loaded lists): each token's similarity is its best
/// Jaro-Winkler similarity with a related token of the other name (0 below the floor; tokens with
/// digits only exactly); the name similarity is the mean of the query's weighted coverage
/// `A / W_q` and the listed name's `B / W_n`. Word order does not matter. Legal forms, country and
/// address then add or subtract their weights (``FeatureWeights``); an identical identifier scores
/// 1. The result is clamped to [0, 1].
public final class PartySearcher {
    public let index: PartyIndex
    private var nameStamp: [UInt32]
    private var nameGeneration: UInt32 = 0
    private var vocabStamp: [UInt32]
    private var vocabSlot: [Int32]
    private var vocabGeneration: UInt32 = 0
    private var slotSims: [Double] = []
    private var candidates: [Int32] = []
    private var tokenCache: [[UInt32]: TokenInfo] = [:]

    /// A query token's comparable vocabulary tokens and its weight.
    struct TokenInfo {
        var related: [(vocab: Int32, similarity: Double)]
        var weight: Double
    }

    public init(index: PartyIndex) {
        self.index = index
        self.nameStamp = [UInt32](repeating: 0, count: index.nameCount)
        self.vocabStamp = [UInt32](repeating: 0, count: index.vocabulary.count)
        self.vocabSlot = [Int32](repeating: 0, count: index.vocabulary.count)
    }

    /// Entries scoring at least the review threshold, best first (then by entry and name order).
    public func search(_ query: PartyQuery, algorithm: MatchAlgorithm = .default) -> [PartyMatch] {
        guard let thresholds = index.configuration.thresholds(algorithm) else { return [] }
        var best: [Int: PartyMatch] = [:]
        func offer(_ entry: Int, _ name: Int, _ score: Double) {
            guard score >= thresholds.review else { return }
            let decision: MatchDecision = score >= thresholds.match ? .match : .review
            let candidate = PartyMatch(entry: entry, name: name, score: score, decision: decision)
            if let current = best[entry], current.score > score || (current.score == score && current.name <= name) { return }
            best[entry] = candidate
        }
        if let identifier = query.identifier {
            for entry in index.identifierEntries[PartyIndex.identifierKey(identifier)] ?? [] { offer(Int(entry), -1, 1) }
        }
        switch algorithm {
        case .default:
            let normalized = index.normalizer.normalize(query.name)
            let queryAddress = query.address.map { Set(index.normalizer.words(of: $0)) }
            for tokens in alternatives(of: normalized.tokens) {
                scoreNames(tokens, review: thresholds.review) { name, queryCoverage, listCoverage in
                    let entry = Int(index.nameEntry[name])
                    // Summed feature by feature, in the order the explanation lists them.
                    var total = 0.5 * queryCoverage + 0.5 * listCoverage
                    for feature in qualifiers(query, legalForms: normalized.legalForms, name: name, entry: entry, address: queryAddress) {
                        total += feature.value * feature.weight
                    }
                    offer(entry, Int(index.nameOrdinal[name]), min(1, max(0, total)))
                }
            }
        case .ofac:
            let words = index.normalizer.words(of: query.name)
            for name in 0..<index.nameCount {
                if let score = OFACScore.score(words, name: name, in: index) {
                    offer(Int(index.nameEntry[name]), Int(index.nameOrdinal[name]), score)
                }
            }
        }
        return best.values.sorted { $0.score != $1.score ? $0.score > $1.score : $0.entry < $1.entry }
    }

    /// The query's tokens as written, with adjacent tokens joined where the join is a listed token
    /// (`hua wei` -> `huawei`), and with a token split where both halves are listed tokens
    /// (`alnaser` -> `al naser`); the best-scoring form counts.
    func alternatives(of tokens: [[UInt32]]) -> [[[UInt32]]] {
        guard !tokens.isEmpty else { return [] }
        var out = [tokens]
        var merged: [[UInt32]] = []
        var i = 0
        while i < tokens.count {
            if i + 1 < tokens.count, index.exact[tokens[i] + tokens[i + 1]] != nil {
                merged.append(tokens[i] + tokens[i + 1])
                i += 2
            } else {
                merged.append(tokens[i])
                i += 1
            }
        }
        if merged != tokens { out.append(merged) }
        var split: [[UInt32]] = []
        for token in tokens {
            if token.count >= 4, !NameNormalizer.hasDigit(token),
               let cut = (2...(token.count - 2)).first(where: { index.exact[Array(token[..<$0])] != nil && index.exact[Array(token[$0...])] != nil }) {
                split.append(Array(token[..<cut]))
                split.append(Array(token[cut...]))
            } else {
                split.append(token)
            }
        }
        if split != tokens { out.append(split) }
        return out
    }

    func info(_ token: [UInt32]) -> TokenInfo {
        if let cached = tokenCache[token] { return cached }
        var related: [(Int32, Double)] = []
        var weight = index.unknownWeight
        var bestSimilarity = 0.0
        for v in index.related(to: token) {
            let s = index.tokenSimilarity(token, index.vocabulary[Int(v)])
            guard s > 0 else { continue }
            related.append((v, s))
            if s > bestSimilarity { bestSimilarity = s; weight = index.weights[Int(v)] }
        }
        let result = TokenInfo(related: related, weight: weight)
        if tokenCache.count > 500_000 { tokenCache.removeAll(keepingCapacity: true) }
        tokenCache[token] = result
        return result
    }

    /// Calls `found` with each name whose name similarity can reach `review`, and the query's and
    /// the listed name's weighted coverage.
    private func scoreNames(_ tokens: [[UInt32]], review: Double, found: (Int, Double, Double) -> Void) {
        let infos = tokens.map(info)
        let qn = infos.count
        let totalWeight = infos.reduce(0) { $0 + $1.weight }
        guard totalWeight > 0 else { return }

        // Per related vocabulary token, its similarity to each query token.
        vocabGeneration &+= 1
        slotSims.removeAll(keepingCapacity: true)
        for (q, info) in infos.enumerated() {
            for (v, s) in info.related {
                let vi = Int(v)
                if vocabStamp[vi] != vocabGeneration {
                    vocabStamp[vi] = vocabGeneration
                    vocabSlot[vi] = Int32(slotSims.count / qn)
                    slotSims.append(contentsOf: repeatElement(0, count: qn))
                }
                let at = Int(vocabSlot[vi]) * qn + q
                slotSims[at] = max(slotSims[at], s)
            }
        }

        // A name can reach `review` only if the query's coverage A / W_q >= 2 * bound - 1
        // (its own coverage is at most 1): tokens too light to supply that do not generate candidates.
        let bound = review - index.configuration.weights.largestBonus
        let need = (2 * bound - 1) * totalWeight
        var essential = [Bool](repeating: true, count: qn)
        var light = 0.0
        for q in (0..<qn).sorted(by: { infos[$0].weight != infos[$1].weight ? infos[$0].weight < infos[$1].weight : $0 < $1 }) {
            guard light + infos[q].weight < need else { break }
            light += infos[q].weight
            essential[q] = false
        }
        nameGeneration &+= 1
        candidates.removeAll(keepingCapacity: true)
        for q in 0..<qn where essential[q] {
            for (v, _) in infos[q].related {
                for p in Int(index.postingStart[Int(v)])..<Int(index.postingStart[Int(v) + 1]) {
                    let name = index.postings[p]
                    if nameStamp[Int(name)] != nameGeneration {
                        nameStamp[Int(name)] = nameGeneration
                        candidates.append(name)
                    }
                }
            }
        }

        var bestPerQuery = [Double](repeating: 0, count: qn)
        for name in candidates {
            let n = Int(name)
            for q in 0..<qn { bestPerQuery[q] = 0 }
            var listCovered = 0.0
            for c in index.nameTokens[n] {
                let ci = Int(c)
                guard vocabStamp[ci] == vocabGeneration else { continue }
                let base = Int(vocabSlot[ci]) * qn
                var bestForToken = 0.0
                for q in 0..<qn {
                    let s = slotSims[base + q]
                    if s > bestPerQuery[q] { bestPerQuery[q] = s }
                    if s > bestForToken { bestForToken = s }
                }
                listCovered += index.weights[ci] * bestForToken
            }
            var queryCovered = 0.0
            for q in 0..<qn { queryCovered += infos[q].weight * bestPerQuery[q] }
            let queryCoverage = queryCovered / totalWeight, listCoverage = listCovered / index.nameWeight[n]
            if 0.5 * queryCoverage + 0.5 * listCoverage >= bound { found(n, queryCoverage, listCoverage) }
        }
    }

    /// The qualifier features of a listed name for a query (legal form, country, address).
    func qualifiers(_ query: PartyQuery, legalForms: [String], name: Int, entry: Int, address: Set<[UInt32]>?) -> [MatchFeature] {
        let weights = index.configuration.weights
        var out: [MatchFeature] = []
        let listed = index.nameLegalForms[name]
        if !legalForms.isEmpty && !listed.isEmpty {
            if legalForms.contains(where: listed.contains) {
                out.append(MatchFeature(name: "legal_form.agrees", value: 1, weight: weights.legalFormAgrees))
            } else {
                out.append(MatchFeature(name: "legal_form.differs", value: 1, weight: -weights.legalFormDiffers))
            }
        }
        if let country = query.country?.uppercased(), !country.isEmpty, !index.entryCountries[entry].isEmpty {
            if index.entryCountries[entry].contains(country) {
                out.append(MatchFeature(name: "country.agrees", value: 1, weight: weights.countryAgrees))
            } else {
                out.append(MatchFeature(name: "country.differs", value: 1, weight: -weights.countryDiffers))
            }
        }
        if let address, !address.isEmpty, !index.entryAddressTokens[entry].isEmpty {
            let shared = address.filter(index.entryAddressTokens[entry].contains).count
            out.append(MatchFeature(name: "address.overlap", value: Double(shared) / Double(address.count), weight: weights.addressOverlap))
        }
        return out
    }
}
