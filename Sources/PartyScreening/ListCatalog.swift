/// The restricted-party lists the tool reads (`parties/lists.yaml`): codes, names, the source names
/// the Consolidated Screening List uses, and which `ids` entries are identifiers.
public struct ListCatalog: Codable, Sendable, Hashable {
    public var lists: [ListDefinition]
    public var identifierTypes: [String]
    public var source: String

    public init(lists: [ListDefinition], identifierTypes: [String], source: String) {
        self.lists = lists
        self.identifierTypes = identifierTypes
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case lists
        case identifierTypes = "identifier_types"
        case source
    }

    /// The code of a CSL `source` value, or nil when unknown.
    public func code(forCSLSource source: String) -> String? {
        let trimmed = source.trimmingCharacters(in: .whitespaces)
        return lists.first { $0.cslSources.contains(trimmed) }?.code
    }

    /// The code of what a user writes in a list's `list` column: a code, an alias or a CSL source
    /// name (case-insensitive); nil when unknown.
    public func code(forUserText text: String) -> String? {
        let lower = text.trimmingCharacters(in: .whitespaces).lowercased()
        return lists.first { list in
            list.code == lower || (list.aliases ?? []).contains { $0.lowercased() == lower }
                || list.cslSources.contains { $0.lowercased() == lower }
        }?.code
    }

    public func name(of code: String) -> String { lists.first { $0.code == code }?.name ?? code }
}

/// One list: `{code: entity_list, name: ..., csl_sources: [...], aliases: [EL]}`.
public struct ListDefinition: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
    public var cslSources: [String]
    public var aliases: [String]?

    enum CodingKeys: String, CodingKey {
        case code, name
        case cslSources = "csl_sources"
        case aliases
    }
}

import Foundation
