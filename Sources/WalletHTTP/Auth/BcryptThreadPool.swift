import NIOPosix
import Synchronization

/// Threads of their own for bcrypt, with a bounded queue: at most ``maximumPending`` calls wait or run at once, and
/// one more is refused at once with `503 overloaded` and `Retry-After` instead of queueing behind them.
///
/// bcrypt takes tens of milliseconds of CPU, so it never runs on an event loop or the Swift concurrency pool; and
/// each kind of work (hashing at registration, verifying at sign-in) has a pool of its own, so that a flood of one
/// cannot make the other wait in its queue.
public final class BcryptThreadPool: Sendable {
    /// What the pool is for, in refusals and logs.
    public let name: String
    /// Threads that run bcrypt.
    public let threadCount: Int
    /// Calls waiting or running at once; more are refused.
    public let maximumPending: Int
    private let threads: NIOThreadPool
    private let pending = Atomic<Int>(0)

    /// Starts `threadCount` threads.
    /// - Precondition: `threadCount` ≥ 1 and `maximumPending` ≥ `threadCount`.
    public init(name: String, threadCount: Int, maximumPending: Int) {
        precondition(threadCount >= 1 && maximumPending >= threadCount, "at least one thread, and room in the queue for each")
        self.name = name
        self.threadCount = threadCount
        self.maximumPending = maximumPending
        threads = NIOThreadPool(numberOfThreads: threadCount)
        threads.start()
    }

    /// Calls waiting or running now.
    public var current: Int { pending.load(ordering: .relaxed) }

    /// Runs `work` on one of the pool's threads; throws `503 overloaded` when ``maximumPending`` calls are already
    /// waiting or running.
    func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async throws -> Result {
        let admitted = pending.wrappingAdd(1, ordering: .relaxed).newValue
        defer { pending.wrappingSubtract(1, ordering: .relaxed) }
        guard admitted <= maximumPending else {
            throw Problem.overloaded(
                "The \(name) queue already holds \(maximumPending) passwords; retry after \(InFlightLimitMiddleware.retryAfterSeconds) s."
            )
        }
        return try await threads.runIfActive(work)
    }

    /// Stops the threads once the calls already queued have run.
    public func shutdown() async throws {
        try await threads.shutdownGracefully()
    }
}
