import ComputeMetrics
import DiffusionRules

/// One hold as a table row or page header.
struct HoldRowContext {
    var id: String
    var href: String
    var status: String
    var run: String
    var row: String
    var memoHref: String
    var date: String
    var item: String
    var eccn: String
    var quantity: String
    var destination: String
    var consignee: String
    var tppTotal: String
    var h100: String
    var reviewPolicy: String
    var openedAt: String
    var hasDecision: Bool
    var outcome: String
    var decisionNote: String
    var hasDecisionNote: Bool

    init(_ hold: HoldSummary) {
        let d = hold.determination
        id = String(hold.id)
        href = DashboardRoutes.hold(hold.id)
        status = hold.status.rawValue
        run = String(hold.run)
        row = d.id
        memoHref = DashboardRoutes.memo(run: hold.run, row: d.id)
        date = d.date.description
        item = d.item
        eccn = d.eccn
        quantity = TextFormat.quantity(hold.parties.quantity)
        destination = d.destination.description
        consignee = TextFormat.optional(hold.parties.consignee)
        tppTotal = TextFormat.tpp(d.tppTotal)
        h100 = TextFormat.h100(d.h100Equivalents)
        reviewPolicy = TextFormat.reviewPolicy(d.reviewPolicy)
        openedAt = hold.openedAt
        hasDecision = hold.decision != nil
        outcome = hold.decision.map(HoldRowContext.outcome) ?? ""
        decisionNote = hold.decision?.note ?? ""
        hasDecisionNote = !(hold.decision?.note ?? "").isEmpty
    }

    /// `released against D-0001 by ana.officer, 2026-06-01T09:30:00Z`.
    static func outcome(_ decision: HoldDecision) -> String {
        let verb: String
        switch decision.action {
        case .release: verb = "released" + (decision.licenceNumber.map { " against \($0)" } ?? "")
        case .reject: verb = "rejected"
        case .escalate: verb = "escalated"
        }
        return "\(verb) by \(decision.decidedBy), \(decision.decidedAt)"
    }
}

struct HoldsContext {
    struct Tab {
        var label: String
        var href: String
        var count: String
        var current: Bool
    }

    var tabs: [Tab]
    var rows: [HoldRowContext]
    var hasRows: Bool
    var heading: String
    var emptyText: String

    init(_ page: HoldsPage) {
        let total = page.counts.values.reduce(0, +)
        tabs = HoldStatus.allCases.map { status in
            Tab(label: status.rawValue, href: DashboardRoutes.holds(status: status), count: String(page.counts[status] ?? 0),
                current: page.filter == status)
        } + [Tab(label: "all", href: DashboardRoutes.holds(status: nil), count: String(total), current: page.filter == nil)]
        rows = page.holds.map(HoldRowContext.init)
        hasRows = !page.holds.isEmpty
        heading = page.filter.map { "Holds: \($0.rawValue)" } ?? "Holds: all"
        emptyText = page.filter.map { "No \($0.rawValue) holds." } ?? "No holds yet: a committed row that needs a licence opens one."
    }
}

/// The decision forms of a hold's page.
struct HoldContext {
    struct LicenceOption {
        var number: String
        var label: String
    }

    var hold: HoldRowContext
    var memo: MemoContext
    var canDecide: Bool
    var isDecidable: Bool
    /// An escalated hold can be released or rejected, not escalated again.
    var canEscalate: Bool
    var isFinal: Bool
    var readOnlyText: String
    var decisionPath: String
    var csrf: String
    var licences: [LicenceOption]
    var hasLicences: Bool
    var hasFormError: Bool
    var formError: String
    var form: DecisionFormValues
    /// The posted note, back in the form it came from.
    var releaseNote: String
    var rejectNote: String
    var escalateNote: String
    var shipmentText: String

    init(_ page: HoldDetailPage, chrome: PageChrome) {
        hold = HoldRowContext(page.hold)
        memo = MemoContext(page.memo, standalone: false)
        canDecide = page.canDecide
        let open = page.hold.status == .open || page.hold.status == .escalated
        isDecidable = page.canDecide && open
        canEscalate = isDecidable && page.hold.status == .open
        isFinal = !open
        readOnlyText = open
            ? "Only an officer can decide this hold; you are signed in as \(chrome.user?.role.rawValue ?? "nobody")."
            : "This hold is \(page.hold.status.rawValue); the decision is final."
        decisionPath = DashboardRoutes.decision(page.hold.id)
        csrf = chrome.csrfToken
        licences = page.licences.filter { !$0.expired }.map { licence in
            LicenceOption(number: licence.number,
                          label: "remaining \(licence.remaining.text) of \(licence.limit.text) \(licence.limit.unit), expires \(licence.expires)")
        }
        hasLicences = !licences.isEmpty
        hasFormError = page.formError != nil
        formError = page.formError ?? ""
        form = page.form
        releaseNote = page.form.action == DecisionAction.release.rawValue ? page.form.note : ""
        rejectNote = page.form.action == DecisionAction.reject.rawValue ? page.form.note : ""
        escalateNote = page.form.action == DecisionAction.escalate.rawValue ? page.form.note : ""
        let d = page.hold.determination
        shipmentText = "This shipment: \(TextFormat.tpp(d.tppTotal)) TPP, \(TextFormat.quantity(page.hold.parties.quantity)) units."
    }
}

