import Crypto
import Foundation
import TabularIO

/// Signed decision receipts (Ed25519, swift-crypto): one JSON object per committed determination,
/// covering the rule-pack version, the input (file SHA-256 and row id), the determination and the
/// ledger position (run, event sequence, event hash). Verifiable offline with the public key it
/// carries (and which `ledger show` prints); `ledger receipt verify` also compares that key with
/// one given by the user.
///
/// The signature is over the receipt's own bytes up to `,"signature":`, closed with `}`: any edited
/// byte breaks it.
public enum Receipts {
    public struct Verified: Sendable {
        public var seq: Int64
        public var hash: String
        public var publicKey: String
        public var rowID: String
    }

    /// Checks one receipt line; `publicKey` (hex), if given, must be the receipt's key.
    public static func verify(_ text: String, publicKey: String?) -> Result<Verified, LedgerError> {
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let range = line.range(of: ",\"signature\":\"", options: .backwards), line.hasSuffix("\"}") else {
            return .failure(LedgerError("not a receipt (no signature)"))
        }
        let payload = String(line[..<range.lowerBound]) + "}"
        let signatureHex = String(line[range.upperBound...].dropLast(2))
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any],
              let keyHex = object["public_key"] as? String, let keyBytes = bytes(hex: keyHex),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes),
              let signature = bytes(hex: signatureHex),
              let ledger = object["ledger"] as? [String: Any], let seq = (ledger["seq"] as? NSNumber)?.int64Value,
              let hash = ledger["hash"] as? String,
              let input = object["input"] as? [String: Any], let rowID = input["row_id"] as? String else {
            return .failure(LedgerError("receipt is not well formed"))
        }
        if let publicKey, publicKey.lowercased() != keyHex {
            return .failure(LedgerError("receipt for event \(seq) is signed by key \(keyHex.prefix(16))..., not the expected \(publicKey.prefix(16))..."))
        }
        guard key.isValidSignature(signature, for: Array(payload.utf8)) else {
            return .failure(LedgerError("receipt for event \(seq) (row \(rowID)): signature does not match its content (edited or forged)"))
        }
        return .success(Verified(seq: seq, hash: hash, publicKey: keyHex, rowID: rowID))
    }

    static func bytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}

/// The ledger's signing key: an Ed25519 private key kept in a file (hex, mode 0600); its public
/// key is stored in the ledger (`ledger_meta.public_key`) when the ledger is created.
struct ReceiptSigner: @unchecked Sendable {
    let key: Curve25519.Signing.PrivateKey
    let ledgerID: String
    var publicKeyHex: String { Digest.hex(key.publicKey.rawRepresentation) }

    init(keyFile path: String, ledgerID: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw LedgerError("\(path): signing key not found; receipts cannot be signed (give --signing-key PATH or AI_DIFFUSION_SIGNING_KEY)")
        }
        guard let raw = Receipts.bytes(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw LedgerError("\(path): not an Ed25519 signing key (expected 64 hex digits)")
        }
        self.key = key
        self.ledgerID = ledgerID
    }

    /// Creates a key file (0600) unless one exists; returns the public key (hex).
    static func createKeyFile(at path: String) throws -> String {
        if let text = try? String(contentsOfFile: path, encoding: .utf8),
           let raw = Receipts.bytes(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)),
           let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) {
            return Digest.hex(key.publicKey.rawRepresentation)
        }
        let key = Curve25519.Signing.PrivateKey()
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let created = FileManager.default.createFile(atPath: path, contents: Data((Digest.hex(key.rawRepresentation) + "\n").utf8),
                                                     attributes: [.posixPermissions: 0o600])
        guard created else { throw LedgerError("\(path): cannot write the signing key") }
        return Digest.hex(key.publicKey.rawRepresentation)
    }

    /// The signed receipt of one committed determination.
    func receipt(run: RunInfo, runID: Int64, rowID: String, determinationJSON: String, event: StoredEvent) -> String {
        func q(_ text: String) -> String { JSONEscaping.quoted(text) }
        var payload = "{\"receipt_version\":1,\"ledger_id\":\(q(ledgerID)),\"public_key\":\(q(publicKeyHex))"
        payload += ",\"rule_pack\":{\"regime\":\(q(run.regime)),\"sha256\":\(q(run.rulePackSHA256))}"
        payload += ",\"input\":{\"file\":\(q(run.fileName)),\"file_sha256\":\(q(run.fileSHA256)),\"row_id\":\(q(rowID))}"
        payload += ",\"determination\":\(determinationJSON)"
        payload += ",\"ledger\":{\"run_id\":\(runID),\"seq\":\(event.seq),\"hash\":\(q(event.hash)),\"recorded_at\":\(q(event.recordedAt))}}"
        let signature = (try? key.signature(for: Array(payload.utf8))).map { Digest.hex(Array($0)) } ?? ""
        return String(payload.dropLast()) + ",\"signature\":\"\(signature)\"}"
    }
}
