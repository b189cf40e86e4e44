import ComputeMetrics
import DiffusionRules

/// The fields of `POST /holds/{id}/decision`.
public enum DecisionField: String, Sendable, CaseIterable {
    case action
    case licenceNumber = "licence_number"
    case licenceIssued = "licence_issued"
    case licenceExpires = "licence_expires"
    case limitTPP = "limit_tpp"
    case limitUnits = "limit_units"
    case note
    case csrf
}

/// A decision on a hold, decoded from the form (the JSON API's `{"action", "licence", "note"}`).
public struct HoldDecisionRequest: Sendable, Hashable {
    public var action: DecisionAction
    /// Set for a release, nil otherwise.
    public var licence: LicenceChoice?
    public var note: String?

    public init(action: DecisionAction, licence: LicenceChoice?, note: String?) {
        self.action = action
        self.licence = licence
        self.note = note
    }
}

/// The licence a release is debited against: one the ledger holds, or a new one given inline.
public enum LicenceChoice: Sendable, Hashable {
    case existing(number: String)
    case new(NewLicence)

    public var number: String {
        switch self {
        case let .existing(number): return number
        case let .new(licence): return licence.number
        }
    }
}

/// A licence typed into the release form: number, validity and one limit (TPP or units).
public struct NewLicence: Sendable, Hashable {
    public var number: String
    public var issued: Day
    public var expires: Day
    public var limit: LicenceAmount

    public init(number: String, issued: Day, expires: Day, limit: LicenceAmount) {
        self.number = number
        self.issued = issued
        self.expires = expires
        self.limit = limit
    }
}

/// Decodes the decision form into a ``HoldDecisionRequest``, or throws a one-line ``FormError``.
///
/// - `action`: `release`, `reject` or `escalate`.
/// - release: `licence_number`; with `licence_issued`, `licence_expires` (YYYY-MM-DD, expiry not
///   before issue) and exactly one of `limit_tpp` (a positive decimal, at most three decimals) or
///   `limit_units` (a positive integer), it is a new licence; with none of them, an existing one.
/// - reject: `note` is required. Licence fields belong to a release only.
/// - `note`: at most ``maxNoteLength`` characters. The `csrf` field is checked by the server
///   (``CSRFTokens``) before decoding.
///
/// ```swift
/// let form = try FormBody(parsing: "action=release&licence_number=D-0001&licence_issued=2026-01-05"
///                                 + "&licence_expires=2027-01-04&limit_tpp=300000000&csrf=...")
/// let request = try DecisionForm.decode(form)
/// // .release, licence .new(NewLicence(number: "D-0001", ..., limit: .tpp(TPP(whole: 300_000_000))))
/// ```
public enum DecisionForm {
    /// The longest note accepted, in characters (a decision note, not a document).
    public static let maxNoteLength = 2000
    /// The longest licence number accepted, in characters.
    public static let maxLicenceNumberLength = 64

    public static func decode(_ form: FormBody) throws(FormError) -> HoldDecisionRequest {
        try form.rejectUnknown(Set(DecisionField.allCases.map(\.rawValue)))
        func value(_ field: DecisionField) throws(FormError) -> String? { try form.single(field.rawValue) }

        guard let actionText = try value(.action) else { throw FormError(field: "action", value: nil, "is required: release, reject or escalate") }
        guard let action = DecisionAction(rawValue: actionText) else {
            throw FormError(field: "action", value: actionText, "is not release, reject or escalate")
        }
        let note = try value(.note)
        if let note, note.count > maxNoteLength {
            throw FormError(field: "note", value: nil, "has \(note.count) characters; at most \(maxNoteLength)")
        }
        let licenceFields: [DecisionField] = [.licenceNumber, .licenceIssued, .licenceExpires, .limitTPP, .limitUnits]
        switch action {
        case .reject, .escalate:
            for field in licenceFields {
                if let given = try value(field) {
                    throw FormError(field: field.rawValue, value: given, "belongs to a release, not to \(action.rawValue)")
                }
            }
            if action == .reject && note == nil { throw FormError(field: "note", value: nil, "is required to reject a hold: say why") }
            return HoldDecisionRequest(action: action, licence: nil, note: note)
        case .release:
            return HoldDecisionRequest(action: action, licence: try licence(form), note: note)
        }
    }

    private static func licence(_ form: FormBody) throws(FormError) -> LicenceChoice {
        func value(_ field: DecisionField) throws(FormError) -> String? { try form.single(field.rawValue) }
        guard let number = try value(.licenceNumber) else {
            throw FormError(field: "licence_number", value: nil, "is required to release a hold: an existing licence, or a new one with its dates and limit")
        }
        if number.count > maxLicenceNumberLength {
            throw FormError(field: "licence_number", value: number, "is longer than \(maxLicenceNumberLength) characters")
        }
        if let bad = number.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw FormError(field: "licence_number", value: number, "contains the control character U+\(String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4))")
        }
        let issuedText = try value(.licenceIssued), expiresText = try value(.licenceExpires)
        let tppText = try value(.limitTPP), unitsText = try value(.limitUnits)
        if issuedText == nil && expiresText == nil && tppText == nil && unitsText == nil {
            return .existing(number: number)
        }
        func day(_ text: String?, _ field: DecisionField) throws(FormError) -> Day {
            guard let text else { throw FormError(field: field.rawValue, value: nil, "is required for a new licence (YYYY-MM-DD)") }
            guard let day = Day(text) else { throw FormError(field: field.rawValue, value: text, "is not a date (YYYY-MM-DD)") }
            return day
        }
        let issued = try day(issuedText, .licenceIssued)
        let expires = try day(expiresText, .licenceExpires)
        if expires < issued {
            throw FormError(field: "licence_expires", value: expiresText, "is before licence_issued \(issued)")
        }
        let limit: LicenceAmount
        switch (tppText, unitsText) {
        case (nil, nil):
            throw FormError(field: "limit_tpp", value: nil, "or limit_units is required for a new licence")
        case (.some, .some):
            throw FormError(field: "limit_units", value: unitsText, "given with limit_tpp; a licence is limited in TPP or in units, not both")
        case let (.some(text), nil):
            guard let tpp = TPP(parsing: Substring(text)) else { throw FormError(field: "limit_tpp", value: text, "is not a plain decimal number of TPP") }
            guard tpp > .zero else { throw FormError(field: "limit_tpp", value: text, "must be more than 0") }
            limit = .tpp(tpp)
        case let (nil, .some(text)):
            guard let units = Int64(text) else { throw FormError(field: "limit_units", value: text, "is not a whole number of units") }
            guard units > 0 else { throw FormError(field: "limit_units", value: text, "must be more than 0") }
            limit = .units(units)
        }
        return .new(NewLicence(number: number, issued: issued, expires: expires, limit: limit))
    }
}