/// The memo's content (shared by the memo page and the hold page).
struct MemoContext {
    struct Fact {
        var label: String
        var value: String
    }

    struct ReasonLine {
        var number: String
        var code: String
        var text: String
        var citation: String
    }

    struct DebitLine {
        var cap: String
        var tpp: String
    }

    struct Line {
        var text: String
    }

    var title: String
    /// The memo page itself (its title is the page's h1), not the memo inside a hold's page.
    var standalone: Bool
    var run: String
    var row: String
    var regime: String
    var layers: String
    var memoHref: String
    var facts: [Fact]
    var licenseRequired: String
    var authorization: String
    var reviewPolicy: String
    var outcomeClass: String
    var reasons: [ReasonLine]
    var warnings: [Line]
    var hasWarnings: Bool
    var debits: [DebitLine]
    var hasDebits: Bool
    var hasReceipt: Bool
    var sequence: String
    var hash: String
    var publicKey: String
    var recordedAt: String
    var rulePack: String
    var signature: String
    var signatureText: String
    var hasHold: Bool
    var holdID: String
    var holdHref: String
    var holdStatus: String
    var holdOutcome: String
    var holdNote: String
    var hasHoldNote: Bool

    init(_ page: MemoPage, standalone: Bool) {
        self.standalone = standalone
        let d = page.determination
        let p = page.parties
        title = "Determination memo: row \(d.id), run \(page.run)"
        run = String(page.run)
        row = d.id
        regime = d.regime
        layers = d.layers.isEmpty ? TextFormat.absent : d.layers.joined(separator: ", ")
        memoHref = DashboardRoutes.memo(run: page.run, row: d.id)
        var destination = d.destination.description
        if let name = page.destinationName { destination += " " + name }
        facts = [
            Fact(label: "Shipment date", value: d.date.description),
            Fact(label: "Item", value: d.item),
            Fact(label: "ECCN", value: d.eccn),
            Fact(label: "Quantity (units)", value: TextFormat.quantity(p.quantity)),
            Fact(label: "TPP per unit", value: TextFormat.tpp(d.tppPerUnit)),
            Fact(label: "TPP total", value: TextFormat.tpp(d.tppTotal)),
            Fact(label: "H100-equivalents", value: TextFormat.h100(d.h100Equivalents)),
            Fact(label: "Destination", value: destination),
            Fact(label: "Destination tier", value: TextFormat.tier(d.destinationTier)),
            Fact(label: "Ultimate consignee", value: TextFormat.optional(p.consignee)),
            Fact(label: "Consignee headquartered in", value: TextFormat.optional(p.consigneeHQ)),
            Fact(label: "Consignee HQ tier", value: TextFormat.tier(d.consigneeHQTier)),
            Fact(label: "Ultimate parent", value: TextFormat.optional(p.ultimateParent ?? p.consignee)),
            Fact(label: "Exported from", value: TextFormat.optional(p.exporterCountry)),
            Fact(label: "VEU authorization", value: TextFormat.optional(p.veu)),
            Fact(label: "Declared end use", value: TextFormat.optional(p.endUse)),
        ]
        licenseRequired = d.licenseRequired ? "yes" : "no"
        authorization = d.authorization.rawValue
        reviewPolicy = TextFormat.reviewPolicy(d.reviewPolicy)
        outcomeClass = d.isDenial ? "denial" : (d.licenseRequired ? "licence" : "clear")
        reasons = d.reasons.enumerated().map { index, reason in
            ReasonLine(number: String(index + 1), code: reason.code, text: reason.text, citation: reason.citation)
        }
        warnings = d.warnings.map(Line.init)
        hasWarnings = !d.warnings.isEmpty
        debits = d.debits.map { DebitLine(cap: $0.cap.name, tpp: $0.tpp.description) }
        hasDebits = !d.debits.isEmpty
        let receipt = page.receipt
        hasReceipt = receipt != nil
        sequence = receipt.map { String($0.sequence) } ?? ""
        hash = receipt?.hash ?? ""
        publicKey = receipt?.publicKey ?? ""
        recordedAt = receipt?.recordedAt ?? ""
        rulePack = TextFormat.optional(receipt?.rulePackSHA256)
        let status = receipt?.signature ?? .missing
        signature = status.code
        switch status {
        case .valid: signatureText = "valid: the Ed25519 signature matches the receipt and the ledger's public key"
        case let .invalid(reason): signatureText = "invalid: \(reason)"
        case .missing: signatureText = receipt == nil ? "missing: the ledger holds no receipt for this row" : "missing: the receipt carries no signature"
        }
        hasHold = page.hold != nil
        holdID = page.hold.map { String($0.id) } ?? ""
        holdHref = page.hold.map { DashboardRoutes.hold($0.id) } ?? ""
        holdStatus = page.hold?.status.rawValue ?? ""
        holdOutcome = page.hold?.decision.map(HoldRowContext.outcome) ?? "awaiting an officer's decision"
        holdNote = page.hold?.decision?.note ?? ""
        hasHoldNote = !holdNote.isEmpty
    }
}
