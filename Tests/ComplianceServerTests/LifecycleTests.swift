import ComplianceServer
import ComplianceService
import Foundation
import Testing

/// `ai-diffusion serve` as a process: it announces its address, answers, and stops cleanly on SIGTERM.
@Suite("serve: start and graceful shutdown")
struct LifecycleTests {
    @Test("serve prints its address, answers /healthz and /readyz, and exits 0 on SIGTERM")
    func sigterm() throws {
        let (location, key) = try LedgerKind.sqlite.fresh()
        let server = try ServerProcess(executable: executable, arguments: ["serve", "--port", "0", "--ledger", location, "--signing-key", key])
        #expect(server.port > 0)
        #expect(try LoopbackHTTP.request(port: server.port, method: "GET", path: "/healthz").body == "{\"status\":\"ok\"}\n")
        #expect(try LoopbackHTTP.request(port: server.port, method: "GET", path: "/readyz").status == 200)
        server.stop()
        #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: location))   // the embedded default: an SQLite ledger was created
    }
}
