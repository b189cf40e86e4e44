import ComputeMetrics
import DiffusionRules

/// The determination memo of one committed row (`GET /memo/{run}/{row}`): the page an auditor
/// files. It shows the facts, the rule path with citations, warnings, debits, the ledger receipt
/// and whether the receipt's signature verifies, and the hold's decision when there is one.
///
/// Build it from the determination the ledger stored (decoded with `DeterminationDecoding`) and
/// the row's parties, which the determination itself does not carry:
///
/// ```swift
/// let memo = MemoPage(run: 2, determination: determination,
///                     parties: RowParties(quantity: 8192, consignee: "Yotta Data Services",
///                                         consigneeHQ: "IN", ultimateParent: "Yotta Data Services"),
///                     receipt: LedgerReceipt(sequence: 12, hash: "557aad26...", publicKey: "8859464d...",
///                                            recordedAt: "2026-06-01T09:00:00Z", rulePackSHA256: "ffd310cd...",
///                                            signature: .valid))
/// renderer.render(memo, chrome: chrome)
/// ```
public struct MemoPage: Sendable {
    /// The ledger run the row was committed in.
    public var run: Int64
    public var determination: Determination
    public var parties: RowParties
    /// Destination country name (`India` for `IN`), from the ISO 3166 registry; nil shows the code only.
    public var destinationName: String?
    /// Nil when the row has no receipt in the ledger (shown as signature status `missing`).
    public var receipt: LedgerReceipt?
    /// The hold this row opened, if it needed a licence.
    public var hold: HoldSummary?

    public init(run: Int64, determination: Determination, parties: RowParties, destinationName: String? = nil,
                receipt: LedgerReceipt?, hold: HoldSummary? = nil) {
        self.run = run
        self.determination = determination
        self.parties = parties
        self.destinationName = destinationName
        self.receipt = receipt
        self.hold = hold
    }
}

/// The row facts a determination does not repeat (transactions CSV columns, formats.md).
public struct RowParties: Sendable, Hashable {
    /// Units shipped; nil when not recorded.
    public var quantity: Int64?
    /// Ultimate consignee (`consignee` column).
    public var consignee: String?
    /// Headquarters country of the consignee's ultimate parent (`consignee_hq`, ISO alpha-2).
    public var consigneeHQ: String?
    /// Ultimate parent (`ultimate_parent`; defaults to the consignee).
    public var ultimateParent: String?
    /// Country the items ship from (`exporter_country`, ISO alpha-2; `US` by default).
    public var exporterCountry: String?
    /// `UVEU`, `NVEU` or nil.
    public var veu: String?
    /// `frontier-training`, `military`, `wmd` or nil.
    public var endUse: String?

    public init(quantity: Int64? = nil, consignee: String? = nil, consigneeHQ: String? = nil, ultimateParent: String? = nil,
                exporterCountry: String? = nil, veu: String? = nil, endUse: String? = nil) {
        self.quantity = quantity
        self.consignee = consignee
        self.consigneeHQ = consigneeHQ
        self.ultimateParent = ultimateParent
        self.exporterCountry = exporterCountry
        self.veu = veu
        self.endUse = endUse
    }
}

/// Where a determination sits in the ledger, from its signed receipt (`ledger receipt export`).
public struct LedgerReceipt: Sendable, Hashable {
    /// Position of the row's event in the hash chain.
    public var sequence: Int64
    /// The event's SHA-256 chain hash (hex).
    public var hash: String
    /// The ledger's Ed25519 public key (hex), as `ledger show` prints it.
    public var publicKey: String
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var recordedAt: String
    /// Version of the rule pack the determination was reached under; empty when not recorded.
    public var rulePackSHA256: String
    public var signature: SignatureStatus

    public init(sequence: Int64, hash: String, publicKey: String, recordedAt: String, rulePackSHA256: String,
                signature: SignatureStatus) {
        self.sequence = sequence
        self.hash = hash
        self.publicKey = publicKey
        self.recordedAt = recordedAt
        self.rulePackSHA256 = rulePackSHA256
        self.signature = signature
    }
}

/// Whether a receipt's Ed25519 signature verifies against the ledger's public key
/// (`Receipts.verify` in AllocationLedger).
public enum SignatureStatus: Sendable, Hashable {
    case valid
    /// The reason `Receipts.verify` gave (edited, forged, signed by another key, ...).
    case invalid(String)
    /// The receipt has no signature.
    case missing

    /// `valid`, `invalid` or `missing`.
    public var code: String {
        switch self {
        case .valid: return "valid"
        case .invalid: return "invalid"
        case .missing: return "missing"
        }
    }
}
