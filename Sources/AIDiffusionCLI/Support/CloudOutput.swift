import CloudMonitoring
import DiffusionRules
import Screening
import TabularIO

/// Writes a ``CloudReport`` as a table, JSON (one object), JSON lines (one owner per line) or CSV
/// (one owner per row).
enum CloudOutput {
    static func q(_ s: String) -> String { JSONEscaping.quoted(s) }
    static func n(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }

    static func write(_ report: CloudReport, format: OutputFormat, flaggedOnly: Bool, top: Int, file: String, sink: ByteSink) {
        let owners = flaggedOnly ? report.owners.filter(\.flagged) : report.owners
        switch format {
        case .json:
            sink.write("{\"file\":\(q(file)),\"as_of\":\(q(report.asOf.description)),\"criteria\":\(criteria(report.criteria))")
            sink.write(",\"records\":\(report.records),\"owners_total\":\(report.owners.count),\"owners_flagged\":\(report.owners.filter(\.flagged).count)")
            sink.write(",\"accounts\":\(report.accountCount),\"resellers\":\(report.resellerCount)")
            sink.write(",\"warnings\":[\(report.warnings.map(q).joined(separator: ","))]")
            sink.write(",\"clusters\":[\(report.clusters.map(cluster).joined(separator: ","))]")
            sink.write(",\"owners\":[\n")
            for (i, owner) in owners.enumerated() {
                sink.write((i == 0 ? "" : ",\n") + ownerJSON(owner))
                sink.endRecord()
            }
            sink.write("\n]}\n")
        case .jsonl:
            for owner in owners { sink.write(ownerJSON(owner) + "\n"); sink.endRecord() }
        case .csv:
            sink.write("owner,owner_hq,accounts,resellers,records,gpu_hours,operations,max_operations,largest_run,largest_run_operations,largest_run_threshold,flags,reasons,warnings\n")
            for o in owners {
                let run = o.runs.first
                var cells = [o.owner, o.headquarters.description, String(o.accounts.count), String(o.resellers.count), String(o.records)]
                cells += [n(o.gpuHours), n(o.operations), n(o.maxOperations), run?.label ?? "", run.map { n($0.operations) } ?? "",
                          run.map { n($0.threshold.value) } ?? ""]
                cells += [o.flags.joined(separator: "; "), o.reasons.map(\.text).joined(separator: "; "), o.warnings.joined(separator: "; ")]
                sink.write(cells.map(csvField).joined(separator: ",") + "\n")
                sink.endRecord()
            }
        case .table:
            table(report, owners: owners, flaggedOnly: flaggedOnly, top: top, file: file, sink: sink)
        }
        sink.flush()
    }

    static func criteria(_ c: CloudCriteria) -> String {
        func threshold(_ t: OperationsThreshold?) -> String {
            guard let t else { return "null" }
            return "{\"value\":\(n(t.value)),\"comparison\":\(q(t.comparison.rawValue)),\"unit\":\(q(t.unit)),\"source\":\(q(t.source)),\"confidence\":\(q(t.confidence.rawValue))}"
        }
        return "{\"id\":\(q(c.id)),\"title\":\(q(c.title)),\"status\":\(q(c.status.rawValue)),\"citation\":\(q(c.citation))"
            + ",\"training_run_operations\":\(threshold(c.trainingRun.operations)),\"biological_operations\":\(threshold(c.trainingRun.biologicalOperations))"
            + ",\"cluster_peak_operations_per_second\":\(threshold(c.cluster.peakOperationsPerSecond)),\"cluster_network_gbps\":\(threshold(c.cluster.networkGbps))}"
    }

    static func cluster(_ c: ClusterReport) -> String {
        "{\"name\":\(q(c.name)),\"peak_operations_per_second\":\(n(c.peakOperationsPerSecond)),\"peak_basis\":\(q(c.peakBasis)),\"network_gbps\":\(c.networkGbps.map(n) ?? "null"),\"meets_criteria\":\(c.meetsCriteria.map { $0 ? "true" : "false" } ?? "null"),\"owners\":\(c.owners),\"records\":\(c.records)}"
    }

