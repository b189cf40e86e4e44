import ComplianceService
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// One route of the API: method, path (OpenAPI form, `/v1/holds/{id}`), what its token must allow
/// (nil: public), and its handler. ``APIRoutes/all`` is the router's whole table: the server
/// registers exactly these, and a test checks them against `/openapi.json`'s paths.
public struct APIRoute: Sendable {
    public var method: HTTPRequest.Method
    public var path: String
    /// nil for the public routes: `/healthz`, `/readyz`, `/metrics` and `POST /login`, `POST /logout`.
    public var permission: Permission?
    let handler: @Sendable (inout Request, APIContext, Principal?) async throws -> Response

    /// The path as Hummingbird's router spells it (`/v1/holds/:id`).
    var routerPath: String { Self.routerPath(path) }

    static func routerPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
    }
}

/// Responses: JSON bodies and errors.
enum Reply {
    static let json: HTTPFields = [.contentType: "application/json"]

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        json(Array(text.utf8) + [0x0A], status: status)
    }

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: json, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A screening answer assembled in one buffer: prefix, the JSON array (less its final newline), `}`.
    static func screening(_ prefix: [UInt8], array: [UInt8]) -> Response {
        var buffer = ByteBufferAllocator().buffer(capacity: prefix.count + array.count + 2)
        buffer.writeBytes(prefix)
        buffer.writeBytes(array.last == 0x0A ? array.dropLast() : array[...])
        buffer.writeBytes([UInt8(ascii: "}"), 0x0A])
        return Response(status: .ok, headers: json, body: .init(byteBuffer: buffer))
    }

    static func status(of kind: ServiceError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .badRequest: return .badRequest
        case .unauthorized: return .unauthorized
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .conflict: return .conflict
        case .tooLarge: return .contentTooLarge
        case .unavailable: return .serviceUnavailable
        case .internalError: return .internalServerError
        }
    }

    /// `{"error", "row", "field", "value"}` with the status of the error's kind.
    static func error(_ error: ServiceError) -> Response {
        var response = json(error.json, status: status(of: error.kind))
        if error.kind == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"ai-diffusion\"" }
        return response
    }
}

extension Request {
    /// The body, up to `limit` bytes (413 beyond).
    mutating func bytes(limit: Int) async throws -> [UInt8] {
        do {
            let buffer = try await collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ServiceError(.tooLarge, "the request body is larger than \(limit) bytes (the limit)")
        } catch is NIOTooManyBytesError {
            throw ServiceError(.tooLarge, "the request body is larger than \(limit) bytes (the limit)")
        }
    }

    /// A query parameter (percent-decoded by Hummingbird).
    func query(_ name: String) -> String? {
        uri.queryParameters.get(name)
    }

    /// A JSON body parsed within the service's limits.
    mutating func json(_ service: ComplianceService) async throws -> JSONValue {
        let body = try await bytes(limit: service.limits.maxBodyBytes)
        if body.isEmpty { throw ServiceError(.badRequest, "the request needs a JSON body") }
        return try JSONValue.parse(body, maxDepth: service.limits.maxJSONDepth)
    }
}
