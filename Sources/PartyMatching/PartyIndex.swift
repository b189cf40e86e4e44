import Foundation

/// What the matcher knows of one list entry: its names (the first is the primary name, the others
/// aliases), countries (ISO alpha-2), addresses and identifiers.
public struct MatchableEntry: Sendable, Hashable {
    public var names: [String]
    public var countries: [String]
    public var addresses: [String]
    public var identifiers: [String]

    public init(names: [String], countries: [String] = [], addresses: [String] = [], identifiers: [String] = []) {
        self.names = names
        self.countries = countries
        self.addresses = addresses
        self.identifiers = identifiers
    }
}

/// An immutable search index over list entries: every name and alias normalized, a vocabulary of
/// tokens weighted by rarity, and blocking keys that lead from a query token to the vocabulary
/// tokens it may be compared with.
///
/// Blocking keys of a token: the token itself; for tokens of at least `typo_key_minimum_length`
/// letters, the token and each of its single-letter deletions (two tokens sharing one are at most
/// one substitution, insertion, deletion or transposition apart) and its consonant skeleton
/// (transliterations such as `muhammad`/`mohammed`). Only vocabulary tokens reached through a
/// shared key are compared, so a search costs a few dozen Jaro-Winkler comparisons per token plus
/// the candidates whose rare tokens it shares. Build once per set of lists; search with a
/// ``PartySearcher`` (one per thread).
///
/// ```swift
/// let index = PartyIndex(entries: [MatchableEntry(names: ["Huawei Technologies Co., Ltd."], countries: ["CN"])],
///                        configuration: configuration)
/// var searcher = PartySearcher(index: index)
/// searcher.search("HUAWEI TECHNOLOGIES COMPANY LIMITED").first?.score   // 1.0
/// ```
public final class PartyIndex: Sendable {
    public let configuration: MatchingConfiguration
    let normalizer: NameNormalizer
    let jaroWinkler: JaroWinkler
    let keyMaker: BlockingKeys
    public let entries: [MatchableEntry]

    // Names (every entry's names and aliases).
    let nameEntry: [Int32]
    let nameOrdinal: [Int32]
    let nameTokens: [[Int32]]
    /// The same, flat (CSR: `nameTokenStart[n] ..< nameTokenStart[n + 1]` into `nameTokenIDs`), for the scoring loop.
    let nameTokenStart: [Int32]
    let nameTokenIDs: [Int32]
    let nameLegalForms: [[String]]
    let nameWeight: [Double]
    /// Each name's heaviest token and its share of the name's weight (a candidate whose heaviest
    /// token the query does not reach cannot cover more than the rest of its name).
    let nameHeaviest: [Int32]
    let nameHeaviestShare: [Double]

    // Vocabulary.
    let vocabulary: [[UInt32]]
    let weights: [Double]
    let exact: [[UInt32]: Int32]
    /// Vocabulary tokens by their exact-key hash (joins and splits of query tokens are looked up
    /// without building arrays; a hit is confirmed against the token).
    let exactByHash: HashKeyTable
    /// Names containing each vocabulary token (CSR: `postingStart[v] ..< postingStart[v + 1]`).
    let postingStart: [Int32]
    let postings: [Int32]
    /// Blocking key -> vocabulary tokens (packed `start << 32 | count` into `keyTargets`).
    let keyRanges: HashKeyTable
    let keyTargets: [Int32]
    /// Weight of a query token that reaches no vocabulary token (as rare as a token can be).
    let unknownWeight: Double

    // Qualifiers.
    let entryCountries: [Set<String>]
    let entryAddressTokens: [Set<[UInt32]>]
    let identifierEntries: [String: [Int32]]

    // OFAC emulation: each name's words (legal forms kept) and their Soundex codes.
    let ofacWords: [[[UInt32]]]
    let ofacSoundex: [[String?]]
    let ofacFull: [[UInt32]]

