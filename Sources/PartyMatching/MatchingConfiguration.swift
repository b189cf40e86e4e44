/// Every number and word list the matcher uses, read from `parties/matching.yaml` (bundled with
/// `RuleData`); the code holds only the mechanisms.
///
/// ```yaml
/// algorithms:
///   default: {match: 0.9, review: 0.75, source: "tuned on the tuning half of data/parties/labelled-pairs.csv", confidence: medium}
///   ofac:    {match: 0.95, review: 0.85, source: "OFAC FAQ 247/249 ...", confidence: low}
/// ```
public struct MatchingConfiguration: Codable, Sendable, Hashable {
    /// Thresholds of each algorithm (`default`, `ofac`).
    public var algorithms: [String: Thresholds]
    public var jaroWinkler: JaroWinklerParameters
    public var tokens: TokenRules
    public var weights: FeatureWeights
    public var ofac: OFACParameters
    /// Legal-form words: each group's variants (as written) are read as its canonical form.
    public var legalForms: [LegalFormGroup]
    public var source: String

    public init(algorithms: [String: Thresholds], jaroWinkler: JaroWinklerParameters, tokens: TokenRules,
                weights: FeatureWeights, ofac: OFACParameters, legalForms: [LegalFormGroup], source: String) {
        self.algorithms = algorithms
        self.jaroWinkler = jaroWinkler
        self.tokens = tokens
        self.weights = weights
        self.ofac = ofac
        self.legalForms = legalForms
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case algorithms
        case jaroWinkler = "jaro_winkler"
        case tokens, weights, ofac
        case legalForms = "legal_forms"
        case source
    }

    /// The thresholds of an algorithm; nil for an unknown one.
    public func thresholds(_ algorithm: MatchAlgorithm) -> Thresholds? { algorithms[algorithm.rawValue] }
}

/// Scores at or above `match` are matches; at or above `review`, possible matches (never cleared
/// silently); below, nothing.
public struct Thresholds: Codable, Sendable, Hashable {
    public var match: Double
    public var review: Double
    public var source: String
    public var confidence: String

    public init(match: Double, review: Double, source: String, confidence: String) {
        self.match = match
        self.review = review
        self.source = source
        self.confidence = confidence
    }
}

/// Jaro-Winkler (Winkler 1990): the prefix bonus applies above `boost_threshold`, for a common
/// prefix of at most `prefix_length` characters, scaled by `prefix_scale`.
public struct JaroWinklerParameters: Codable, Sendable, Hashable {
    public var prefixScale: Double
    public var prefixLength: Int
    public var boostThreshold: Double

    public init(prefixScale: Double, prefixLength: Int, boostThreshold: Double) {
        self.prefixScale = prefixScale
        self.prefixLength = prefixLength
        self.boostThreshold = boostThreshold
    }

    enum CodingKeys: String, CodingKey {
        case prefixScale = "prefix_scale"
        case prefixLength = "prefix_length"
        case boostThreshold = "boost_threshold"
    }
}

/// How names become tokens and which tokens may be compared.
public struct TokenRules: Codable, Sendable, Hashable {
    /// Two tokens count as similar only at or above this Jaro-Winkler similarity.
    public var similarityFloor: Double
    /// Tokens at least this long get typo (single-deletion) and phonetic blocking keys.
    public var typoKeyMinimumLength: Int
    /// Plural endings read as the singular (`technologies` -> `technology`) for blocking, for tokens
    /// longer than `plural_minimum_length` (tokens are compared as written).
    public var pluralSuffixes: [SuffixRule]
    public var pluralMinimumLength: Int
    /// Characters removed inside a token (`S.A.` -> `sa`, `Qar'awi` -> `qarawi`); others separate tokens.
    public var joiningCharacters: String
    /// Characters read as a word (`&` -> `and`).
    public var wordCharacters: [String: String]
    /// Spellings of one sound, made equal before the consonant skeleton is taken (`ph` -> `f`).
    public var phoneticFolds: [SpellingFold]

