import DiffusionRules
import PartyScreening
import SeededRandom

/// Synthetic list entries and counterparty names for `bench parties`, shaped like the sample lists:
/// companies (a distinctive word or two, zero to two common words, a legal form) and people (given
/// and family names), a third with aliases, addresses with a country; counterparties drawn from the
/// same words, a few of them variants of listed names (case, legal form, typo, word order).
/// Deterministic for a seed.
///
/// ```swift
/// let entries = SyntheticParties.entries(30_000, seed: 7, words: commonWords)
/// let names = SyntheticParties.counterparties(1_000_000, listed: entries, seed: 7, words: commonWords)
/// ```
public enum SyntheticParties {
    /// Consonant-vowel syllables (90): distinctive words are 3-4 of them, a space of millions, so an
    /// unlisted name shares a distinctive word with a listed one about as rarely as real names do.
    static let syllables: [String] = Array("bcdfghjklmnprstvwz").flatMap { c in Array("aeiou").map { String(c) + String($0) } }
    /// Given names repeat in real lists; family names are drawn like distinctive words.
    static let givenNames = ["Mohammed", "Ali", "Ahmad", "Hassan", "Wei", "Li", "Jun", "Ivan", "Sergei", "Alexander", "Maria", "Elena",
                             "John", "David", "Kim", "Park", "Abdul", "Omar", "Yusuf", "Reza", "Hamid", "Chen", "Lin", "Jose", "Carlos"]
    /// Common words of listed names (as in the sample lists), shared by listed and unlisted names.
    public static let commonWords = [
        "Trading", "International", "Technology", "Group", "Industrial", "Research", "Institute", "Electronics", "Shipping",
        "Logistics", "Engineering", "Import", "Export", "General", "Aviation", "Services", "Holdings", "Investment", "Development",
        "China", "Gulf", "Science", "Systems", "Industries", "Bank", "Plant", "Scientific", "Production", "Association", "Center",
        "Construction", "Energy", "Petroleum", "Marine", "Commercial", "Military", "Aerospace", "National", "Computing", "Semiconductor",
    ]
    static let legalForms = ["Co., Ltd.", "Ltd.", "LLC", "Limited", "Inc.", "Corporation", "GmbH", "FZE", "JSC", "S.A.", "Pte. Ltd.", "OOO", ""]
    static let countries = ["CN", "HK", "AE", "RU", "IR", "TR", "SG", "MY", "US", "GB", "DE", "IN", "PK", "SY", "BY", "KP"]
    static let lists: [(code: String, source: String, weight: Int)] = [
        ("entity_list", "Entity List (EL) - Bureau of Industry and Security", 20), ("sdn", "Specially Designated Nationals (SDN) - Treasury Department", 25),
        ("ssi", "Sectoral Sanctions Identifications List (SSI) - Treasury Department", 15), ("dpl", "Denied Persons List (DPL) - Bureau of Industry and Security", 25),
        ("meu", "Military End User (MEU) List - Bureau of Industry and Security", 5), ("uvl", "Unverified List (UVL) - Bureau of Industry and Security", 5),
        ("dtc", "ITAR Debarred (DTC) - State Department", 5),
    ]

    struct Draw {
        var random: Xoshiro256StarStar
        mutating func int(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
        mutating func chance(_ p: Double) -> Bool { random.uniform() < p }
        mutating func word(syllables count: Int? = nil) -> String {
            var w = ""
            for _ in 0..<(count ?? 4) { w += pick(syllables) }
            return w.prefix(1).uppercased() + w.dropFirst()
        }
    }

    static func companyName(_ d: inout Draw, words: [String]) -> String {
        var parts = [d.word()]
        if d.chance(0.4) { parts.append(d.word()) }
        for _ in 0..<d.int(3) where !words.isEmpty { parts.append(d.pick(words)) }
        let form = d.pick(legalForms)
        return (parts + (form.isEmpty ? [] : [form])).joined(separator: " ")
    }

    static func personName(_ d: inout Draw) -> String {
        let given = (0..<(1 + d.int(2))).map { _ in d.pick(givenNames) }
        return (given + [d.word(syllables: 3 + d.int(2))]).joined(separator: " ").uppercased()
    }

    /// `count` entries.
    public static func entries(_ count: Int, seed: UInt64, words: [String]) -> [ListEntry] {
        var d = Draw(random: Xoshiro256StarStar(seed: seed))
        let total = lists.reduce(0) { $0 + $1.weight }
        return (0..<count).map { i in
            var w = d.int(total)
            let list = lists.first { w -= $0.weight; return w < 0 }!
            let person = d.chance(0.35)
            let name = person ? personName(&d) : companyName(&d, words: words)
            let aliases = d.chance(0.33) ? (0..<(1 + d.int(2))).map { _ in person ? personName(&d) : companyName(&d, words: words) } : []
            let country = d.pick(countries)
            return ListEntry(id: "synthetic#\(i + 1)", list: list.code, listName: list.source, name: name, aliases: aliases,
                             countries: [country], addresses: ["\(1 + d.int(400)) \(d.word(syllables: 2)) Road, \(d.word(syllables: 2)), \(country)"],
                             federalRegisterNotice: "\(80 + d.int(10)) FR \(1000 + d.int(80_000))",
                             licenseRequirement: list.code == "entity_list" ? "For all items subject to the EAR." : nil,
                             licensePolicy: list.code == "entity_list" ? "Presumption of denial." : nil,
                             startDate: Day(ordinal: Day("2010-01-01")!.ordinal + Int32(d.int(5000))), file: "synthetic", row: i + 1)
        }
    }

    /// `count` counterparty names with their countries: `variantShare` of them variants of listed names.
    public static func counterparties(_ count: Int, listed: [ListEntry], seed: UInt64, words: [String],
                                      variantShare: Double = 0.02) -> [(name: String, country: String)] {
        var d = Draw(random: Xoshiro256StarStar(seed: seed ^ 0xC0FF_EE00))
        return (0..<count).map { _ in
            let country = d.pick(countries)
            guard d.chance(variantShare), !listed.isEmpty else {
                return (d.chance(0.3) ? personName(&d) : companyName(&d, words: words), country)
            }
            var name = d.pick(listed).name
            switch d.int(4) {
            case 0: name = name.uppercased()
            case 1: name = name.replacingOccurrences(of: "Ltd.", with: "Limited").replacingOccurrences(of: "Co.,", with: "Company")
            case 2:
                var letters = Array(name)
                if letters.count > 4 { letters.remove(at: 1 + d.int(letters.count - 2)) }
                name = String(letters)
            default: name = name.split(separator: " ").reversed().joined(separator: " ")
            }
            return (name, country)
        }
    }
}
