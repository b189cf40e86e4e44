import Foundation

/// A name reduced to what is compared: its core tokens (lower case, no diacritics or punctuation)
/// and, apart, the canonical legal forms it carries (a weak signal only).
public struct NormalizedName: Sendable, Hashable {
    /// Core tokens, as Unicode scalars, in the order written.
    public var tokens: [[UInt32]]
    /// Canonical legal forms found (`co`, `ltd`, ...), sorted, without repeats.
    public var legalForms: [String]

    public init(tokens: [[UInt32]], legalForms: [String]) {
        self.tokens = tokens
        self.legalForms = legalForms
    }

    /// The core tokens as text, separated by spaces (`huawei technology`).
    public var text: String { tokens.map(NameNormalizer.string).joined(separator: " ") }
}

/// Turns a name as written into a ``NormalizedName``:
///
/// 1. Unicode compatibility decomposition (NFKD, so full-width and ligature forms read as their
///    plain letters), combining marks dropped (diacritics), then recomposed (NFC): together the
///    NFKC form without diacritics;
/// 2. lower case;
/// 3. letters and digits form tokens; `joining_characters` (`.`, `'`) are dropped inside a token
///    (`S.A.` -> `sa`); `word_characters` become words (`&` -> `and`); anything else separates;
/// 4. legal-form words (`Co., Ltd.`, `Company Limited`, `GmbH`, `有限公司`, ...) are set apart as
///    their canonical forms, unless nothing else is left;
///
/// Plural endings (`technologies` -> `technology`) are folded only for blocking keys (``folded(_:)``):
/// a name such as `Rojas` is not a plural, and its typo `Rojus` must still reach it.
///
/// ```swift
/// let n = NameNormalizer(configuration)
/// n.normalize("Huawei Technologies Co., Ltd.").text          // "huawei technologies"
/// n.normalize("Huawei Technologies Company Limited").legalForms  // ["co", "ltd"]
/// ```
public struct NameNormalizer: Sendable {
    private let joining: Set<UInt32>
    private let wordCharacters: [UInt32: [UInt32]]
    private let plural: [(suffix: [UInt32], replacement: [UInt32], except: [[UInt32]])]
    private let pluralMinimumLength: Int
    /// Legal-form variants by their first word: the variant's words and its canonical forms.
    private let legalByFirstWord: [[UInt32]: [(words: [[UInt32]], canonical: [String])]]
    /// CJK legal forms matched as the end of a word (longest first).
    private let legalSuffixes: [(suffix: [UInt32], canonical: [String])]

    public init(_ configuration: MatchingConfiguration) {
        let rules = configuration.tokens
        self.joining = Set(rules.joiningCharacters.unicodeScalars.map(\.value))
        var words: [UInt32: [UInt32]] = [:]
        for (character, word) in rules.wordCharacters {
            if let scalar = character.unicodeScalars.first { words[scalar.value] = word.unicodeScalars.map(\.value) }
        }
        self.wordCharacters = words
        self.plural = rules.pluralSuffixes.map { rule in
            (Array(rule.suffix.unicodeScalars.map(\.value)), Array(rule.replacement.unicodeScalars.map(\.value)),
             (rule.except ?? []).map { Array($0.unicodeScalars.map(\.value)) })
        }
        self.pluralMinimumLength = rules.pluralMinimumLength
        // Variants are split into words by the same rules (no legal-form step, no plural folding).
        let bare = NameNormalizer(joining: joining, wordCharacters: words)
        var byFirst: [[UInt32]: [(words: [[UInt32]], canonical: [String])]] = [:]
        var suffixes: [(suffix: [UInt32], canonical: [String])] = []
        for group in configuration.legalForms {
            let canonical = group.canonical.split(separator: " ").map(String.init)
            for variant in group.variants {
                let variantWords = bare.words(of: variant)
                guard let first = variantWords.first else { continue }
                if variantWords.count == 1, first.contains(where: NameNormalizer.isCJK) {
                    suffixes.append((first, canonical))
                } else {
                    byFirst[first, default: []].append((variantWords, canonical))
                }
            }
        }
        for key in byFirst.keys { byFirst[key]!.sort { $0.words.count > $1.words.count } }
        self.legalByFirstWord = byFirst
        self.legalSuffixes = suffixes.sorted { $0.suffix.count > $1.suffix.count }
    }

