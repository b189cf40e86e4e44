/// Phonetic codes of a token (lower-case Unicode scalars).
///
/// ```swift
/// PhoneticKeys.soundex(Array("robert".unicodeScalars.map(\.value)))   // "r163"
/// PhoneticKeys.skeleton(Array("muhammad".unicodeScalars.map(\.value))) == PhoneticKeys.skeleton(Array("mohammed".unicodeScalars.map(\.value)))
/// ```
public enum PhoneticKeys {
    /// American Soundex (US National Archives, "The Soundex Indexing System", 2007): the first
    /// letter and three digits; `h` and `w` do not separate letters of the same code. Letters
    /// outside a-z are ignored; nil when the token has none.
    public static func soundex(_ token: [UInt32]) -> String? {
        var letters = token.lazy.filter { $0 >= 97 && $0 <= 122 }.makeIterator()
        guard let first = letters.next() else { return nil }
        var code = String(UnicodeScalar(UInt8(first)))
        var previous = digit(first)
        while let letter = letters.next(), code.count < 4 {
            let d = digit(letter)
            if letter == 104 || letter == 119 { continue } // h, w: keep `previous`
            if d != 0 && d != previous { code.append(Character(UnicodeScalar(UInt8(48 + d)))) }
            previous = d
        }
        while code.count < 4 { code.append("0") }
        return code
    }

    /// The Soundex digit of a lower-case letter (0 for vowels, y, h, w).
    private static func digit(_ letter: UInt32) -> UInt8 {
        switch UnicodeScalar(letter).map(Character.init) {
        case "b", "f", "p", "v": return 1
        case "c", "g", "j", "k", "q", "s", "x", "z": return 2
        case "d", "t": return 3
        case "l": return 4
        case "m", "n": return 5
        case "r": return 6
        default: return 0
        }
    }

    /// The consonant skeleton used as a blocking key: the first scalar, then the consonants other
    /// than `h` and `w`, with runs of the same consonant written once (`muhammad` and `mohammed`
    /// both give `md`). Transliterations that differ in vowels or doubled letters share it.
    public static func skeleton(_ token: [UInt32]) -> [UInt32] {
        guard let first = token.first else { return [] }
        var out: [UInt32] = [first]
        out.reserveCapacity(token.count)
        for scalar in token.dropFirst() {
            switch scalar {
            case 97, 101, 105, 111, 117, 121, 104, 119: continue // a e i o u y h w
            default:
                if out.last != scalar { out.append(scalar) }
            }
        }
        return out
    }
}
