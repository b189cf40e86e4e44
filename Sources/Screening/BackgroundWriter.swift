import Dispatch
import DiffusionRules

/// Formats and writes determinations on a second thread while screening goes on, in input order.
///
/// Screening is sequential (each row sees the balances left by earlier rows), but turning a
/// determination into JSON or CSV is not: batches of 4,096 determinations go to a serial queue
/// that owns the real writer. At most 8 batches wait, so memory stays bounded.
public final class BackgroundWriter: DeterminationWriter, @unchecked Sendable {
    // `inner` is only touched on `queue` (serial); `batch` only on the caller's thread.
    private let inner: DeterminationWriter
    private let queue = DispatchQueue(label: "ai-diffusion.output")
    private let slots = DispatchSemaphore(value: 8)
    private var batch: [Determination] = []
    private let batchSize = 4096

    public init(_ inner: DeterminationWriter) {
        self.inner = inner
        batch.reserveCapacity(batchSize)
    }

    public func write(_ determination: Determination) {
        batch.append(determination)
        if batch.count == batchSize { send() }
    }

    private func send() {
        let full = batch
        batch = []
        batch.reserveCapacity(batchSize)
        slots.wait()
        queue.async { [self] in
            for determination in full { inner.write(determination) }
            slots.signal()
        }
    }

    public func finish() {
        if !batch.isEmpty { send() }
        queue.sync { inner.finish() }
    }
}
