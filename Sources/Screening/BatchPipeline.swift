import Dispatch
import Foundation

/// Runs the batches of a file through four stages on every core, in bounded memory:
///
/// 0. **next** (the calling thread): the next batch to work on (an index, or a run of bytes);
/// 1. **read** (concurrent): read and parse a batch of rows;
/// 2. **decide** (one batch at a time, in file order): rows depend on each other only through cap
///    balances, so this stage alone is sequential;
/// 3. **format** (concurrent): render the batch's output;
/// 4. **write** (one at a time, in file order).
///
/// At most `inFlight` batches exist at once, so memory does not grow with the file. The output is the
/// same bytes as a one-thread run: each stage's result depends only on its batch and on the batches
/// decided before it. The first error (from any stage) stops the run: later batches are dropped, and
/// ``run()`` throws it.
final class BatchPipeline<Input, Parsed, Decided, Formatted>: @unchecked Sendable {
    // Touched only on `decideQueue`: `parsedReady`, `nextDecide`, `decide`. Only on `writeQueue`:
    // `formattedReady`, `nextWrite`, `write`. `read` and `format` are called concurrently.
    private let next: () throws -> Input?
    private let read: (Int, Input) throws -> Parsed
    private let decide: (Int, Parsed) throws -> Decided
    private let format: (Int, Decided) throws -> Formatted
    private let write: (Int, Formatted) throws -> Void
    private let inFlight: Int
    /// Run every stage on the calling thread (a single batch: a service's one-row request gains
    /// nothing from four queue hops).
    private let inline: Bool
    private let workQueue = DispatchQueue(label: "ai-diffusion.pipeline.work", attributes: .concurrent)
    private let decideQueue = DispatchQueue(label: "ai-diffusion.pipeline.decide")
    private let writeQueue = DispatchQueue(label: "ai-diffusion.pipeline.write")
    private var parsedReady: [Int: Result<Parsed, any Error>] = [:]
    private var nextDecide = 0
    private var formattedReady: [Int: Result<Formatted, any Error>] = [:]
    private var nextWrite = 0
    private let lock = NSLock()
    private var firstError: (any Error)?

    init(inFlight: Int = 6, inline: Bool = false,
         next: @escaping () throws -> Input?,
         read: @escaping (Int, Input) throws -> Parsed,
         decide: @escaping (Int, Parsed) throws -> Decided,
         format: @escaping (Int, Decided) throws -> Formatted,
         write: @escaping (Int, Formatted) throws -> Void) {
        self.next = next
        self.inFlight = max(2, inFlight)
        self.inline = inline
        self.read = read
        self.decide = decide
        self.format = format
        self.write = write
    }

    private var failed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return firstError != nil
    }

    private func fail(_ error: any Error) {
        lock.lock()
        if firstError == nil { firstError = error }
        lock.unlock()
    }

    /// Runs every batch; returns when all are written (or the run failed).
    func run() throws {
        if inline {
            var index = 0
            while let input = try next() {
                try write(index, try format(index, try decide(index, try read(index, input))))
                index += 1
            }
            return
        }
        let slots = DispatchSemaphore(value: inFlight)
        let done = DispatchGroup()
        var index = 0
        while true {
            slots.wait()
            let input: Input?
            do {
                input = failed ? nil : try next()
            } catch {
                fail(error)
                input = nil
            }
            guard let input else {
                slots.signal()
                break
            }
            let batchIndex = index
            index += 1
            let work = Unchecked(input)
            done.enter()
            workQueue.async { [self] in
                let index = batchIndex
                let parsed = Unchecked(Result { try read(index, work.value) })
                decideQueue.async { [self] in
                    parsedReady[index] = parsed.value
                    while let next = parsedReady.removeValue(forKey: nextDecide) {
                        let batch = nextDecide
                        nextDecide += 1
                        let decided: Unchecked<Result<Decided, any Error>> = Unchecked(failed
                            ? .failure(CancellationError())
                            : next.flatMap { parsed in Result { try decide(batch, parsed) } })
                        workQueue.async { [self] in
                            let formatted = Unchecked(failed ? .failure(CancellationError())
                                : decided.value.flatMap { decided in Result { try format(batch, decided) } })
                            writeQueue.async { [self] in
                                formattedReady[batch] = formatted.value
                                while let ready = formattedReady.removeValue(forKey: nextWrite) {
                                    let written = nextWrite
                                    nextWrite += 1
                                    switch ready {
                                    case let .success(output) where !failed:
                                        do { try write(written, output) } catch { fail(error) }
                                    case let .failure(error) where !(error is CancellationError):
                                        fail(error)
                                    default:
                                        break
                                    }
                                    slots.signal()
                                    done.leave()
                                }
                            }
                        }
                    }
                }
            }
        }
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        if let firstError { throw firstError }
    }
}

/// A value handed between the pipeline's queues: each is touched by one stage at a time, in order.
struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension BatchPipeline where Input == Int {
    /// A pipeline over batches `0..<count`.
    convenience init(batchCount: Int, inFlight: Int = 6,
                     read: @escaping (Int) throws -> Parsed,
                     decide: @escaping (Int, Parsed) throws -> Decided,
                     format: @escaping (Int, Decided) throws -> Formatted,
                     write: @escaping (Int, Formatted) throws -> Void) {
        var index = 0
        self.init(inFlight: inFlight, inline: batchCount <= 1, next: {
            guard index < batchCount else { return nil }
            index += 1
            return index - 1
        }, read: { index, _ in try read(index) }, decide: decide, format: format, write: write)
    }
}
