import AllocationLedger
import ComputeMetrics
import DiffusionRules
import RuleData
import TabularIO

/// A request the application layer refuses, or could not carry out: a one-line message, a kind
/// that adapters turn into an exit code (CLI: 1) or a status (HTTP 400/401/403/404/409/413/503/500),
/// and for a bad row the row (1-based position in the request), field and value.
///
/// ```swift
/// ServiceError.badRow(CSVInputError(file: "request", line: 3, column: "destination", value: "UK",
///                                   message: "is not an ISO 3166-1 alpha-2 code (did you mean GB?)"), row: 2)
/// // {"error":"row 2: column \"destination\": \"UK\" is not ...","row":2,"field":"destination","value":"UK"}
/// ```
public struct ServiceError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case badRequest, unauthorized, forbidden, notFound, conflict, tooLarge, unavailable, internalError
    }

    public var kind: Kind
    public var message: String
    public var row: Int?
    public var field: String?
    public var value: String?

    public init(_ kind: Kind, _ message: String, row: Int? = nil, field: String? = nil, value: String? = nil) {
        self.kind = kind
        self.message = message
        self.row = row
        self.field = field
        self.value = value
    }

    public var description: String { message }

    /// `{"error": ..., "row": ..., "field": ..., "value": ...}` (one line, no newline).
    public var json: String {
        func q(_ s: String?) -> String { s.map { JSONEscaping.quoted($0) } ?? "null" }
        return "{\"error\":\(q(message)),\"row\":\(row.map(String.init) ?? "null"),\"field\":\(q(field)),\"value\":\(q(value))}"
    }

    /// A bad cell in a request's rows: the CLI's message for the same cell, located by row.
    static func badRow(_ error: CSVInputError, row: Int?) -> ServiceError {
        var located = error
        located.file = row.map { "row \($0)" } ?? "request"
        located.line = nil
        // A header problem names a column by position (#n); the field is the name given.
        let field = error.column?.hasPrefix("#") == true ? error.value : error.column
        return ServiceError(.badRequest, located.description, row: row, field: field, value: error.value)
    }

    /// Any error of the layers below, as a service error.
    public static func from(_ error: any Error) -> ServiceError {
        switch error {
        case let error as ServiceError: return error
        case let error as CSVInputError: return ServiceError(.badRequest, error.description, field: error.column, value: error.value)
        case let error as LedgerError:
            switch error.code {
            case .invalid?: return ServiceError(.badRequest, error.message)
            case .notFound?: return ServiceError(.notFound, error.message)
            case .conflict?: return ServiceError(.conflict, error.message)
            case nil: return ServiceError(error.message.contains("refused") ? .conflict : .unavailable, error.message)
            }
        case let error as RuleBookError: return ServiceError(.badRequest, error.message)
        case let error as RuleDataError: return ServiceError(.badRequest, error.message)
        case let error as UnknownItemError: return ServiceError(.badRequest, error.description)
        default: return ServiceError(.internalError, "\(error)")
        }
    }
}