    static func ownerJSON(_ o: OwnerReport) -> String {
        var out = "{\"owner\":\(q(o.owner)),\"owner_hq\":\(q(o.headquarters.description))"
        out += ",\"owner_hq_conflict\":\(o.headquartersConflict.map { "{\"owner_hq\":\(q($0.0.description)),\"line\":\($0.1)}" } ?? "null")"
        out += ",\"accounts\":[\(o.accounts.map(q).joined(separator: ","))],\"resellers\":[\(o.resellers.map(q).joined(separator: ","))]"
        out += ",\"clusters\":[\(o.clusters.map(q).joined(separator: ","))],\"records\":\(o.records),\"gpu_hours\":\(n(o.gpuHours))"
        out += ",\"operations\":\(n(o.operations)),\"max_operations\":\(n(o.maxOperations)),\"runs\":["
        out += o.runs.map { r in
            "{\"run\":\(q(r.label)),\"operations\":\(n(r.operations)),\"max_operations\":\(n(r.maxOperations)),\"gpu_hours\":\(n(r.gpuHours)),\"records\":\(r.records),\"accounts\":\(r.accounts),\"resellers\":\(r.resellers),\"biological_share\":\(n(r.biologicalShare)),\"threshold\":\(n(r.threshold.value)),\"threshold_comparison\":\(q(r.threshold.comparison.rawValue)),\"over_threshold\":\(r.overThreshold),\"possibly_over\":\(r.possiblyOver)}"
        }.joined(separator: ",")
        out += "],\"flags\":[\(o.flags.map(q).joined(separator: ","))]"
        out += ",\"reasons\":[\(o.reasons.map { "{\"code\":\(q($0.code)),\"text\":\(q($0.text)),\"citation\":\(q($0.citation))}" }.joined(separator: ","))]"
        out += ",\"warnings\":[\(o.warnings.map(q).joined(separator: ","))]"
        out += ",\"customers\":[\(o.customers.map { "{\"account\":\(q($0.account)),\"name\":\(q($0.name)),\"country\":\(q($0.country.description)),\"beneficial_owner\":\(q($0.beneficialOwner)),\"verification_status\":\(q($0.status.rawValue)),\"verified_on\":\($0.verifiedOn.map { q($0.description) } ?? "null")}" }.joined(separator: ","))]}"
        return out
    }

    static func table(_ report: CloudReport, owners: [OwnerReport], flaggedOnly: Bool, top: Int, file: String, sink: ByteSink) {
        let c = report.criteria
        let flagged = owners.filter(\.flagged)
        sink.write("Cloud usage \(file): \(report.records) records, \(report.owners.count) beneficial owners, \(report.accountCount) accounts, \(report.resellerCount) resellers\n")
        var thresholds = "training run \(c.trainingRun.operations.comparison.symbol) \(Scientific.format(c.trainingRun.operations.value))"
        if let bio = c.trainingRun.biologicalOperations { thresholds += " (\(bio.comparison.symbol) \(Scientific.format(bio.value)) on biological sequence data)" }
        thresholds += "; cluster \(c.cluster.peakOperationsPerSecond.comparison.symbol) \(Scientific.format(c.cluster.peakOperationsPerSecond.value)) operations/s with networking \(c.cluster.networkGbps.comparison.symbol) \(NumberText.plain(c.cluster.networkGbps.value)) Gbit/s"
        sink.write("Criteria \(c.id) (\(c.status.rawValue)) on \(report.asOf): \(thresholds)\n\n")
        var shown = flagged
        if !flaggedOnly { shown += owners.filter { !$0.flagged }.prefix(max(0, top)) }
        var table = TextTable(header: ["OWNER", "HQ", "ACCOUNTS", "RESELLERS", "RECORDS", "GPU-HOURS", "OPERATIONS", "LARGEST RUN", "FLAGS"],
                              rightAligned: [2, 3, 4, 5, 6])
        for o in shown {
            let run = o.runs.first.map { "\($0.label) \(Scientific.format($0.operations))" } ?? "-"
            table.add([o.owner, o.headquarters.description, String(o.accounts.count), String(o.resellers.count), String(o.records),
                       Scientific.format(o.gpuHours), Scientific.format(o.operations), run, o.flags.isEmpty ? "-" : o.flags.joined(separator: ",")])
        }
        sink.write(table.render())
        let hidden = owners.count - shown.count
        if hidden > 0 { sink.write("(\(hidden) more unflagged owners; --format json lists all)\n") }
        for o in flagged {
            sink.write("\n\(o.owner) (\(o.headquarters)): accounts \(o.accounts.joined(separator: ", ")); resellers \(o.resellers.isEmpty ? "none" : o.resellers.joined(separator: ", "))\n")
            for reason in o.reasons { sink.write("  - [\(reason.code)] \(reason.text) [\(reason.citation)]\n") }
            for warning in o.warnings { sink.write("  warning: \(warning)\n") }
            for customer in o.customers {
                sink.write("  customer: \(customer.name) (\(customer.account), \(customer.country)), beneficial owner \(customer.beneficialOwner), \(customer.status.rawValue)\n")
            }
        }
        let interesting = report.clusters.filter { $0.meetsPeak || $0.meetsCriteria == true }
        if !interesting.isEmpty {
            var clusters = TextTable(header: ["CLUSTER", "PEAK OP/S", "NETWORK GBIT/S", "MEETS", "OWNERS", "BASIS"], rightAligned: [1, 2, 4])
            for cl in interesting {
                clusters.add([cl.name, Scientific.format(cl.peakOperationsPerSecond), cl.networkGbps.map { NumberText.plain($0) } ?? "unknown",
                              cl.meetsCriteria.map { $0 ? "yes" : "no" } ?? "unknown", String(cl.owners), cl.peakBasis])
            }
            sink.write("\nClusters at the peak criterion:\n" + clusters.render())
        }
        if !report.warnings.isEmpty {
            sink.write("\nwarnings:\n" + report.warnings.map { "  - \($0)" }.joined(separator: "\n") + "\n")
        }
    }
}
