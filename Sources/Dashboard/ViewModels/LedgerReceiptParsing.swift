import Foundation

extension LedgerReceipt {
    /// A ledger receipt (one line of `ledger receipts` / `GET /v1/runs/{id}/receipts`: JSON with
    /// `ledger.seq`, `ledger.hash`, `ledger.recorded_at`, `public_key`, `rule_pack.sha256` and
    /// `input.row_id`) as the memo shows it, with the signature status the caller found
    /// (`Receipts.verify` of the ledger module). Absent members read as empty strings and 0.
    ///
    /// ```swift
    /// let (row, receipt) = LedgerReceipt.parse(line, signature: .valid)
    /// row                 // "P05"
    /// receipt.sequence    // 7
    /// ```
    public static func parse(_ line: String, signature: SignatureStatus) -> (row: String, receipt: LedgerReceipt) {
        let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        let position = object["ledger"] as? [String: Any] ?? [:]
        let input = object["input"] as? [String: Any] ?? [:]
        let pack = object["rule_pack"] as? [String: Any] ?? [:]
        let receipt = LedgerReceipt(sequence: (position["seq"] as? NSNumber)?.int64Value ?? 0, hash: position["hash"] as? String ?? "",
                                    publicKey: object["public_key"] as? String ?? "", recordedAt: position["recorded_at"] as? String ?? "",
                                    rulePackSHA256: pack["sha256"] as? String ?? "", signature: signature)
        return (input["row_id"] as? String ?? "", receipt)
    }
}