    private init(joining: Set<UInt32>, wordCharacters: [UInt32: [UInt32]]) {
        self.joining = joining
        self.wordCharacters = wordCharacters
        self.plural = []
        self.pluralMinimumLength = .max
        self.legalByFirstWord = [:]
        self.legalSuffixes = []
    }

    /// The normalized name.
    public func normalize(_ name: String) -> NormalizedName {
        var raw = words(of: name)
        // CJK legal-form suffixes split off their word (`华为技术有限公司` -> `华为技术` + `有限公司`).
        var legal: [String] = []
        if !legalSuffixes.isEmpty {
            var split: [[UInt32]] = []
            for word in raw {
                var rest = word
                var found = true
                while found {
                    found = false
                    for (suffix, canonical) in legalSuffixes where rest.count > suffix.count && rest.suffix(suffix.count).elementsEqual(suffix) {
                        rest.removeLast(suffix.count)
                        legal += canonical
                        found = true
                        break
                    }
                }
                split.append(rest)
            }
            raw = split
        }
        var core: [[UInt32]] = []
        var legalWords: [[UInt32]] = []
        var i = 0
        while i < raw.count {
            if let variants = legalByFirstWord[raw[i]],
               let hit = variants.first(where: { i + $0.words.count <= raw.count && Array(raw[i..<(i + $0.words.count)]) == $0.words }) {
                legal += hit.canonical
                legalWords += raw[i..<(i + hit.words.count)]
                i += hit.words.count
                continue
            }
            core.append(raw[i])
            i += 1
        }
        if core.isEmpty { core = legalWords } // a name made only of legal-form words keeps them
        return NormalizedName(tokens: core, legalForms: Array(Set(legal)).sorted())
    }

    /// Words of a name: steps 1-3 (case, diacritics, punctuation).
    public func words(of name: String) -> [[UInt32]] {
        var out: [[UInt32]] = []
        var current: [UInt32] = []
        func flush() {
            if !current.isEmpty { out.append(current); current.removeAll(keepingCapacity: true) }
        }
        /// A character that is not a letter or digit: dropped inside a word, a word of its own, or a separator.
        func between(_ scalar: UInt32) {
            if joining.contains(scalar) { return }
            flush()
            if let word = wordCharacters[scalar] { out.append(word) }
        }
        let ascii = name.utf8.allSatisfy { $0 < 0x80 }
        if ascii {
            for byte in name.utf8 {
                let scalar = UInt32(byte)
                if (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) {
                    current.append(scalar)
                } else if byte >= 65 && byte <= 90 {
                    current.append(scalar + 32)
                } else {
                    between(scalar)
                }
            }
            flush()
            return out
        }
        let decomposed = name.decomposedStringWithCompatibilityMapping
        var kept = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: kept.append(scalar)
            }
        }
        let composed = String(kept).precomposedStringWithCanonicalMapping
        for scalar in composed.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if scalar.properties.changesWhenLowercased {
                    for lower in scalar.properties.lowercaseMapping.unicodeScalars { current.append(lower.value) }
                } else {
                    current.append(scalar.value)
                }
            } else {
                between(scalar.value)
            }
        }
        flush()
        return out
    }

    /// The token with a plural ending folded (alphabetic tokens only), for blocking keys.
    public func folded(_ token: [UInt32]) -> [UInt32] {
        guard token.count > pluralMinimumLength, token.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { return token }
        for rule in plural where token.count > rule.suffix.count && token.suffix(rule.suffix.count).elementsEqual(rule.suffix) {
            if rule.except.contains(where: { token.suffix($0.count).elementsEqual($0) }) { return token }
            return Array(token.dropLast(rule.suffix.count)) + rule.replacement
        }
        return token
    }

    static func isCJK(_ scalar: UInt32) -> Bool {
        (0x3040...0x30FF).contains(scalar) || (0x3400...0x4DBF).contains(scalar) || (0x4E00...0x9FFF).contains(scalar)
            || (0xAC00...0xD7AF).contains(scalar) || (0xF900...0xFAFF).contains(scalar) || (0x20000...0x2FA1F).contains(scalar)
    }

    /// A token as text.
    public static func string(_ token: [UInt32]) -> String {
        var view = String.UnicodeScalarView()
        for value in token { if let scalar = UnicodeScalar(value) { view.append(scalar) } }
        return String(view)
    }

    /// Whether a token contains a digit (such tokens match only exactly: `13th` is not `14th`).
    static func hasDigit(_ token: [UInt32]) -> Bool { token.contains { $0 >= 48 && $0 <= 57 } }
}
