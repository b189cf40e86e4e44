import AllocationLedger
import ComplianceServer
import ComplianceService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RuleData
import Testing

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let book = try! RuleBookLoader.loadBundled()
let dealsPath = repositoryRoot + "/examples/deals-2023-2026.csv"

/// The built `ai-diffusion` executable, next to the test bundle.
let executable: String = {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = directory.appendingPathComponent("ai-diffusion").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return repositoryRoot + "/.build/debug/ai-diffusion"
}()

/// Runs the command-line tool to completion: status, stdout, stderr.
func cli(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
    var environment = ProcessInfo.processInfo.environment
    environment["AI_DIFFUSION_LEDGER"] = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID()).sqlite").path
    for (key, value) in extra { environment[key] = value }
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

/// Ledger locations: SQLite always, PostgreSQL when AI_DIFFUSION_TEST_POSTGRES_URL is set.
enum LedgerKind: String, CustomStringConvertible, Sendable {
    case sqlite, postgres
    var description: String { rawValue }
    static var postgresURL: String? { (ProcessInfo.processInfo.environment["AI_DIFFUSION_TEST_POSTGRES_URL"]).flatMap { $0.isEmpty ? nil : $0 } }
    static var available: [LedgerKind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// A new ledger location and a signing-key path (the key is written when the ledger is created).
    func fresh() throws -> (location: String, key: String) {
        let key = FileManager.default.temporaryDirectory.appendingPathComponent("srv-\(UUID()).ed25519").path
        switch self {
        case .sqlite:
            return (FileManager.default.temporaryDirectory.appendingPathComponent("srv-\(UUID()).sqlite").path, key)
        case .postgres:
            let name = "h_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try PostgresAdmin.execute(url: Self.postgresURL!, "CREATE DATABASE \(name)")
            return (try PostgresAdmin.url(Self.postgresURL!, database: name), key)
        }
    }
}

/// A service over a fresh ledger with one token per role (created through the service).
struct Fixture {
    var service: ComplianceService
    var location: String
    var key: String
    var tokens: [Role: String]

    init(_ kind: LedgerKind = .sqlite, limits: RequestLimits = RequestLimits()) throws {
        (location, key) = try kind.fresh()
        service = try ComplianceService(book: book, ledger: location, signingKey: key, create: true, limits: limits)
        var tokens: [Role: String] = [:]
        for role in Role.allCases { tokens[role] = try service.createToken(name: "t-\(role.rawValue)", role: role, by: nil).secret }
        self.tokens = tokens
    }

    func app() -> some ApplicationProtocol {
        ComplianceServer.application(service: service, options: ServerOptions(host: "127.0.0.1", port: 0))
    }
}

func bearer(_ token: String?) -> HTTPFields {
    var fields: HTTPFields = [:]
    if let token { fields[.authorization] = "Bearer \(token)" }
    return fields
}

func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
}

/// The OpenAPI document as served, parsed.
nonisolated(unsafe) let openAPI: [String: Any] = try! JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes)) as! [String: Any]

/// A small JSON Schema (2020-12 subset) validator for the document's schemas: type (one or a list),
/// properties, required, additionalProperties, items, enum, oneOf, pattern, minItems, maxItems, $ref.
enum SchemaCheck {
    static func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String else { return schema }
        var node: Any = openAPI
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] as Any }
        return resolve(node as? [String: Any] ?? [:])
    }

    static func typeName(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let n as NSNumber:
            let code = String(cString: n.objCType)
            if code == "c" || code == "B" { return "boolean" }
            return code == "d" || code == "f" ? "number" : "integer"
        case is String: return "string"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        default: return "unknown"
        }
    }

    /// Problems with `value` against `schema` (empty: valid).
    static func problems(_ value: Any, _ schema: [String: Any], at path: String = "$") -> [String] {
        let schema = resolve(schema)
        if let options = schema["oneOf"] as? [[String: Any]] {
            let matching = options.filter { problems(value, $0, at: path).isEmpty }.count
            return matching == 1 ? [] : ["\(path): matches \(matching) of the oneOf schemas, not exactly one"]
        }
        var out: [String] = []
        let actual = typeName(value)
        if let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map({ [$0] }) {
            let accepted = types.contains(actual) || (actual == "integer" && types.contains("number"))
            if !accepted { return ["\(path): \(actual), expected \(types.joined(separator: " or "))"] }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { "\($0)" == "\(value)" && typeName($0) == actual }) {
            out.append("\(path): \(value) is not one of \(options)")
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String, text.range(of: pattern, options: .regularExpression) == nil {
            out.append("\(path): \"\(text)\" does not match \(pattern)")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil { out.append("\(path): missing \(name)") }
            for (name, member) in object {
                if let property = properties[name] {
                    out += problems(member, property, at: "\(path).\(name)")
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    out += problems(member, extra, at: "\(path).\(name)")
                } else if schema["additionalProperties"] as? Bool == false {
                    out.append("\(path): unexpected member \(name)")
                }
            }
        }
        if let array = value as? [Any] {
            if let min = schema["minItems"] as? Int, array.count < min { out.append("\(path): fewer than \(min) items") }
            if let max = schema["maxItems"] as? Int, array.count > max { out.append("\(path): more than \(max) items") }
            if let items = schema["items"] as? [String: Any] {
                for (i, item) in array.enumerated() { out += problems(item, items, at: "\(path)[\(i)]") }
            }
        }
        return out
    }

    /// The schema of a route's response (JSON), from the document.
    static func responseSchema(_ method: String, _ path: String, _ status: Int) -> [String: Any]? {
        let paths = openAPI["paths"] as? [String: [String: Any]]
        let operation = paths?[path]?[method.lowercased()] as? [String: Any]
        let response = (operation?["responses"] as? [String: Any])?[String(status)] as? [String: Any]
        return ((response?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
    }
}

/// Checks a live response against the document's schema for its route and status.
func expectDocumented(_ response: TestResponse, _ method: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let schema = SchemaCheck.responseSchema(method, path, Int(response.status.code)) else {
        Issue.record("\(method) \(path) answered \(response.status.code), which the document does not describe", sourceLocation: sourceLocation)
        return
    }
    let problems = SchemaCheck.problems(response.json as Any, schema)
    #expect(problems.isEmpty, "\(method) \(path) \(response.status.code): \(problems.prefix(5))", sourceLocation: sourceLocation)
}
