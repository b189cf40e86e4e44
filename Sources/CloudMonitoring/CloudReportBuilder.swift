import DiffusionRules

/// Turns aggregated usage into a ``CloudReport``: per owner, each run against the training-run
/// thresholds (biological data lowers it), the owner's cumulative operations, clusters against the
/// cluster criteria, red flag 28, and customer-identification records. Every threshold and
/// citation comes from the ``CloudCriteria`` pack and the ``RedFlag28Test``.
public enum CloudReportBuilder {
    public static func build(_ usage: UsageAggregator, criteria: CloudCriteria, asOf: Day, redFlag: RedFlag28Test?,
                             clusters specs: [ClusterSpec] = [], customers: [CustomerRecord]? = nil) -> CloudReport {
        var warnings: [String] = []
        if let warning = criteria.statusWarning(on: asOf) { warnings.append(warning) }
        if let note = redFlag?.note { warnings.append(note) }
        if let share = criteria.trainingRun.biologicalShare, share.confidence == .low, let note = share.note { warnings.append(note) }
        if criteria.trainingRun.biologicalOperations == nil {
            warnings.append("\(criteria.id) has no separate threshold for biological sequence data: biological runs are tested against \(Scientific.format(criteria.trainingRun.operations.value))")
        }

        // Clusters.
        let runs = usage.runs()
        let clusterReports = clusterTests(usage, runs: runs, criteria: criteria, specs: specs, warnings: &warnings)
        let clusterMeets = Dictionary(uniqueKeysWithValues: clusterReports.map { ($0.name, $0.meetsCriteria) })

        var runsByOwner = [[Int]](repeating: [], count: usage.owners.count)
        for (index, run) in runs.enumerated() { runsByOwner[Int(run.owner)].append(index) }
        var customersByOwner: [String: [CustomerRecord]] = [:]
        var customersByAccount: [String: [CustomerRecord]] = [:]
        for record in customers ?? [] {
            customersByOwner[record.beneficialOwner, default: []].append(record)
            customersByAccount[record.account, default: []].append(record)
        }

        var owners: [OwnerReport] = []
        for (ownerIndex, ownerRuns) in runsByOwner.enumerated() {
            let ownerID = Int32(ownerIndex)
            let name = usage.owners.name(ownerID)
            var accountIDs = Set<Int32>(), resellerIDs = Set<Int32>(), clusterIDs = Set<Int32>()
            var runReports: [RunReport] = []
            var records = 0
            var gpuHours = 0.0, operations = 0.0, maxOperations = 0.0
            let headquarters = runs[ownerRuns[0]].headquarters
            var conflict: (CountryCode, Int)?
            for run in ownerRuns {
                let totals = runs[run]
                accountIDs.formUnion(totals.accounts)
                resellerIDs.formUnion(totals.resellers)
                clusterIDs.formUnion(totals.clusters)
                runReports.append(runReport(usage, totals, criteria: criteria))
                records += totals.records
                gpuHours += totals.gpuHours
                operations += totals.operations
                maxOperations += totals.maxOperations
                if conflict == nil {
                    if totals.headquarters != headquarters {
                        conflict = (totals.headquarters, 0)
                    } else if let inRun = totals.headquartersConflict {
                        conflict = inRun
                    }
                }
            }
            runReports.sort { ($0.operations, $1.label) > ($1.operations, $0.label) }
            var report = OwnerReport(
                owner: name, headquarters: headquarters, headquartersConflict: conflict,
                accounts: accountIDs.map { usage.accounts.name($0) }.sorted(),
                resellers: resellerIDs.map { usage.resellers.name($0) }.sorted(),
                clusters: clusterIDs.map { usage.clusters.name($0) }.sorted(),
                records: records, gpuHours: gpuHours, operations: operations, maxOperations: maxOperations,
                runs: runReports, flags: [], reasons: [], warnings: [], customers: [])
            flag(&report, criteria: criteria, redFlag: redFlag, clusterMeets: clusterMeets)
            if customers != nil {
                identify(&report, byOwner: customersByOwner[name] ?? [], byAccount: customersByAccount)
            }
            owners.append(report)
        }
        owners.sort { ($0.flagged ? 1 : 0, $0.operations, $1.owner) > ($1.flagged ? 1 : 0, $1.operations, $0.owner) }
        return CloudReport(criteria: criteria, asOf: asOf, owners: owners, clusters: clusterReports, records: usage.records,
                           accountCount: usage.accounts.count, resellerCount: usage.resellers.count, warnings: warnings)
    }

