import DiffusionRules

/// Red flag 28 (Supplement No. 3 to part 732) as a test on aggregated usage: a run at the 4E091
/// training-operations threshold for an owner headquartered outside Supplement No. 5(a).
/// Resolved by the caller from the regime's AI Diffusion layer (threshold, country set, flag text).
public struct RedFlag28Test: Sendable {
    /// The 4E091 heading threshold (10^26 or more operations).
    public var operations: OperationsThreshold
    /// Countries of Supplement No. 5(a) on the report date.
    public var headquarters: Set<CountryCode>
    public var warning: String
    public var citation: String
    /// Whether the red flag applies under the regime on the report date.
    public var inForce: Bool
    /// Why it does not apply, or the "as written" caveat.
    public var note: String?

    public init(operations: OperationsThreshold, headquarters: Set<CountryCode>, warning: String, citation: String,
                inForce: Bool, note: String?) {
        self.operations = operations
        self.headquarters = headquarters
        self.warning = warning
        self.citation = citation
        self.inForce = inForce
        self.note = note
    }
}

/// A computing cluster as the provider knows it (`--clusters` file).
public struct ClusterSpec: Sendable, Hashable {
    public var name: String
    public var chip: String
    public var chipCount: Int
    /// Datacenter networking that connects the cluster's machines, Gbit/s.
    public var networkGbps: Double
    /// Theoretical peak of the cluster, operations/s (chips × 8-bit peak).
    public var peakOperationsPerSecond: Double
    public var line: Int

    public init(name: String, chip: String, chipCount: Int, networkGbps: Double, peakOperationsPerSecond: Double, line: Int) {
        self.name = name
        self.chip = chip
        self.chipCount = chipCount
        self.networkGbps = networkGbps
        self.peakOperationsPerSecond = peakOperationsPerSecond
        self.line = line
    }
}

/// Result of verifying a customer's identity under a customer identification programme.
public enum VerificationStatus: String, Sendable, CaseIterable {
    case verified, pending, unverified, failed
}

/// A customer-identification record (proposed 15 CFR 7.302 CIP: name, country, beneficial owner,
/// verification), kept in a CSV beside the usage file.
public struct CustomerRecord: Sendable, Hashable {
    public var account: String
    public var name: String
    /// Country of the customer (ISO 3166-1 alpha-2).
    public var country: CountryCode
    public var beneficialOwner: String
    public var status: VerificationStatus
    public var verifiedOn: Day?
    public var line: Int

    public init(account: String, name: String, country: CountryCode, beneficialOwner: String, status: VerificationStatus,
                verifiedOn: Day?, line: Int) {
        self.account = account
        self.name = name
        self.country = country
        self.beneficialOwner = beneficialOwner
        self.status = status
        self.verifiedOn = verifiedOn
        self.line = line
    }
}
