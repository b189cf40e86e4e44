import ComputeMetrics
import DiffusionRules
import Foundation
import RuleData

/// The loaded rule book and helpers to name regimes (built-in ids or pack files).
struct RuleContext {
    var book: RuleBook

    static func load() throws -> RuleContext {
        RuleContext(book: try RuleBookLoader.loadBundled())
    }

    /// A regime id for a built-in name or a pack file path (the pack is added to the book).
    mutating func regimeID(_ name: String) throws -> String {
        if book.regimes[name] != nil { return name }
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || FileManager.default.fileExists(atPath: name) {
            return try RuleBookLoader.addPack(at: name, to: &book)
        }
        throw InputError("--regime \"\(name)\" is neither a built-in regime (\(book.regimes.keys.sorted().joined(separator: ", "))) nor a pack file")
    }

    mutating func compile(_ name: String) throws -> CompiledRegime {
        let id = try regimeID(name) // may add a pack to `book`: resolve it before compiling
        return try book.compile(regime: id)
    }
}