    static func runReport(_ usage: UsageAggregator, _ totals: UsageAggregator.RunTotals, criteria: CloudCriteria) -> RunReport {
        let operations = totals.operations
        let share = operations > 0 ? totals.biologicalOperations / operations : 0
        var threshold = criteria.trainingRun.operations
        var biological = false
        if let bio = criteria.trainingRun.biologicalOperations, let primary = criteria.trainingRun.biologicalShare,
           primary.holds(for: share) {
            threshold = bio
            biological = true
        }
        let over = threshold.holds(for: operations)
        let label = totals.label >= 0 ? usage.runNames.name(totals.label) : "(unlabelled)"
        return RunReport(label: label, operations: operations, maxOperations: totals.maxOperations,
                         gpuHours: totals.gpuHours, records: totals.records, accounts: totals.accounts.count,
                         resellers: totals.resellers.count, biologicalShare: share, biological: biological, threshold: threshold,
                         overThreshold: over, possiblyOver: !over && threshold.holds(for: totals.maxOperations))
    }

    static func flag(_ report: inout OwnerReport, criteria: CloudCriteria, redFlag: RedFlag28Test?, clusterMeets: [String: Bool?]) {
        func add(_ flag: String, _ reason: Reason) {
            if !report.flags.contains(flag) { report.flags.append(flag) }
            report.reasons.append(reason)
        }
        let general = criteria.trainingRun.operations
        for run in report.runs {
            let where_ = "\(run.accounts) account\(run.accounts == 1 ? "" : "s") and \(run.resellers) reseller\(run.resellers == 1 ? "" : "s")"
            let kind = run.biological
                ? "primarily biological sequence data (\(percent(run.biologicalShare)) of its operations): threshold \(run.threshold.comparison.symbol) \(Scientific.format(run.threshold.value))"
                : "threshold \(run.threshold.comparison.symbol) \(Scientific.format(run.threshold.value))"
            if run.overThreshold {
                add("training-run", Reason(code: "training-run",
                                           text: "run \(run.label): \(Scientific.format(run.operations)) operations across \(where_); \(kind)",
                                           citation: criteria.citation))
            } else if run.possiblyOver {
                // An upper bound (every chip at its 8-bit peak all the time), not an estimate: a warning.
                report.warnings.append("run \(run.label): \(Scientific.format(run.operations)) operations at the stated utilization, up to \(Scientific.format(run.maxOperations)) at full 8-bit peak (\(kind)); measured utilization and precision would settle whether it crosses")
            }
        }
        if !report.runs.contains(where: { $0.overThreshold }), report.runs.count > 1, general.holds(for: report.operations) {
            add("cumulative", Reason(code: "cumulative",
                                     text: "\(report.runs.count) runs together use \(Scientific.format(report.operations)) operations (\(general.comparison.symbol) \(Scientific.format(general.value))) though none does alone: they may be one training run split across labels",
                                     citation: criteria.citation))
        }
        let bigClusters = report.clusters.filter { (clusterMeets[$0] ?? nil) == true }
        if !bigClusters.isEmpty {
            // The cluster criterion concerns the cluster (listed in the report's clusters), not the customer.
            report.warnings.append("ran on cluster\(bigClusters.count == 1 ? "" : "s") \(bigClusters.joined(separator: ", ")), which meet\(bigClusters.count == 1 ? "s" : "") the cluster criteria (\(criteria.cluster.peakOperationsPerSecond.comparison.symbol) \(Scientific.format(criteria.cluster.peakOperationsPerSecond.value)) operations/s, networking \(criteria.cluster.networkGbps.comparison.symbol) \(NumberText.plain(criteria.cluster.networkGbps.value)) Gbit/s)")
        }
        if let conflict = report.headquartersConflict {
            let line = conflict.1 > 0 ? " (line \(conflict.1))" : " (on another run)"
            report.warnings.append("headquarters given as \(report.headquarters) and as \(conflict.0)\(line); red flag 28 is tested on both")
        }
        if let redFlag, let run = report.runs.first(where: { redFlag.operations.holds(for: $0.operations) }) {
            let hqs = [report.headquarters] + (report.headquartersConflict.map { [$0.0] } ?? [])
            if let outside = hqs.first(where: { !redFlag.headquarters.contains($0) }) {
                let text = "run \(run.label) (\(Scientific.format(run.operations)) operations, \(redFlag.operations.comparison.symbol) \(Scientific.format(redFlag.operations.value)): 4E091 scale) for an owner headquartered in \(outside), outside Supplement No. 5(a): \(redFlag.warning)"
                if redFlag.inForce {
                    add("red-flag-28", Reason(code: "red-flag-28", text: text, citation: redFlag.citation))
                } else {
                    report.warnings.append("as written, red flag 28 would apply: \(text)")
                }
            }
        }
    }

