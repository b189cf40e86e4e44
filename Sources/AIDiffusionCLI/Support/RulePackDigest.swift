import AllocationLedger
import DiffusionRules
import Foundation

/// The version of a rule pack written into signed receipts: SHA-256 over the regime definition and
/// each of its layers, encoded as JSON with sorted keys (so it changes exactly when the data does).
enum RulePackDigest {
    static func sha256(regime id: String, book: RuleBook) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var bytes: [UInt8] = []
        if let definition = book.regimes[id] {
            bytes += (try? encoder.encode(definition)).map(Array.init) ?? []
            for ref in definition.layers {
                bytes += Array("\n\(ref.layer)\n".utf8)
                if let layer = book.layers[ref.layer] { bytes += (try? encoder.encode(layer)).map(Array.init) ?? [] }
            }
        }
        return Digest.sha256Hex(bytes)
    }
}
