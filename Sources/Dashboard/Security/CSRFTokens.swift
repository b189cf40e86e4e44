import Crypto
import Foundation

/// CSRF tokens for the dashboard's forms: an HMAC-SHA256 (swift-crypto) of the session and the
/// issue time under a server secret, checked on every `POST`.
///
/// A token is `v1.<issued, Unix seconds>.<HMAC, base64>` over `"ai-diffusion csrf v1\n<session>\n<issued>"`.
/// It is bound to one session (the session cookie's id; before sign-in, a pre-session cookie's
/// random value), expires after ``maxAge`` seconds, and is compared in constant time. Instances of
/// the service behind a load balancer share the secret, so any of them verifies a token another
/// issued.
///
/// ```swift
/// let csrf = try CSRFTokens(secret: secretBytes)                        // 32 bytes or more
/// let token = csrf.token(session: "s-4f1c...", issuedAt: 1_767_225_600)   // "v1.1767225600.q83v..."
/// try csrf.verify(token, session: "s-4f1c...", now: 1_767_225_900)      // ok
/// try csrf.verify(token, session: "another", now: 1_767_225_900)       // throws CSRFError
/// ```
public struct CSRFTokens: Sendable {
    /// The secret (SymmetricKey is not Sendable; a key is made from these bytes per use).
    private let secret: [UInt8]
    /// Seconds a token stays valid (12 hours: a working day with a form left open).
    public var maxAge: Int64

    /// The shortest secret accepted, in bytes (the HMAC-SHA256 key size).
    public static let minimumSecretLength = 32
    private static let version = "v1"

    /// - Throws: ``CSRFError`` if the secret is shorter than ``minimumSecretLength`` bytes.
    public init(secret: [UInt8], maxAge: Int64 = 12 * 3600) throws(CSRFError) {
        guard secret.count >= CSRFTokens.minimumSecretLength else {
            throw CSRFError("the CSRF secret has \(secret.count) bytes; at least \(CSRFTokens.minimumSecretLength) are needed")
        }
        self.secret = secret
        self.maxAge = maxAge
    }

    /// A token for the forms of `session`, issued at `issuedAt` (Unix seconds).
    public func token(session: String, issuedAt: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: CSRFTokens.message(session: session, issuedAt: issuedAt), using: SymmetricKey(data: secret))
        return "\(CSRFTokens.version).\(issuedAt).\(Data(mac).base64EncodedString())"
    }

    /// Checks a posted token against the session and the clock (Unix seconds).
    /// - Throws: ``CSRFError`` with the reason: missing, malformed, expired, issued in the future, or
    ///   not issued for this session by this server.
    public func verify(_ token: String?, session: String, now: Int64) throws(CSRFError) {
        guard let token, !token.isEmpty else { throw CSRFError("the form has no CSRF token; reload the page and try again") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == CSRFTokens.version, let issuedAt = Int64(parts[1]),
              let mac = Data(base64Encoded: String(parts[2])), mac.count == SHA256.byteCount else {
            throw CSRFError("the form's CSRF token is malformed; reload the page and try again")
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: CSRFTokens.message(session: session, issuedAt: issuedAt), using: SymmetricKey(data: secret)) else {
            throw CSRFError("the form's CSRF token was not issued for this session; reload the page and try again")
        }
        if issuedAt > now + 60 { throw CSRFError("the form's CSRF token is dated in the future; check the server clocks") }
        if now - issuedAt > maxAge { throw CSRFError("the form has expired (open for more than \(maxAge / 3600) hours); reload the page and try again") }
    }

    private static func message(session: String, issuedAt: Int64) -> [UInt8] {
        Array("ai-diffusion csrf \(version)\n\(session)\n\(issuedAt)".utf8)
    }
}

/// Why a form's CSRF token was refused (the server answers 403 with this line and records nothing).
public struct CSRFError: Error, CustomStringConvertible, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
