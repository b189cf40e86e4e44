import Foundation

/// A `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]` URL, checked
/// before anything connects: a malformed URL is a one-line error and nothing is written.
struct PostgresURL: Sendable {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    var sslMode: String
    /// The URL without its password, for messages.
    var display: String

    static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") || text.hasPrefix("postgres:") || text.hasPrefix("postgresql:")
    }

    init(_ text: String) throws {
        func bad(_ why: String) -> LedgerError {
            LedgerError("malformed PostgreSQL URL \"\(PostgresURL.redact(text))\": \(why) (expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE)")
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else { throw bad("it must start with postgres:// or postgresql://") }
        let rest = text[text.range(of: "://")!.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            let port = hostPort[hostPort.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy(\.isNumber) else { throw bad("port \"\(port)\" is not a number") }
            guard let number = Int(port), (1...65535).contains(number) else { throw bad("port \(port) is out of range") }
        }
        guard let components = URLComponents(string: text) else { throw bad("it is not a URL") }
        guard let host = components.host, !host.isEmpty else { throw bad("no host") }
        let database = String(components.path.dropFirst())
        guard !database.isEmpty, !database.contains("/") else { throw bad("no database name after the host") }
        var sslMode = "disable"
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, ["disable", "prefer", "require"].contains(value) else {
                    throw bad("sslmode must be disable, prefer or require")
                }
                sslMode = value
            default:
                throw bad("unknown parameter \"\(item.name)\"")
            }
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = components.user.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 } ?? "postgres"
        self.password = components.password.flatMap { $0.removingPercentEncoding }
        self.database = database.removingPercentEncoding ?? database
        self.sslMode = sslMode
        self.display = "postgres://\(self.user)@\(host):\(self.port)/\(self.database)"
    }

    /// The text with any password replaced by `***`.
    static func redact(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://") else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
