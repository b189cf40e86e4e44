import Foundation
import Yams

/// A problem in a YAML input file, located to the line and column of the offending key or value.
///
/// `description` is the one-line message the command-line tool prints, for example
/// `my-pack.yaml:12:5: unknown key "alocation" (at caps.country_allocation)`.
public struct YAMLInputError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file name or path as given by the caller.
    public var file: String
    /// 1-based line, or nil when the problem is about the whole document.
    public var line: Int?
    /// 1-based column (Unicode scalars), or nil.
    public var column: Int?
    /// Dotted key path from the document root, e.g. `caps.lpp.limit.value`; empty for the root.
    public var keyPath: String
    /// What is wrong, in plain words.
    public var message: String

    public init(file: String, line: Int?, column: Int?, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        let path = keyPath.isEmpty ? "" : " (at \(keyPath))"
        return "\(location): \(message)\(path)"
    }
}

/// A semantic check that a decoded value performs after decoding (negative rates, min > max, ...).
///
/// Throw ``ValidationFailure`` with the key path of the offending field relative to the value being
/// validated; ``StrictYAML`` turns it into a ``YAMLInputError`` with the line of that key.
public protocol YAMLValidatable {
    func validate() throws(ValidationFailure)
}

/// A semantic problem found by ``YAMLValidatable/validate()``.
public struct ValidationFailure: Error, Sendable {
    /// Keys from the validated value down to the offending field (`["priors", "growth", "min"]`).
    public var path: [String]
    public var message: String

    public init(path: [String], message: String) {
        self.path = path
        self.message = message
    }

    /// The same failure seen from one level up (prefixes `key` to the path).
    public func nested(under key: String) -> ValidationFailure {
        ValidationFailure(path: [key] + path, message: message)
    }
}

/// Decodes `Codable` values from YAML strictly: syntax errors, type errors, missing fields,
/// **unknown keys** and failed ``YAMLValidatable`` checks all become a ``YAMLInputError`` naming the
/// file, line, column and key.
///
/// ```swift
/// let pack = try StrictYAML.decode(RuleLayer.self, fromFile: "my-pack.yaml")
/// ```
///
/// Unknown keys are found by re-encoding the decoded value and comparing mapping keys with the
/// document: a key that the type did not read is reported. Keys whose value is `null` are accepted.
public enum StrictYAML {
    /// Reads and decodes a file. Throws ``YAMLInputError`` (also for unreadable or non-UTF-8 files).
    ///
    /// `bundled: true` is for files shipped with the package (a test decodes them strictly): it skips
    /// the unknown-key pass and resolves only booleans and nulls, which halves start-up time.
    public static func decode<T: Codable>(_ type: T.Type, fromFile path: String, displayName: String? = nil,
                                          bundled: Bool = false) throws(YAMLInputError) -> T {
        let name = displayName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw YAMLInputError(file: name, line: nil, column: nil, keyPath: "", message: "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw YAMLInputError(file: name, line: nil, column: nil, keyPath: "", message: "file is not valid UTF-8")
        }
        let node = try compose(text, file: name, resolver: bundled ? bundledResolver : .default)
        return try decode(type, node: node, file: name, checkUnknownKeys: !bundled)
    }

    /// Decodes YAML text; `file` is used in error messages only.
    public static func decode<T: Codable>(_ type: T.Type, from text: String, file: String) throws(YAMLInputError) -> T {
        try decode(type, node: compose(text, file: file), file: file)
    }

    /// Tag resolution for bundled files: booleans and nulls only (numbers and strings decode from
    /// plain scalars without resolution).
    static let bundledResolver = Resolver.basic.appending(.bool).appending(.null)

    /// Parses YAML text into a node tree (keeping line and column marks).
    public static func compose(_ text: String, file: String, resolver: Resolver = .default) throws(YAMLInputError) -> Node {
        do {
            guard let node = try Yams.compose(yaml: text, resolver) else {
                throw YAMLInputError(file: file, line: nil, column: nil, keyPath: "", message: "empty document")
            }
            return node
        } catch let error as YAMLInputError {
            throw error
        } catch {
            throw syntaxError(error, file: file)
        }
    }

