import DiffusionRules

/// A set of reporting criteria for large AI training runs and computing clusters, as data: the
/// EO 14110 interim technical conditions (bundled `cloud/eo-14110-interim.yaml`) or the September 2024
/// part 702 proposal (`cloud/part702-2024-proposed.yaml`), or a user's own pack file.
///
/// ```yaml
/// id: eo-14110-interim
/// status: revoked
/// training_run:
///   operations: {value: 1.0e+26, comparison: above, unit: operations, source: "EO 14110 §4.2(b)(i)", confidence: high}
///   biological_operations: {value: 1.0e+23, comparison: above, unit: operations, ...}
/// cluster:
///   peak_operations_per_second: {value: 1.0e+20, comparison: at_least, unit: operations/s, ...}
///   network_gbps: {value: 100, comparison: above, unit: Gbit/s, ...}
/// ```
public struct CloudCriteria: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable {
        case inForce = "in_force"
        case revoked
        case proposed
    }

    public var id: String
    public var title: String
    public var citation: String
    public var status: Status
    /// When the criteria took effect (in-force or revoked instruments).
    public var effectiveFrom: Day?
    /// Publication of a proposal.
    public var publishedOn: Day?
    public var revokedOn: Day?
    public var statusNote: String
    public var trainingRun: TrainingRunCriteria
    public var cluster: ClusterCriteria

    enum CodingKeys: String, CodingKey {
        case id, title, citation, status
        case effectiveFrom = "effective_from"
        case publishedOn = "published_on"
        case revokedOn = "revoked_on"
        case statusNote = "status_note"
        case trainingRun = "training_run"
        case cluster
    }

    /// Whether the criteria bound anyone on `day`.
    public func isInForce(on day: Day) -> Bool {
        switch status {
        case .proposed: return false
        case .inForce, .revoked:
            if let from = effectiveFrom, day < from { return false }
            if let revoked = revokedOn, day >= revoked { return false }
            return true
        }
    }

    /// A warning for reports on `day` when the criteria were not in force, else nil.
    public func statusWarning(on day: Day) -> String? {
        if isInForce(on: day) { return nil }
        switch status {
        case .proposed:
            return "\(id) is a proposal, never in force; its thresholds are shown as a reference (\(statusNote))"
        case .revoked, .inForce:
            if let from = effectiveFrom, day < from { return "\(id) took effect on \(from), after \(day); thresholds shown as a reference" }
            return "\(id) was revoked on \(revokedOn?.description ?? "?"); thresholds shown as a reference (\(statusNote))"
        }
    }
}

/// Training-run thresholds (operations per run).
public struct TrainingRunCriteria: Codable, Sendable, Hashable {
    /// Any run (EO 14110 §4.2(b)(i): more than 10^26 operations).
    public var operations: OperationsThreshold
    /// Runs on primarily biological sequence data (10^23), when the instrument has such a test.
    public var biologicalOperations: OperationsThreshold?
    /// Share of a run's operations on biological records above which it is "primarily" biological.
    public var biologicalShare: OperationsThreshold?

    enum CodingKeys: String, CodingKey {
        case operations
        case biologicalOperations = "biological_operations"
        case biologicalShare = "biological_share"
    }
}

/// Computing-cluster thresholds: theoretical peak (operations/s) and networking (Gbit/s).
public struct ClusterCriteria: Codable, Sendable, Hashable {
    public var peakOperationsPerSecond: OperationsThreshold
    public var networkGbps: OperationsThreshold
    /// Bit length at which a chip's theoretical maximum is taken: TPP × 10^12 / bits operations/s.
    public var peakBits: Int
    public var peakSource: String
    public var peakConfidence: Confidence

    enum CodingKeys: String, CodingKey {
        case peakOperationsPerSecond = "peak_operations_per_second"
        case networkGbps = "network_gbps"
        case peakBits = "peak_bits"
        case peakSource = "peak_source"
        case peakConfidence = "peak_confidence"
    }
}