    public init(entries: [MatchableEntry], configuration: MatchingConfiguration) {
        self.configuration = configuration
        self.entries = entries
        let normalizer = NameNormalizer(configuration)
        self.normalizer = normalizer
        self.jaroWinkler = JaroWinkler(configuration.jaroWinkler)
        let keyMaker = BlockingKeys(normalizer: normalizer, rules: configuration.tokens)
        self.keyMaker = keyMaker

        var nameEntry: [Int32] = [], nameOrdinal: [Int32] = [], normalized: [NormalizedName] = []
        var ofacWords: [[[UInt32]]] = [], ofacSoundex: [[String?]] = [], ofacFull: [[UInt32]] = []
        for (e, entry) in entries.enumerated() {
            for (k, listed) in entry.names.enumerated() {
                var seen: [NormalizedName] = []
                for name in PartyIndex.forms(of: listed) {
                    let n = normalizer.normalize(name)
                    guard !n.tokens.isEmpty, !seen.contains(n) else { continue }
                    seen.append(n)
                    nameEntry.append(Int32(e))
                    nameOrdinal.append(Int32(k))
                    normalized.append(n)
                    let words = normalizer.words(of: name)
                    ofacWords.append(words)
                    ofacSoundex.append(words.map(PhoneticKeys.soundex))
                    ofacFull.append(Array(words.joined(separator: [32])))
                }
            }
        }
        var exact: [[UInt32]: Int32] = [:]
        var vocabulary: [[UInt32]] = []
        var frequency: [Int32] = []
        var nameTokens: [[Int32]] = []
        nameTokens.reserveCapacity(normalized.count)
        for n in normalized {
            var ids: [Int32] = []
            for token in n.tokens {
                let id: Int32
                if let known = exact[token] {
                    id = known
                } else {
                    id = Int32(vocabulary.count)
                    exact[token] = id
                    vocabulary.append(token)
                    frequency.append(0)
                }
                if !ids.contains(id) { frequency[Int(id)] += 1 }
                ids.append(id)
            }
            nameTokens.append(ids)
        }
        let count = Double(max(1, normalized.count))
        let weights = frequency.map { PartyIndex.rarityWeight(documents: count, frequency: Double($0)) }
        self.unknownWeight = PartyIndex.rarityWeight(documents: count, frequency: 1)

        // Postings (names per token), CSR.
        var start = [Int32](repeating: 0, count: vocabulary.count + 1)
        for ids in nameTokens { for id in Set(ids) { start[Int(id) + 1] += 1 } }
        for v in 0..<vocabulary.count { start[v + 1] += start[v] }
        var fill = start
        var postings = [Int32](repeating: 0, count: Int(start[vocabulary.count]))
        for (n, ids) in nameTokens.enumerated() {
            for id in Set(ids).sorted() {
                postings[Int(fill[Int(id)])] = Int32(n)
                fill[Int(id)] += 1
            }
        }

        // Blocking keys, CSR.
        var pairs: [(UInt64, Int32)] = []
        for (v, token) in vocabulary.enumerated() {
            for key in keyMaker.keys(of: token) { pairs.append((key, Int32(v))) }
        }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var ranges: [(key: UInt64, value: UInt64)] = []
        var targets: [Int32] = []
        targets.reserveCapacity(pairs.count)
        var i = 0
        while i < pairs.count {
            let key = pairs[i].0
            let first = targets.count
            while i < pairs.count && pairs[i].0 == key {
                if targets.count == first || targets.last != pairs[i].1 { targets.append(pairs[i].1) }
                i += 1
            }
            ranges.append((key, UInt64(first) << 32 | UInt64(targets.count - first)))
        }

        self.nameEntry = nameEntry
        self.nameOrdinal = nameOrdinal
        self.nameTokens = nameTokens
        var tokenStart: [Int32] = [0]
        tokenStart.reserveCapacity(nameTokens.count + 1)
        for ids in nameTokens { tokenStart.append(tokenStart.last! + Int32(ids.count)) }
        self.nameTokenStart = tokenStart
        self.nameTokenIDs = nameTokens.flatMap { $0 }
        self.nameLegalForms = normalized.map(\.legalForms)
        let nameWeight = nameTokens.map { ids in ids.reduce(0) { $0 + weights[Int($1)] } }
        self.nameWeight = nameWeight
        let heaviest = nameTokens.map { ids in ids.max { weights[Int($0)] < weights[Int($1)] } ?? 0 }
        self.nameHeaviest = heaviest
        self.nameHeaviestShare = heaviest.indices.map { nameWeight[$0] > 0 ? weights[Int(heaviest[$0])] / nameWeight[$0] : 0 }
        self.vocabulary = vocabulary
        self.weights = weights
        self.exact = exact
        self.exactByHash = HashKeyTable(vocabulary.enumerated().map { (BlockingKeys.hash($0.element, tag: 1), UInt64($0.offset)) })
        self.postingStart = start
        self.postings = postings
        self.keyRanges = HashKeyTable(ranges)
        self.keyTargets = targets
        self.entryCountries = entries.map { Set($0.countries.map { $0.uppercased() }) }
        self.entryAddressTokens = entries.map { entry in Set(entry.addresses.flatMap { normalizer.words(of: $0) }) }
        var identifiers: [String: [Int32]] = [:]
        for (e, entry) in entries.enumerated() {
            for id in entry.identifiers {
                let key = PartyIndex.identifierKey(id)
                if !key.isEmpty { identifiers[key, default: []].append(Int32(e)) }
            }
        }
        self.identifierEntries = identifiers
        self.ofacWords = ofacWords
        self.ofacSoundex = ofacSoundex
        self.ofacFull = ofacFull
    }