    /// Reads and parses a file into a node tree.
    public static func compose(fileAt path: String, displayName: String? = nil) throws(YAMLInputError) -> Node {
        let name = displayName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw YAMLInputError(file: name, line: nil, column: nil, keyPath: "", message: "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw YAMLInputError(file: name, line: nil, column: nil, keyPath: "", message: "file is not valid UTF-8")
        }
        return try compose(text, file: name)
    }

    /// Decodes an already-parsed node strictly (see the type's documentation).
    public static func decode<T: Codable>(_ type: T.Type, node root: Node, file: String,
                                          checkUnknownKeys: Bool = true) throws(YAMLInputError) -> T {
        let value: T
        do {
            value = try YAMLDecoder().decode(T.self, from: root)
        } catch let error as DecodingError {
            throw decodingError(error, root: root, file: file)
        } catch {
            throw YAMLInputError(file: file, line: nil, column: nil, keyPath: "", message: "\(error)")
        }

        if checkUnknownKeys { try rejectUnknownKeys(in: value, root: root, file: file) }

        if let validatable = value as? YAMLValidatable {
            do {
                try validatable.validate()
            } catch {
                let mark = locate(path: error.path, in: root)
                throw YAMLInputError(file: file, line: mark?.line, column: mark?.column,
                                     keyPath: error.path.joined(separator: "."), message: error.message)
            }
        }
        return value
    }

    // MARK: - Overlays

    /// Deep-merges `overlay` onto `base`: mappings merge key by key; sequences whose items are all
    /// mappings with an `id` merge item by item (matching ids merge, new ids are appended); anything
    /// else in the overlay replaces the base. Marks of overlay nodes are kept, so errors point into
    /// the overlay's file.
    public static func merge(_ base: Node, _ overlay: Node) -> Node {
        switch (base, overlay) {
        case let (.mapping(baseMapping), .mapping(overlayMapping)):
            var pairs: [(Node, Node)] = baseMapping.map { ($0.key, $0.value) }
            for pair in overlayMapping {
                if let index = pairs.firstIndex(where: { $0.0 == pair.key }) {
                    pairs[index].1 = merge(pairs[index].1, pair.value)
                } else {
                    pairs.append((pair.key, pair.value))
                }
            }
            var merged = Node.Mapping(pairs, overlayMapping.tag, overlayMapping.style)
            merged.mark = overlayMapping.mark ?? baseMapping.mark
            return .mapping(merged)
        case let (.sequence(baseSequence), .sequence(overlaySequence)):
            guard let baseIDs = ids(baseSequence), let overlayIDs = ids(overlaySequence) else { return overlay }
            var items = Array(baseSequence)
            for (offset, item) in overlaySequence.enumerated() {
                if let index = baseIDs.firstIndex(of: overlayIDs[offset]) {
                    items[index] = merge(items[index], item)
                } else {
                    items.append(item)
                }
            }
            var merged = Node.Sequence(items, overlaySequence.tag, overlaySequence.style)
            merged.mark = overlaySequence.mark ?? baseSequence.mark
            return .sequence(merged)
        default:
            return overlay
        }
    }

    private static func ids(_ sequence: Node.Sequence) -> [String]? {
        var out: [String] = []
        for item in sequence {
            guard case let .mapping(mapping) = item, let id = mapping["id"]?.string else { return nil }
            out.append(id)
        }
        return out
    }

    // MARK: - Error mapping

    private static func syntaxError(_ error: Error, file: String) -> YAMLInputError {
        if let yaml = error as? YamlError {
            switch yaml {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                return YAMLInputError(file: file, line: mark.line, column: mark.column, keyPath: "", message: "YAML syntax: \(problem)")
            case let .duplicatedKeysInMapping(duplicates, context):
                return YAMLInputError(file: file, line: context.mark.line, column: context.mark.column, keyPath: "",
                                      message: "duplicate keys \(duplicates.joined(separator: ", "))")
            default:
                break
            }
        }
        return YAMLInputError(file: file, line: nil, column: nil, keyPath: "", message: "YAML syntax: \(error)")
    }