    /// Joins customer-identification records to an owner: by beneficial owner and by account.
    static func identify(_ report: inout OwnerReport, byOwner: [CustomerRecord], byAccount: [String: [CustomerRecord]]) {
        var records = byOwner
        var missing: [String] = []
        for account in report.accounts {
            let matches = byAccount[account] ?? []
            if matches.isEmpty { missing.append(account); continue }
            for record in matches where record.beneficialOwner != report.owner {
                report.warnings.append("customer record (line \(record.line)) for account \(account) names beneficial owner \"\(record.beneficialOwner)\"; the usage attributes the account to \"\(report.owner)\"")
                if !records.contains(record) { records.append(record) }
            }
        }
        records.sort { $0.line < $1.line }
        report.customers = records
        let flagged = report.flagged
        if !missing.isEmpty {
            let text = "no customer-identification record for account\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))"
            if flagged {
                report.flags.append("cip-missing")
                report.reasons.append(Reason(code: "cip-missing", text: text, citation: "proposed 15 CFR 7.302 (89 FR 5698, Jan. 29, 2024)"))
            } else {
                report.warnings.append(text)
            }
        }
        let unverified = records.filter { $0.status != .verified }
        if !unverified.isEmpty {
            let text = "customer identification not verified: " + unverified.map { "\($0.name) (\($0.account), \($0.status.rawValue))" }.joined(separator: ", ")
            if flagged {
                report.flags.append("cip-unverified")
                report.reasons.append(Reason(code: "cip-unverified", text: text, citation: "proposed 15 CFR 7.302 (89 FR 5698, Jan. 29, 2024)"))
            } else {
                report.warnings.append(text)
            }
        }
    }

    static func clusterTests(_ usage: UsageAggregator, runs: [UsageAggregator.RunTotals], criteria: CloudCriteria,
                             specs: [ClusterSpec], warnings: inout [String]) -> [ClusterReport] {
        let peakTest = criteria.cluster.peakOperationsPerSecond, networkTest = criteria.cluster.networkGbps
        var ownersPerCluster = [Int](repeating: 0, count: usage.clusters.count)
        var seen = PairMap(capacity: 256)
        for run in runs {
            for cluster in run.clusters where seen.insert(PairMap.key(run.owner, cluster)) { ownersPerCluster[Int(cluster)] += 1 }
        }
        let byName = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var reports: [ClusterReport] = []
        var unknownNetwork: [String] = []
        for id in 0..<usage.clusters.count {
            let name = usage.clusters.name(Int32(id))
            let records = id < usage.clusterRecords.count ? usage.clusterRecords[id] : 0
            if let spec = byName[name] {
                let meetsPeak = peakTest.holds(for: spec.peakOperationsPerSecond)
                reports.append(ClusterReport(name: name, peakOperationsPerSecond: spec.peakOperationsPerSecond, peakBasis: "clusters file",
                                             networkGbps: spec.networkGbps, meetsCriteria: meetsPeak && networkTest.holds(for: spec.networkGbps),
                                             meetsPeak: meetsPeak, owners: ownersPerCluster[id], records: records))
            } else {
                let peak = id < usage.clusterObservedPeak.count ? usage.clusterObservedPeak[id] : 0
                let meetsPeak = peakTest.holds(for: peak)
                if meetsPeak { unknownNetwork.append(name) }
                reports.append(ClusterReport(name: name, peakOperationsPerSecond: peak,
                                             peakBasis: "usage (largest chip_count x 8-bit peak on one record; a lower bound)",
                                             networkGbps: nil, meetsCriteria: meetsPeak ? nil : false, meetsPeak: meetsPeak,
                                             owners: ownersPerCluster[id], records: records))
            }
        }
        if !unknownNetwork.isEmpty {
            warnings.append("cluster\(unknownNetwork.count == 1 ? "" : "s") \(unknownNetwork.joined(separator: ", ")) reach the peak criterion but their networking is unknown: give --clusters FILE")
        }
        return reports.sorted { ($0.peakOperationsPerSecond, $1.name) > ($1.peakOperationsPerSecond, $0.name) }
    }

    static func percent(_ share: Double) -> String {
        let value = (share * 1000).rounded() / 10
        return (value == value.rounded() ? String(Int(value)) : String(value)) + "%"
    }
}
