import AllocationLedger

/// The four roles a bearer token can have, and what each may do.
///
/// | role | may |
/// |---|---|
/// | `screener` | screen rows (dry run) and commit them |
/// | `officer` | read and decide holds, record licences, recheck holds |
/// | `auditor` | read everything: holds, licences, runs, receipts, caps, tokens; verify the ledger |
/// | `admin` | create, list and revoke tokens |
///
/// Every role reads the reference routes (chip classification, rule layers, tiers, diffs).
///
/// ```swift
/// Role.officer.allows(.decideHolds)   // true
/// Role.screener.allows(.decideHolds)  // false: 403
/// ```
public enum Role: String, Sendable, CaseIterable, Hashable {
    case screener, officer, auditor, admin

    public func allows(_ permission: Permission) -> Bool {
        switch permission {
        case .reference: return true
        case .screen: return self == .screener
        case .readHolds, .readLicences: return self == .officer || self == .auditor
        case .decideHolds, .writeLicences, .recheck: return self == .officer
        case .readRuns, .readCaps: return self != .admin
        case .verify: return self == .auditor
        case .readTokens: return self == .admin || self == .auditor
        case .writeTokens: return self == .admin
        }
    }

    /// The roles that have a permission.
    public static func with(_ permission: Permission) -> [Role] { allCases.filter { $0.allows(permission) } }
}

/// What a request needs its token to allow.
public enum Permission: String, Sendable, CaseIterable {
    /// Chip classification and rule data: any valid token.
    case reference
    /// `POST /v1/screenings`, dry run or commit.
    case screen
    case readHolds, decideHolds, recheck
    case readLicences, writeLicences
    /// Runs and their receipts.
    case readRuns
    /// Cap balances.
    case readCaps
    /// `ledger verify`.
    case verify
    case readTokens, writeTokens
}

/// The holder of a valid token: who is acting, in which role.
public struct Principal: Sendable, Hashable {
    public var name: String
    public var role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }

    /// How ledger events name it.
    public var acting: ActingToken { ActingToken(name: name, role: role.rawValue) }
}
