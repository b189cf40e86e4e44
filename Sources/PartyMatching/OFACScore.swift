import NameMatching

/// The `ofac` algorithm: an emulation of OFAC's Sanctions List Search as its FAQ 249 describes it
/// (ofac.treasury.gov/faqs/249, released 28 Apr 2021). Candidates share the first letter of the
/// name entered and are at least ``OFACParameters/minimumEditSimilarity`` similar by edit distance
/// (1 - Levenshtein / longer length). The score is the higher of two techniques:
/// 1. Jaro-Winkler of the whole name against the whole listed name;
/// 2. each name part entered against the listed name's parts, scoring the larger of Jaro-Winkler
///    and ``OFACParameters/soundexAgreement`` when the Soundex codes agree; the composite is the
///    mean over the parts entered.
///
/// OFAC does not publish how parts are combined or what a Soundex agreement is worth: those two
/// choices are this emulation's, in `parties/matching.yaml` with a `low` grade. Legal forms are
/// kept (OFAC compares the name as entered); country and address are not used.
enum OFACScore {
    /// The score of one listed name, or nil when it is not a candidate.
    static func score(_ words: [[UInt32]], name: Int, in index: PartyIndex) -> Double? {
        explain(words, name: name, in: index).map { max($0.full, $0.parts) }
    }

    /// Both techniques' scores, or nil when the name is not a candidate.
    static func explain(_ words: [[UInt32]], name: Int, in index: PartyIndex) -> (full: Double, parts: Double)? {
        guard !words.isEmpty else { return nil }
        let full = Array(words.joined(separator: [32]))
        let listed = index.ofacFull[name]
        guard full.first == listed.first else { return nil }
        let longer = Double(max(full.count, listed.count))
        let distance = Double(EditDistance.levenshtein(NameNormalizer.string(full), NameNormalizer.string(listed)))
        guard 1 - distance / longer >= index.configuration.ofac.minimumEditSimilarity else { return nil }
        let jw = index.jaroWinkler
        let whole = jw.similarity(full, listed)
        var total = 0.0
        for word in words {
            let code = PhoneticKeys.soundex(word)
            var best = 0.0
            for (k, part) in index.ofacWords[name].enumerated() {
                var s = jw.similarity(word, part)
                if let code, code == index.ofacSoundex[name][k] { s = max(s, index.configuration.ofac.soundexAgreement) }
                best = max(best, s)
            }
            total += best
        }
        return (whole, total / Double(words.count))
    }
}