    /// The forms under which a listed name is indexed: as written; without its parenthetical parts
    /// (`Gulf Eagle Contracting (GEC)` -> `Gulf Eagle Contracting`); each parenthetical part alone
    /// (`GEC`); and the text before a `;` (`X; and any successor, sub-unit, or subsidiary thereof`).
    /// All count as the listed name they come from.
    static func forms(of name: String) -> [String] {
        var out = [name]
        func add(_ form: String) {
            let trimmed = form.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: ",;"))
            if !trimmed.isEmpty, !out.contains(trimmed) { out.append(trimmed) }
        }
        if let semicolon = name.firstIndex(of: ";") { add(String(name[..<semicolon])) }
        if name.contains("(") {
            var outside = "", inside = "", depth = 0
            var parts: [String] = []
            for character in name {
                if character == "(" { depth += 1; if depth == 1 { inside = "" }; continue }
                if character == ")" { depth = max(0, depth - 1); if depth == 0 { parts.append(inside) }; continue }
                if depth > 0 { inside.append(character) } else { outside.append(character) }
            }
            add(outside.replacingOccurrences(of: "  ", with: " "))
            parts.forEach(add)
        }
        return out
    }

    /// Number of names (entries' names and aliases) indexed.
    public var nameCount: Int { nameEntry.count }

    /// Rarity weight of a token found in `frequency` of `documents` names: `ln(1 + documents / frequency)`
    /// (inverse document frequency, smoothed; Robertson 2004).
    static func rarityWeight(documents: Double, frequency: Double) -> Double {
        log(1 + documents / max(1, frequency))
    }

    /// An identifier compared exactly: letters and digits only, upper case.
    public static func identifierKey(_ text: String) -> String {
        String(text.uppercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
    }

    /// The vocabulary tokens sharing a blocking key with `token`, without repeats, in index order.
    func related(to token: [UInt32]) -> [Int32] {
        var out: [Int32] = []
        for key in keyMaker.keys(of: token) {
            guard let packed = keyRanges[key] else { continue }
            let first = Int(packed >> 32), n = Int(packed & 0xFFFF_FFFF)
            for i in first..<(first + n) where !out.contains(keyTargets[i]) { out.append(keyTargets[i]) }
        }
        return out
    }

    /// `a` followed by `b` when that is a listed token (`hua` + `wei`), else nil.
    func listedToken(_ a: [UInt32], then b: [UInt32]) -> [UInt32]? {
        var h = BlockingKeys.hash(a, tag: 1)
        for scalar in b { h = BlockingKeys.step(h, scalar) }
        guard let v = exactByHash[h].map({ Int32($0) }) else { return nil }
        let token = vocabulary[Int(v)]
        guard token.count == a.count + b.count, token.starts(with: a), token[a.count...].elementsEqual(b) else { return nil }
        return token
    }

    /// The first cut (both halves at least two scalars) that splits `token` into two listed tokens, if any.
    func listedSplit(of token: [UInt32]) -> Int? {
        guard token.count >= 4 else { return nil }
        var prefix = BlockingKeys.seed(tag: 1)
        for cut in 1..<(token.count - 1) {
            prefix = BlockingKeys.step(prefix, token[cut - 1])
            guard cut >= 2, let p = exactByHash[prefix], vocabulary[Int(p)].elementsEqual(token[..<cut]) else { continue }
            var suffix = BlockingKeys.seed(tag: 1)
            for scalar in token[cut...] { suffix = BlockingKeys.step(suffix, scalar) }
            if let q = exactByHash[suffix], vocabulary[Int(q)].elementsEqual(token[cut...]) { return cut }
        }
        return nil
    }

    /// Similarity of two tokens: 1 when equal; 0 when either holds a digit and they differ;
    /// otherwise Jaro-Winkler, or 0 below the floor.
    func tokenSimilarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
        if a == b { return 1 }
        if NameNormalizer.hasDigit(a) || NameNormalizer.hasDigit(b) { return 0 }
        let s = jaroWinkler.similarity(a, b)
        return s >= configuration.tokens.similarityFloor ? s : 0
    }
}

