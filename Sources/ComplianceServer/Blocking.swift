import Dispatch

/// Runs blocking work (ledger calls on SQLite or PostgreSQL futures, screening) off Swift
/// concurrency's cooperative pool, on GCD threads, and resumes the caller with its result.
enum Blocking {
    private static let queue = DispatchQueue(label: "ai-diffusion.service", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