    private static func decodingError(_ error: DecodingError, root: Node, file: String) -> YAMLInputError {
        let path: [CodingKey]
        let message: String
        switch error {
        case let .keyNotFound(key, context):
            path = context.codingPath
            message = "missing required key \"\(key.stringValue)\""
        case let .typeMismatch(type, context):
            path = context.codingPath
            message = "expected \(describe(type)): \(context.debugDescription)"
        case let .valueNotFound(type, context):
            path = context.codingPath
            message = "missing value, expected \(describe(type))"
        case let .dataCorrupted(context):
            path = context.codingPath
            message = context.debugDescription
        @unknown default:
            path = []
            message = "\(error)"
        }
        let keys = path.map(pathComponent)
        let mark = locate(path: keys, in: root)
        return YAMLInputError(file: file, line: mark?.line, column: mark?.column,
                              keyPath: keys.joined(separator: "."), message: message)
    }

    private static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "Double", "Float", "Int", "Int64", "Int32", "UInt", "UInt64": return "a number"
        case "String": return "a string"
        case "Bool": return "true or false"
        default: return name
        }
    }

    private static func pathComponent(_ key: CodingKey) -> String {
        if let index = key.intValue { return "[\(index)]" }
        return key.stringValue
    }

    // MARK: - Locating nodes

    /// The mark of the node at `path` (keys, or `[n]` for sequence items); the deepest node found.
    public static func locate(path: [String], in root: Node) -> Mark? {
        var node = root
        var best = root.mark
        for component in path {
            if component.hasPrefix("["), component.hasSuffix("]"), let index = Int(component.dropFirst().dropLast()),
               case let .sequence(sequence) = node, index < sequence.count {
                node = sequence[index]
                best = node.mark ?? best
            } else if case let .mapping(mapping) = node,
                      let pair = mapping.first(where: { $0.key.string == component }) {
                best = pair.key.mark ?? best
                node = pair.value
            } else {
                break
            }
        }
        return best
    }

    // MARK: - Unknown keys

    private static func rejectUnknownKeys<T: Encodable>(in value: T, root: Node, file: String) throws(YAMLInputError) {
        let reencoded: Node
        do {
            let text = try YAMLEncoder().encode(value)
            guard let node = try Yams.compose(yaml: text) else { return }
            reencoded = node
        } catch {
            return // The value decoded; failing to re-encode it is not the user's problem.
        }
        if let unknown = firstUnknownKey(original: root, known: reencoded, path: []) {
            throw YAMLInputError(file: file, line: unknown.mark?.line, column: unknown.mark?.column,
                                 keyPath: unknown.path.joined(separator: "."), message: "unknown key \"\(unknown.key)\"")
        }
    }

    private struct UnknownKey {
        var key: String
        var path: [String]
        var mark: Mark?
    }

    private static func firstUnknownKey(original: Node, known: Node, path: [String]) -> UnknownKey? {
        switch (original, known) {
        case let (.mapping(originalMapping), .mapping(knownMapping)):
            for pair in originalMapping {
                guard let key = pair.key.string else { continue }
                if let knownValue = knownMapping.first(where: { $0.key.string == key })?.value {
                    if let found = firstUnknownKey(original: pair.value, known: knownValue, path: path + [key]) {
                        return found
                    }
                } else if !isNull(pair.value) {
                    return UnknownKey(key: key, path: path + [key], mark: pair.key.mark)
                }
            }
            return nil
        case let (.sequence(originalSequence), .sequence(knownSequence)):
            for (index, item) in originalSequence.enumerated() where index < knownSequence.count {
                if let found = firstUnknownKey(original: item, known: knownSequence[index], path: path + ["[\(index)]"]) {
                    return found
                }
            }
            return nil
        default:
            return nil
        }
    }

    private static func isNull(_ node: Node) -> Bool {
        if case let .scalar(scalar) = node {
            return scalar.string == "~" || scalar.string == "null" || scalar.string.isEmpty
        }
        return false
    }
}
