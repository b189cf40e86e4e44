import AllocationLedger
import ComplianceService
import DiffusionRules
import Foundation
import Metrics
import Prometheus

/// The server's metrics, recorded through swift-metrics and exposed by swift-prometheus at
/// `GET /metrics` (Prometheus text format 0.0.4):
///
/// | metric | labels | from |
/// |---|---|---|
/// | `hb_requests` (counter) | `http_route`, `http_request_method`, `http_response_status_code` | Hummingbird's `MetricsMiddleware` |
/// | `http_server_request_duration` (histogram, seconds) | same | Hummingbird's `MetricsMiddleware` |
/// | `http_server_active_requests` (gauge) | `http_request_method` | Hummingbird's `MetricsMiddleware` |
/// | `ai_diffusion_determinations_total` | `authorization`, `mode` (`dry_run`, `commit`) | screenings |
/// | `ai_diffusion_holds` (gauge) | `status` | the ledger, read at each scrape |
/// | `ai_diffusion_cap_utilisation` (gauge, 0-1) | `cap`, `kind` | the ledger, read at each scrape |
///
/// Holds and caps are read from the ledger when scraped, so every instance over one PostgreSQL
/// reports the same shared state.
public final class ServiceMetrics: @unchecked Sendable {
    /// One registry per process: swift-metrics has one global factory.
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrap: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    private let lock = NSLock()
    private var counters: [String: Metrics.Counter] = [:]

    public init() {
        Self.bootstrap
    }

    /// Counts determinations by authorization (one increment per authorization and request).
    func count(_ counts: [String: Int], mode: String) {
        for (authorization, n) in counts {
            let name = authorization + "/" + mode
            lock.lock()
            let counter = counters[name] ?? Metrics.Counter(label: "ai_diffusion_determinations_total",
                                                            dimensions: [("authorization", authorization), ("mode", mode)])
            counters[name] = counter
            lock.unlock()
            counter.increment(by: n)
        }
    }

    /// Reads holds and caps from the ledger into gauges, then renders every metric.
    func exposition(_ service: ComplianceService) -> [UInt8] {
        if let counts = try? service.holdCounts() {
            for status in HoldStatus.allCases {
                Gauge(label: "ai_diffusion_holds", dimensions: [("status", status.rawValue)]).record(counts[status] ?? 0)
            }
        }
        if let caps = try? service.caps() {
            for cap in caps {
                guard let share = cap.utilisation else { continue }
                Gauge(label: "ai_diffusion_cap_utilisation", dimensions: [("cap", cap.balance.cap), ("kind", cap.balance.kind)]).record(share)
            }
        }
        return Self.registry.emitToBuffer()
    }
}
