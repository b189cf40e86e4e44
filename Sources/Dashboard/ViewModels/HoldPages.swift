import ComputeMetrics
import DiffusionRules

/// The state of a hold: every committed row with `license_required: true` opens one (issue 9).
public enum HoldStatus: String, Sendable, CaseIterable {
    case open, released, rejected, escalated
}

/// What an officer decides on a hold (`action` of `POST /holds/{id}/decision`).
public enum DecisionAction: String, Sendable, CaseIterable {
    /// Release against a licence, which is debited by the shipment's TPP or units.
    case release
    /// Refuse the shipment; a note is required.
    case reject
    /// Pass to a senior reviewer; the hold leaves the open queue.
    case escalate
}

/// A decision already taken on a hold.
public struct HoldDecision: Sendable, Hashable {
    public var action: DecisionAction
    /// Name of the token that decided.
    public var decidedBy: String
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var decidedAt: String
    /// The licence a release was debited against.
    public var licenceNumber: String?
    public var note: String?

    public init(action: DecisionAction, decidedBy: String, decidedAt: String, licenceNumber: String? = nil, note: String? = nil) {
        self.action = action
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.licenceNumber = licenceNumber
        self.note = note
    }
}

/// One hold as the queue lists it: the committed row's determination and parties, its status and
/// the decision taken, if any.
///
/// ```swift
/// let hold = HoldSummary(id: 1, run: 2, status: .open, openedAt: "2026-06-01T09:00:00Z",
///                        determination: p05, parties: RowParties(quantity: 8192, consignee: "Yotta Data Services"))
/// hold.row   // "P05" (the determination's id)
/// ```
public struct HoldSummary: Sendable {
    public var id: Int64
    /// The ledger run that committed the row.
    public var run: Int64
    public var status: HoldStatus
    /// When the hold was opened (the commit's time), `YYYY-MM-DDTHH:MM:SSZ`.
    public var openedAt: String
    public var determination: Determination
    public var parties: RowParties
    public var decision: HoldDecision?

    /// The row id in its screening (the determination's `id`).
    public var row: String { determination.id }

    public init(id: Int64, run: Int64, status: HoldStatus, openedAt: String, determination: Determination,
                parties: RowParties, decision: HoldDecision? = nil) {
        self.id = id
        self.run = run
        self.status = status
        self.openedAt = openedAt
        self.determination = determination
        self.parties = parties
        self.decision = decision
    }
}

/// The holds queue (`GET /holds?status=`).
///
/// ```swift
/// HoldsPage(filter: .open, counts: [.open: 7, .released: 0, .rejected: 0, .escalated: 0], holds: openHolds)
/// ```
public struct HoldsPage: Sendable {
    /// The status filtered on; nil lists every hold.
    public var filter: HoldStatus?
    /// Holds per status, for the filter tabs (missing statuses count 0).
    public var counts: [HoldStatus: Int]
    /// The holds shown, in the order given (the server's order: oldest first).
    public var holds: [HoldSummary]

    public init(filter: HoldStatus?, counts: [HoldStatus: Int], holds: [HoldSummary]) {
        self.filter = filter
        self.counts = counts
        self.holds = holds
    }
}

/// One hold with its memo and the decision forms (`GET /holds/{id}`).
///
/// After a refused decision the server renders this page again with status 400, the posted
/// values in `form` and the one-line reason in `formError`, so nothing typed is lost.
public struct HoldDetailPage: Sendable {
    public var hold: HoldSummary
    public var memo: MemoPage
    /// Licences offered for a release (the number field suggests them).
    public var licences: [LicenceBalance]
    /// Whether the signed-in user may decide (officers); otherwise the page is read-only.
    public var canDecide: Bool
    public var form: DecisionFormValues
    public var formError: String?

    public init(hold: HoldSummary, memo: MemoPage, licences: [LicenceBalance], canDecide: Bool,
                form: DecisionFormValues = DecisionFormValues(), formError: String? = nil) {
        self.hold = hold
        self.memo = memo
        self.licences = licences
        self.canDecide = canDecide
        self.form = form
        self.formError = formError
    }
}

/// The decision form's fields as typed (strings), to fill the form again after an error.
public struct DecisionFormValues: Sendable, Hashable {
    public var action: String
    public var licenceNumber: String
    public var licenceIssued: String
    public var licenceExpires: String
    public var limitTPP: String
    public var limitUnits: String
    public var note: String

    public init(action: String = "", licenceNumber: String = "", licenceIssued: String = "", licenceExpires: String = "",
                limitTPP: String = "", limitUnits: String = "", note: String = "") {
        self.action = action
        self.licenceNumber = licenceNumber
        self.licenceIssued = licenceIssued
        self.licenceExpires = licenceExpires
        self.limitTPP = limitTPP
        self.limitUnits = limitUnits
        self.note = note
    }

    /// The values of a posted decision form (missing fields are empty).
    public init(form: FormBody) {
        self.init(action: form.first(DecisionField.action) ?? "", licenceNumber: form.first(DecisionField.licenceNumber) ?? "",
                  licenceIssued: form.first(DecisionField.licenceIssued) ?? "", licenceExpires: form.first(DecisionField.licenceExpires) ?? "",
                  limitTPP: form.first(DecisionField.limitTPP) ?? "", limitUnits: form.first(DecisionField.limitUnits) ?? "",
                  note: form.first(DecisionField.note) ?? "")
    }
}