    public init(similarityFloor: Double, typoKeyMinimumLength: Int, pluralSuffixes: [SuffixRule], pluralMinimumLength: Int,
                joiningCharacters: String, wordCharacters: [String: String], phoneticFolds: [SpellingFold] = []) {
        self.similarityFloor = similarityFloor
        self.typoKeyMinimumLength = typoKeyMinimumLength
        self.pluralSuffixes = pluralSuffixes
        self.pluralMinimumLength = pluralMinimumLength
        self.joiningCharacters = joiningCharacters
        self.wordCharacters = wordCharacters
        self.phoneticFolds = phoneticFolds
    }

    enum CodingKeys: String, CodingKey {
        case similarityFloor = "similarity_floor"
        case typoKeyMinimumLength = "typo_key_minimum_length"
        case pluralSuffixes = "plural_suffixes"
        case pluralMinimumLength = "plural_minimum_length"
        case joiningCharacters = "joining_characters"
        case wordCharacters = "word_characters"
        case phoneticFolds = "phonetic_folds"
    }
}

/// `{from: ph, to: f}`: a spelling read as another for phonetic keys.
public struct SpellingFold: Codable, Sendable, Hashable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}

/// `suffix` is replaced by `replacement` unless the token ends with one of `except`.
public struct SuffixRule: Codable, Sendable, Hashable {
    public var suffix: String
    public var replacement: String
    public var except: [String]?

    public init(suffix: String, replacement: String, except: [String]? = nil) {
        self.suffix = suffix
        self.replacement = replacement
        self.except = except
    }
}

/// Weights of the features added to the name similarity (the name features weigh 1 in total).
public struct FeatureWeights: Codable, Sendable, Hashable {
    /// Both names carry legal forms and share one.
    public var legalFormAgrees: Double
    /// Both names carry legal forms and share none (a weak signal against).
    public var legalFormDiffers: Double
    /// The party's country is one of the entry's.
    public var countryAgrees: Double
    /// The party's country is known and the entry's countries do not include it.
    public var countryDiffers: Double
    /// Share of the party's address tokens found in the entry's addresses.
    public var addressOverlap: Double

    public init(legalFormAgrees: Double, legalFormDiffers: Double, countryAgrees: Double, countryDiffers: Double,
                addressOverlap: Double) {
        self.legalFormAgrees = legalFormAgrees
        self.legalFormDiffers = legalFormDiffers
        self.countryAgrees = countryAgrees
        self.countryDiffers = countryDiffers
        self.addressOverlap = addressOverlap
    }

    enum CodingKeys: String, CodingKey {
        case legalFormAgrees = "legal_form_agrees"
        case legalFormDiffers = "legal_form_differs"
        case countryAgrees = "country_agrees"
        case countryDiffers = "country_differs"
        case addressOverlap = "address_overlap"
    }
}

/// OFAC Sanctions List Search emulation (OFAC FAQ 249): candidates share the first letter and are
/// at least `minimum_edit_similarity` similar by edit distance; the score is the higher of the
/// whole-name Jaro-Winkler and the mean over name parts of the best part score, where a part
/// scores the larger of Jaro-Winkler and `soundex_agreement` when the Soundex codes agree.
public struct OFACParameters: Codable, Sendable, Hashable {
    public var minimumEditSimilarity: Double
    public var soundexAgreement: Double
    public var source: String

    public init(minimumEditSimilarity: Double, soundexAgreement: Double, source: String) {
        self.minimumEditSimilarity = minimumEditSimilarity
        self.soundexAgreement = soundexAgreement
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case minimumEditSimilarity = "minimum_edit_similarity"
        case soundexAgreement = "soundex_agreement"
        case source
    }
}

/// A legal form and the ways it is written: `{canonical: ltd, variants: [ltd, limited]}`.
/// Variants may be several words (`joint stock company`) or a CJK suffix (`有限公司`).
public struct LegalFormGroup: Codable, Sendable, Hashable {
    public var canonical: String
    public var variants: [String]

    public init(canonical: String, variants: [String]) {
        self.canonical = canonical
        self.variants = variants
    }
}

/// `default`: token-set Jaro-Winkler weighted by rarity, with qualifiers; `ofac`: an emulation of
/// OFAC's Sanctions List Search (FAQ 249).
public enum MatchAlgorithm: String, Sendable, CaseIterable, Codable {
    case `default`, ofac
}
