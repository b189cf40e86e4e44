import Foundation
import Testing

/// `classify model`, `screen-weights` and `cloud report` end to end (exit codes, stdout/stderr).
@Suite("Weights and cloud commands")
struct ChannelCommandTests {
    @Test("classify model --dataset epoch lists exactly the three closed models at or above 1e26 (2025-12-01)")
    func datasetListing() throws {
        let result = try run(["classify", "model", "--dataset", "epoch", "--as-of", "2025-12-01", "--format", "csv"])
        #expect(result.status == 0)
        let rows = result.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == 3)
        #expect(Set(rows.map { String($0.split(separator: ",")[0]) }) == ["Grok 4", "GPT-4.5", "Grok 3"])
        #expect(rows.allSatisfy { $0.contains(",closed,controlled,4E091,") })
    }

    @Test("classify model under enforced says 4E091 was never enforced, and exports need no licence")
    func enforced() throws {
        let result = try run(["classify", "model", "Grok 3", "--regime", "enforced", "--as-of", "2025-06-01",
                              "--destination", "AE", "--recipient-hq", "AE", "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"status\":\"not_in_force\""))
        #expect(result.stdout.contains("never enforced"))
        #expect(result.stdout.contains("\"authorization\":\"NLR\""))
    }

    @Test("screen-weights --compare: AIA with the storage obligation vs NLR")
    func screenWeights() throws {
        let result = try run(["screen-weights", "examples/weights-exports.csv", "--compare", "enforced,ai-diffusion-2025",
                              "--format", "jsonl"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 8)
        #expect(lines[0].contains("\"authorization\":\"AIA\"") && lines[0].contains("\"id\":\"supp10-storage\""))
        #expect(lines[1].contains("\"review_policy\":\"presumption_of_denial\""))
    }

    @Test("cloud report flags the split owner, the biological run and red flag 28")
    func cloudReport() throws {
        let result = try run(["cloud", "report", "examples/cloud-usage.csv", "--customers", "examples/cloud-customers.csv",
                              "--clusters", "examples/cloud-clusters.csv", "--as-of", "2025-03-01", "--format", "jsonl"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[0].contains("\"owner\":\"Helios Labs Pte Ltd\"")
            && lines[0].contains("\"flags\":[\"training-run\",\"red-flag-28\",\"cip-missing\",\"cip-unverified\"]"))
        #expect(lines[1].contains("\"owner\":\"Nucleotide Bio AG\"") && lines[1].contains("\"flags\":[\"training-run\"]"))
        let proposal = try run(["cloud", "report", "examples/cloud-usage.csv", "--criteria", "part702-2024-proposed",
                                "--as-of", "2025-03-01", "--format", "jsonl", "--flagged-only"])
        #expect(proposal.stdout.split(separator: "\n").count == 1, "no biological threshold in the part 702 proposal")
    }

    @Test("cloud report: a bad cell is one line on stderr naming file, line, column and value; exit 1; no output")
    func cloudBadInput() throws {
        let file = try temporaryFile("usage.csv", """
        account,beneficial_owner,owner_hq,chip,gpu_hours,utilization
        a1,Owner,US,H100,100,0.5
        a2,Owner,US,H100,100,1.7
        """)
        let result = try run(["cloud", "report", file])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains(":3: column \"utilization\": \"1.7\" must be in (0, 1]"))
        #expect(try run(["cloud", "report", file, "--criteria", "nope"]).status == 1)
        #expect(try run(["classify", "model"]).status == 2)
    }
}
