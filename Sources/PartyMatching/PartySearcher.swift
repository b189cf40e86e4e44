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
    /// Listed names scored so far (a measure of how much the blocking index narrows a search).
    public private(set) var candidatesScored = 0
    private var scratchBest: [Double] = []
    /// Query tokens seen, by hash (the token is kept to rule out a collision).
    private var tokenCache: [UInt64: (token: [UInt32], info: TokenInfo)] = [:]

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
            // The most the qualifiers can add for this query (a country or address it does not give earns nothing).
            let weights = index.configuration.weights
            let maximumBonus = (normalized.legalForms.isEmpty ? 0 : max(0, weights.legalFormAgrees))
                + (query.country?.isEmpty ?? true ? 0 : max(0, weights.countryAgrees))
                + (queryAddress?.isEmpty ?? true ? 0 : max(0, weights.addressOverlap))
            for tokens in alternatives(of: normalized.tokens) {
                scoreNames(tokens, review: thresholds.review, maximumBonus: maximumBonus) { name, queryCoverage, listCoverage in
                    let entry = Int(index.nameEntry[name])
                    // Summed feature by feature, in the order the explanation lists them.
                    var total = 0.5 * queryCoverage + 0.5 * listCoverage
                    qualifiers(query, legalForms: normalized.legalForms, name: name, entry: entry, address: queryAddress) { value, weight, _ in total += value * weight }
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
            if i + 1 < tokens.count, let joined = index.listedToken(tokens[i], then: tokens[i + 1]) {
                merged.append(joined)
                i += 2
            } else {
                merged.append(tokens[i])
                i += 1
            }
        }
        if merged != tokens { out.append(merged) }
        var split: [[UInt32]] = []
        for token in tokens {
            if token.count >= 4, !NameNormalizer.hasDigit(token), let cut = index.listedSplit(of: token) {
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
        let key = BlockingKeys.hash(token, tag: 1)
        if let cached = tokenCache[key], cached.token == token { return cached.info }
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
        // Bounded: past the limit new tokens are not cached (clearing a large cache stalls a search).
        if tokenCache.count < 400_000, tokenCache[key] == nil { tokenCache[key] = (token, result) }
        return result
    }

    /// Calls `found` with each name whose name similarity can reach `review`, and the query's and
    /// the listed name's weighted coverage.
    private func scoreNames(_ tokens: [[UInt32]], review: Double, maximumBonus: Double, found: (Int, Double, Double) -> Void) {
        let infos = tokens.map(info)
        let qn = infos.count
        let totalWeight = infos.reduce(0) { $0 + $1.weight }
        guard totalWeight > 0 else { return }
        let queryWeights = infos.map(\.weight)

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

        // A name can reach `review` only if the query's coverage A / W_q >= 2 * bound - 1 (its own
        // coverage is at most 1), where `bound` leaves room for the qualifiers this query can earn.
        // Tokens too light to supply that do not generate candidates; tokens that reach no listed
        // token supply nothing.
        let bound = review - maximumBonus
        let need = (2 * bound - 1) * totalWeight
        var essential = [Bool](repeating: true, count: qn)
        var reachable = 0.0
        for info in infos where !info.related.isEmpty { reachable += info.weight }
        guard reachable >= need else { return }
        var light = 0.0
        for q in (0..<qn).sorted(by: { infos[$0].weight != infos[$1].weight ? infos[$0].weight < infos[$1].weight : $0 < $1 }) {
            if infos[q].related.isEmpty { essential[q] = false; continue }
            guard light + infos[q].weight < need else { break }
            light += infos[q].weight
            essential[q] = false
        }
        nameGeneration &+= 1
        candidates.removeAll(keepingCapacity: true)
        let generation = nameGeneration
        // A name whose heaviest token the query does not reach covers at most the rest of itself:
        // 0.5 * (reachable / W_q + 1 - share) must still reach the bound.
        let maximumShareMissed = 1 + reachable / totalWeight - 2 * bound
        let vocabularyStamp = vocabGeneration
        nameStamp.withUnsafeMutableBufferPointer { stamps in
            index.postingStart.withUnsafeBufferPointer { start in
                index.postings.withUnsafeBufferPointer { postings in
                    index.nameHeaviest.withUnsafeBufferPointer { heaviest in
                        index.nameHeaviestShare.withUnsafeBufferPointer { share in
                            vocabStamp.withUnsafeBufferPointer { vstamp in
                    for q in 0..<qn where essential[q] {
                        for (v, _) in infos[q].related {
                            for p in Int(start[Int(v)])..<Int(start[Int(v) + 1]) {
                                let name = Int(postings[p])
                                if stamps[name] != generation {
                                    stamps[name] = generation
                                    if vstamp[Int(heaviest[name])] != vocabularyStamp && share[name] > maximumShareMissed { continue }
                                    candidates.append(Int32(name))
                                }
                            }
                        }
                    }
                            }
                        }
                    }
                }
            }
        }
        candidatesScored += candidates.count
        scratchBest.removeAll(keepingCapacity: true)
        scratchBest.append(contentsOf: repeatElement(0, count: qn))
        let vocabularyGeneration = vocabGeneration
        // Flat, unchecked views of the index for the loop that scores every candidate.
        index.nameTokenStart.withUnsafeBufferPointer { tokenStart in
        index.nameTokenIDs.withUnsafeBufferPointer { tokenIDs in
        index.weights.withUnsafeBufferPointer { weights in
        vocabStamp.withUnsafeBufferPointer { vstamp in
        vocabSlot.withUnsafeBufferPointer { vslot in
        slotSims.withUnsafeBufferPointer { sims in
        scratchBest.withUnsafeMutableBufferPointer { bestPerQuery in
        for name in candidates {
            let n = Int(name)
            for q in 0..<qn { bestPerQuery[q] = 0 }
            var listCovered = 0.0
            for t in Int(tokenStart[n])..<Int(tokenStart[n + 1]) {
                let ci = Int(tokenIDs[t])
                guard vstamp[ci] == vocabularyGeneration else { continue }
                let base = Int(vslot[ci]) * qn
                var bestForToken = 0.0
                for q in 0..<qn {
                    let s = sims[base + q]
                    if s > bestPerQuery[q] { bestPerQuery[q] = s }
                    if s > bestForToken { bestForToken = s }
                }
                listCovered += weights[ci] * bestForToken
            }
            var queryCovered = 0.0
            for q in 0..<qn { queryCovered += queryWeights[q] * bestPerQuery[q] }
            let queryCoverage = queryCovered / totalWeight, listCoverage = listCovered / index.nameWeight[n]
            if 0.5 * queryCoverage + 0.5 * listCoverage >= bound { found(n, queryCoverage, listCoverage) }
        }
        }}}}}}}
    }

    /// The qualifier features of a listed name for a query (legal form, country, address).
    func qualifiers(_ query: PartyQuery, legalForms: [String], name: Int, entry: Int, address: Set<[UInt32]>?) -> [MatchFeature] {
        var out: [MatchFeature] = []
        qualifiers(query, legalForms: legalForms, name: name, entry: entry, address: address) { value, weight, feature in
            out.append(MatchFeature(name: "\(feature)", value: value, weight: weight))
        }
        return out
    }

    /// Calls `feature` with each qualifier's value, weight and name, in a fixed order (the search's
    /// hot path sums them without building the list).
    @inline(__always)
    func qualifiers(_ query: PartyQuery, legalForms: [String], name: Int, entry: Int, address: Set<[UInt32]>?,
                    _ feature: (Double, Double, StaticString) -> Void) {
        let weights = index.configuration.weights
        let listed = index.nameLegalForms[name]
        if !legalForms.isEmpty && !listed.isEmpty {
            if legalForms.contains(where: listed.contains) {
                feature(1, weights.legalFormAgrees, "legal_form.agrees")
            } else {
                feature(1, -weights.legalFormDiffers, "legal_form.differs")
            }
        }
        if let country = query.country, !country.isEmpty, !index.entryCountries[entry].isEmpty {
            if index.entryCountries[entry].contains(country.uppercased()) {
                feature(1, weights.countryAgrees, "country.agrees")
            } else {
                feature(1, -weights.countryDiffers, "country.differs")
            }
        }
        if let address, !address.isEmpty, !index.entryAddressTokens[entry].isEmpty {
            let shared = address.filter(index.entryAddressTokens[entry].contains).count
            feature(Double(shared) / Double(address.count), weights.addressOverlap, "address.overlap")
        }
    }
}
