import NameMatching

/// The catalog of chips and systems that screening can name, with the aliases people type.
///
/// Lookup is case-insensitive and ignores spaces, hyphens, underscores and dots, so `"h100 sxm"`,
/// `"H100-SXM"` and `"H100SXM"` all find `NVIDIA H100 SXM5 80GB` when the alias table says so; a
/// name without its maker's word (`"Ascend 920"`) finds the maker's chip when no alias says otherwise.
/// An unknown name throws ``UnknownItemError`` with the closest names as suggestions.
///
/// The entries come from Epoch AI's "Data on Machine Learning Hardware" (CC BY 4.0) and a hand-kept
/// supplement; see the `RuleData` module for loading.
///
/// ```swift
/// let catalog = ChipCatalog(chips: [h100], aliases: ["H100": "NVIDIA H100 SXM5 80GB"])
/// try catalog.lookup("h100").tpp   // TPP(15832)
/// ```
public struct ChipCatalog: Sendable {
    /// All entries in a stable order (catalog file order).
    public let chips: [ChipSpec]
    private let indexByKey: [String: Int]
    /// Alias spellings by normalized key, for suggestions.
    private let aliasNames: [String]
    /// The aliases as given: typed name to canonical name.
    public let aliases: [String: String]

    /// Builds a catalog. Aliases map a typed name to a canonical `ChipSpec.name`; an alias that
    /// names no chip is ignored (the loader validates aliases and reports them).
    public init(chips: [ChipSpec], aliases: [String: String] = [:]) {
        self.chips = chips
        var index: [String: Int] = [:]
        for (i, chip) in chips.enumerated() {
            index[ChipCatalog.normalize(chip.name)] = i
        }
        // Names without the maker's word ("Ascend 920" for "Huawei Ascend 920"), where unambiguous.
        for (i, chip) in chips.enumerated() {
            let words = chip.name.split(separator: " ")
            guard words.count > 1, let maker = chip.manufacturer?.split(separator: " ").first, words[0] == maker else { continue }
            let short = ChipCatalog.normalize(words.dropFirst().joined(separator: " "))
            if index[short] == nil { index[short] = i }
        }
        var names: [String] = []
        for (alias, target) in aliases.sorted(by: { $0.key < $1.key }) {
            if let i = index[ChipCatalog.normalize(target)] {
                index[ChipCatalog.normalize(alias)] = i
                names.append(alias)
            }
        }
        self.indexByKey = index
        self.aliasNames = names
        self.aliases = aliases
    }

    /// The position of a chip in ``chips`` for a typed name or alias, or nil.
    public func index(of name: String) -> Int? {
        indexByKey[ChipCatalog.normalize(name)]
    }

    /// The chip for a typed name or alias. Throws ``UnknownItemError`` with suggestions.
    public func lookup(_ name: String) throws(UnknownItemError) -> ChipSpec {
        guard let i = index(of: name) else {
            throw UnknownItemError(name: name, suggestions: suggestions(for: name))
        }
        return chips[i]
    }

    /// Up to three catalog names or aliases closest to `name`.
    public func suggestions(for name: String, limit: Int = 3) -> [String] {
        let key = ChipCatalog.normalize(name)
        return EditDistance.ranked(name, among: aliasNames + chips.map(\.name),
                                   maxDistance: max(2, key.count / 2), limit: limit, key: ChipCatalog.normalize)
    }

    /// Lower-cases (ASCII) and drops spaces, hyphens, underscores, dots and parentheses.
    public static func normalize(_ name: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        for byte in name.utf8 {
            switch byte {
            case 0x20, 0x2D, 0x5F, 0x2E, 0x28, 0x29, 0x09: continue
            case 0x41...0x5A: bytes.append(byte + 32)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A chip or system name that is neither a catalog name nor an alias.
public struct UnknownItemError: Error, CustomStringConvertible, Sendable {
    public var name: String
    /// Closest catalog names or aliases.
    public var suggestions: [String]

    public var description: String {
        let hint = suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "\"\($0)\"" }.joined(separator: ", "))?)"
        return "\"\(name)\" is not in the chip catalog\(hint)"
    }
}