/// Blocking keys of a token (see ``PartyIndex``), as 64-bit FNV-1a hashes tagged by kind: for
/// the token as written and, when different, with its plural ending folded.
struct BlockingKeys: Sendable {
    let normalizer: NameNormalizer
    let typoMinimumLength: Int
    let folds: [(from: [UInt32], to: [UInt32])]

    init(normalizer: NameNormalizer, rules: TokenRules) {
        self.normalizer = normalizer
        self.typoMinimumLength = rules.typoKeyMinimumLength
        self.folds = rules.phoneticFolds.map { (Array($0.from.unicodeScalars.map(\.value)), Array($0.to.unicodeScalars.map(\.value))) }
    }

    func keys(of token: [UInt32]) -> [UInt64] {
        var keys = forms(token)
        let folded = normalizer.folded(token)
        if folded != token { for key in forms(folded) where !keys.contains(key) { keys.append(key) } }
        return keys
    }

    private func forms(_ token: [UInt32]) -> [UInt64] {
        var keys = [BlockingKeys.hash(token, tag: 1)]
        guard token.count >= typoMinimumLength, !NameNormalizer.hasDigit(token) else { return keys }
        keys.append(BlockingKeys.hash(token, tag: 2))
        for skip in 0..<token.count { keys.append(BlockingKeys.hash(token, tag: 2, skipping: skip)) }
        keys.append(BlockingKeys.hash(PhoneticKeys.skeleton(phonetic(token)), tag: 3))
        return keys
    }

    /// The token with the phonetic folds applied, left to right.
    func phonetic(_ token: [UInt32]) -> [UInt32] {
        guard !folds.isEmpty else { return token }
        var out: [UInt32] = []
        out.reserveCapacity(token.count + 2)
        var i = 0
        outer: while i < token.count {
            for (from, to) in folds where i + from.count <= token.count && token[i..<(i + from.count)].elementsEqual(from) {
                out += to
                i += from.count
                continue outer
            }
            out.append(token[i])
            i += 1
        }
        return out
    }

    static func hash(_ token: [UInt32], tag: UInt64, skipping: Int = -1) -> UInt64 {
        var h = seed(tag: tag)
        for (i, scalar) in token.enumerated() where i != skipping { h = step(h, scalar) }
        return h
    }

    @inline(__always) static func seed(tag: UInt64) -> UInt64 { 0xCBF2_9CE4_8422_2325 ^ (tag &* 0x9E37_79B9_7F4A_7C15) }

    @inline(__always) static func step(_ h: UInt64, _ scalar: UInt32) -> UInt64 { (h ^ UInt64(scalar)) &* 0x0000_0100_0000_01B3 }
}
