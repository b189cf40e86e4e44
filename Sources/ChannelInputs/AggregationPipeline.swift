import CloudMonitoring
import Foundation

/// Aggregates record batches on a worker thread while the caller parses the next ones: on two
/// cores, parsing and the cache-missing aggregation overlap. Batches are applied strictly in the
/// order submitted (one worker, a FIFO queue), so the result equals a single-threaded run. The
/// queue is bounded, so memory stays at a few batches.
final class AggregationPipeline: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [UsageBatch] = []
    private var free: [UsageBatch] = []
    private var closed = false
    private var finished = false
    private var usage = UsageAggregator(expectedRuns: 4096)
    private let batchCapacity: Int
    private let maximumQueued = 4

    init(batchCapacity: Int) {
        self.batchCapacity = batchCapacity
        let thread = Thread { [self] in work() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// An empty batch (recycled when one is free).
    func emptyBatch() -> UsageBatch {
        condition.lock()
        defer { condition.unlock() }
        return free.popLast() ?? UsageBatch(capacity: batchCapacity)
    }

    /// Queues a batch for the worker; waits while the queue is full.
    func submit(_ batch: UsageBatch) {
        condition.lock()
        while queue.count >= maximumQueued { condition.wait() }
        queue.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the worker to apply every queued batch and returns the aggregate.
    func finish() -> UsageAggregator {
        condition.lock()
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
        let result = usage
        condition.unlock()
        return result
    }

    private func work() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty && closed {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            var batch = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
            usage.add(batch)
            batch.removeAll()
            condition.lock()
            if free.count < maximumQueued + 2 { free.append(batch) }
            condition.unlock()
        }
    }
}
