import PartyMatching
import Testing

@Suite("Matching primitives against published values")
struct PrimitiveTests {
    let jw = JaroWinkler(configuration.jaroWinkler)

    /// Winkler (1990) and the Jaro-Winkler literature's worked examples: MARTHA/MARHTA 0.961,
    /// DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813.
    @Test("Jaro-Winkler reproduces the published examples")
    func jaroWinkler() {
        #expect(abs(jw.similarity(scalars("martha"), scalars("marhta")) - 0.9611) < 0.0001)
        #expect(abs(jw.similarity(scalars("dwayne"), scalars("duane")) - 0.84) < 0.0001)
        #expect(abs(jw.similarity(scalars("dixon"), scalars("dicksonx")) - 0.8133) < 0.0001)
        #expect(jw.similarity(scalars("abc"), scalars("xyz")) == 0)
        #expect(jw.similarity(scalars("same"), scalars("same")) == 1)
    }

    /// US National Archives, "The Soundex Indexing System": Robert and Rupert R163, Ashcraft A261,
    /// Tymczak T522, Pfister P236, Honeyman H555.
    @Test("Soundex reproduces the National Archives examples")
    func soundex() {
        for (name, code) in [("robert", "r163"), ("rupert", "r163"), ("ashcraft", "a261"), ("tymczak", "t522"),
                             ("pfister", "p236"), ("honeyman", "h555")] {
            #expect(PhoneticKeys.soundex(scalars(name)) == code, "\(name)")
        }
    }

    @Test("Normalization: NFKC, case, diacritics, punctuation; legal forms apart")
    func normalization() {
        let n = NameNormalizer(configuration)
        #expect(n.normalize("ＨＵＡＷＥＩ Technologies").text == "huawei technologies")        // full-width (NFKC)
        #expect(n.normalize("Société Générale S.A.").text == "societe generale")
        #expect(n.normalize("Société Générale S.A.").legalForms == ["sa"])
        #expect(n.normalize("Gulf Gate Shipping Co., Ltd.").legalForms == ["co", "ltd"])
        #expect(n.normalize("GULF GATE SHIPPING COMPANY LIMITED").legalForms == ["co", "ltd"])
        #expect(n.normalize("Qar'awi & Sons").text == "qarawi and sons")
        #expect(n.normalize("华为技术有限公司").text == "华为技术")
        #expect(n.normalize("华为技术有限公司").legalForms == ["co", "ltd"])
        #expect(n.normalize("Limited").text == "limited") // a name made only of legal-form words keeps them
        #expect(n.folded(scalars("technologies")) == scalars("technology"))
        #expect(n.folded(scalars("rojus")) == scalars("rojus")) // `us` is not a plural ending
    }

    @Test("Legal forms alone never make a match")
    func legalFormsAreWeak() {
        let index = PartyIndex(entries: [MatchableEntry(names: ["Alpha Trading Co., Ltd."])], configuration: configuration)
        let searcher = PartySearcher(index: index)
        #expect(searcher.search(PartyQuery(name: "Beta Logistics Co., Ltd.")).isEmpty)
    }
}
