public import Logging
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// A bounded pool of MariaDB connections whose blocking calls run on the pool's own threads.
///
/// Why threads and not Connector/C's non-blocking API: every call here is a short round trip on loopback or a LAN,
/// a whole transaction can run in one hop to a dedicated thread (one context switch in, one out, instead of one
/// per statement), and the blocking API is the one Connector/C exercises most. The pool owns an `NIOThreadPool`
/// with one thread per connection (plus one for closing broken connections), so no libmariadb call ever runs on a
/// SwiftNIO event loop or on the Swift concurrency cooperative pool, and a slow query can only hold its own thread.
///
/// Connections are opened lazily up to ``Configuration/size``. A caller that finds none free waits at most
/// ``Configuration/acquireTimeout`` and then gets ``MariaDBError/Kind/acquireTimeout``. A connection that reported a
/// connection error is discarded and replaced on the next use; after such an error every idle connection is pinged
/// before its next use, so a MariaDB restart is survived without restarting the process.
///
/// The pool is a `Service`: run it in a `ServiceGroup` and it closes its connections on graceful shutdown.
public final class MariaDBConnectionPool: Service, Sendable {
    /// The pool's limits.
    public struct Configuration: Sendable {
        /// The default number of connections (and of blocking threads).
        public static let defaultSize = 16
        /// The default limit on waiting for a free connection.
        public static let defaultAcquireTimeout: Duration = .seconds(5)
        /// The default idle time after which a connection is pinged before it is handed out.
        public static let defaultIdleValidationInterval: Duration = .seconds(30)
        /// The largest pool allowed: each connection has a thread, and MariaDB's own `max_connections` is finite.
        public static let maximumSize = 512
        /// The limit on waiting for leased connections to come back when the pool shuts down.
        public static let shutdownTimeout: Duration = .seconds(10)

        /// The most connections open at once, and the number of threads that run their calls.
        public var size: Int
        /// The longest a caller waits for a free connection.
        public var acquireTimeout: Duration
        /// An idle connection older than this is pinged before reuse.
        public var idleValidationInterval: Duration

        public init(
            size: Int = Self.defaultSize,
            acquireTimeout: Duration = Self.defaultAcquireTimeout,
            idleValidationInterval: Duration = Self.defaultIdleValidationInterval
        ) {
            precondition((1...Self.maximumSize).contains(size), "a pool holds 1 to \(Self.maximumSize) connections")
            precondition(acquireTimeout > .zero, "the acquire timeout must be positive")
            self.size = size
            self.acquireTimeout = acquireTimeout
            self.idleValidationInterval = idleValidationInterval
        }
    }

    /// A snapshot of the pool's state, for metrics and health checks.
    public struct Statistics: Sendable, Equatable {
        /// Connections open or being opened.
        public var open: Int
        /// Open connections not in use.
        public var idle: Int
        /// Callers waiting for a connection.
        public var waiting: Int
        /// Connections discarded after a connection error, since the pool started.
        public var discarded: Int
        /// Acquisitions that timed out, since the pool started.
        public var acquireTimeouts: Int
        /// Connections handed out, since the pool started.
        public var acquisitions: Int
        /// The time callers spent waiting for those connections, in total.
        public var acquireWait: Duration
        /// Connections in use (including those being opened).
        public var inUse: Int { open - idle }
    }

    public let databaseConfiguration: MariaDBConfiguration
    public let configuration: Configuration
    private let threadPool: NIOThreadPool
    private let state: Mutex<PoolState>
    private let preferredEndpoint = PreferredEndpoint()
    private let logger: Logger

    public init(database: MariaDBConfiguration, configuration: Configuration = .init(), logger: Logger) {
        self.databaseConfiguration = database
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(PoolState())
        // One thread per connection, plus one for closing discarded connections without holding up a caller.
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.size + 1)
        self.threadPool.start()
    }

    /// Runs `body` with a connection of its own, on one of the pool's threads, and returns the connection after.
    ///
    /// `body` may block: it runs on a dedicated thread. It must not keep the connection after it returns.
    @discardableResult
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (MariaDBConnection) throws -> T
    ) async throws -> T {
        let lease = try await acquire()
        let outcome: LeaseOutcome<T>
        do {
            outcome = try await threadPool.runIfActive { [databaseConfiguration, preferredEndpoint] in
                Self.run(body, lease: lease, database: databaseConfiguration, preferredEndpoint: preferredEndpoint)
            }
        } catch is CancellationError {
            release(lease.connection)
            throw CancellationError()
        } catch {
            release(lease.connection)
            throw MariaDBError(kind: .poolClosed, message: "the connection pool is shut down")
        }
        release(outcome.connection)
        return try outcome.result.get()
    }

    /// Runs `body` in a transaction at `isolation` on a pooled connection: committed when it returns,
    /// rolled back when it throws.
    @discardableResult
    public func withTransaction<T: Sendable>(
        _ isolation: IsolationLevel,
        _ body: @escaping @Sendable (MariaDBConnection) throws -> T
    ) async throws -> T {
        try await withConnection { connection in try connection.withTransaction(isolation, body) }
    }

    /// The server of the host list that the pool's last new connection went to (the first until one opened).
    public var currentEndpoint: MariaDBConfiguration.Endpoint {
        databaseConfiguration.endpoints[preferredEndpoint.index.withLock { $0 }]
    }

    /// The pool's current state.
    public var statistics: Statistics {
        state.withLock { state in
            Statistics(
                open: state.openCount,
                idle: state.idle.count,
                waiting: state.waiters.count,
                discarded: state.discardedCount,
                acquireTimeouts: state.acquireTimeoutCount,
                acquisitions: state.acquisitionCount,
                acquireWait: state.acquireWait
            )
        }
    }

    /// Waits for graceful shutdown, then closes the pool.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Stops handing out connections, fails waiting callers, closes every connection and stops the threads.
    ///
    /// Leased connections are closed as they come back; this waits for them up to ``Configuration/shutdownTimeout``.
    public func shutdown() async {
        let (idle, waiters) = state.withLock { state in
            state.isClosed = true
            let idle = state.idle.map(\.connection)
            state.openCount -= idle.count
            state.idle.removeAll()
            let waiters = state.waiters.map(\.continuation)
            state.waiters.removeAll()
            return (idle, waiters)
        }
        for waiter in waiters {
            waiter.resume(throwing: MariaDBError(kind: .poolClosed, message: "the connection pool is shut down"))
        }
        _ = try? await threadPool.runIfActive { for connection in idle { connection.close() } }
        let deadline = ContinuousClock.now + Configuration.shutdownTimeout
        while state.withLock({ $0.openCount }) > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        try? await threadPool.shutdownGracefully()
        logger.debug("MariaDB connection pool closed", metadata: ["database": "\(databaseConfiguration.endpointDescription)"])
    }

    // MARK: Leasing

    private struct LeaseOutcome<T: Sendable>: Sendable {
        var connection: MariaDBConnection?
        var result: Result<T, any Error>
    }

    /// Runs on a pool thread: validates or opens the connection, then runs the body.
    private static func run<T>(
        _ body: (MariaDBConnection) throws -> T,
        lease: PoolLease,
        database: MariaDBConfiguration,
        preferredEndpoint: PreferredEndpoint
    ) -> LeaseOutcome<T> {
        var connection = lease.connection
        if let existing = connection, lease.mustValidate {
            do {
                try existing.ping()
            } catch {
                existing.close()
                connection = nil
            }
        }
        if connection == nil {
            do {
                // From the server the last connection went to: a node that failed is not tried first again.
                let opened = try MariaDBConnection.connect(database, startingAt: preferredEndpoint.index.withLock { $0 })
                preferredEndpoint.index.withLock { $0 = opened.endpointIndex }
                connection = opened
            } catch {
                return LeaseOutcome(connection: nil, result: .failure(error))
            }
        }
        return LeaseOutcome(connection: connection, result: Result { try body(connection!) })
    }

    /// A connection slot, with the wait counted in ``statistics``.
    private func acquire() async throws -> PoolLease {
        let started = ContinuousClock.now
        let lease = try await acquireLease()
        let waited = ContinuousClock.now - started
        state.withLock { state in
            state.acquisitionCount += 1
            state.acquireWait += waited
        }
        return lease
    }

    private func acquireLease() async throws -> PoolLease {
        let now = ContinuousClock.now
        if let lease = try state.withLock({ try $0.leaseImmediately(size: configuration.size, now: now, idleLimit: configuration.idleValidationInterval) }) {
            return lease
        }
        let id = state.withLock { $0.nextWaiterID() }
        let timeout = Task { [configuration] in
            try await Task.sleep(for: configuration.acquireTimeout)
            self.failWaiter(
                id,
                with: MariaDBError(
                    kind: .acquireTimeout,
                    message: "no database connection became free within \(configuration.acquireTimeout) (pool size \(configuration.size))"
                ),
                isTimeout: true
            )
        }
        defer { timeout.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PoolLease, any Error>) in
                let now = ContinuousClock.now
                let immediate: Result<PoolLease, any Error>? = state.withLock { state in
                    do {
                        if let lease = try state.leaseImmediately(size: configuration.size, now: now, idleLimit: configuration.idleValidationInterval) {
                            return .success(lease)
                        }
                    } catch {
                        return .failure(error)
                    }
                    if let error = state.abandonedWaiters.removeValue(forKey: id) { return .failure(error) }
                    state.waiters.append(PoolState.Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            failWaiter(id, with: CancellationError(), isTimeout: false)
        }
    }

    private func failWaiter(_ id: UInt64, with error: any Error, isTimeout: Bool) {
        let continuation = state.withLock { state -> CheckedContinuation<PoolLease, any Error>? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                // Not enqueued yet: leave the error for the waiter to find instead of enqueueing.
                state.abandon(id, with: error)
                return nil
            }
            if isTimeout { state.acquireTimeoutCount += 1 }
            return state.waiters.remove(at: index).continuation
        }
        continuation?.resume(throwing: error)
    }

    /// Gives a connection slot back: the connection to the next waiter or the idle list, or its slot when it is
    /// broken (or was never opened).
    private func release(_ connection: MariaDBConnection?) {
        let now = ContinuousClock.now
        let (waiter, lease, discard) = state.withLock {
            state -> (CheckedContinuation<PoolLease, any Error>?, PoolLease?, MariaDBConnection?) in
            if let connection, !connection.isBroken, !state.isClosed {
                if !state.waiters.isEmpty {
                    return (state.waiters.removeFirst().continuation, PoolLease(connection: connection, mustValidate: false), nil)
                }
                state.idle.append(PoolState.IdleConnection(connection: connection, lastUsed: now))
                return (nil, nil, nil)
            }
            if let connection, connection.isBroken {
                state.discardedCount += 1
                state.suspectBefore = now
            }
            state.openCount -= 1
            if !state.isClosed, !state.waiters.isEmpty {
                state.openCount += 1
                return (state.waiters.removeFirst().continuation, PoolLease(connection: nil, mustValidate: false), connection)
            }
            return (nil, nil, connection)
        }
        if let waiter, let lease { waiter.resume(returning: lease) }
        if let discard {
            if discard.isBroken {
                logger.info(
                    "discarding a broken MariaDB connection",
                    metadata: ["connection_id": "\(discard.serverConnectionID)"]
                )
            }
            // Closing may touch the network: never on the caller's thread.
            threadPool.submit { _ in discard.close() }
        }
    }
}

/// The right to use one connection slot: an open connection, or permission to open one.
private struct PoolLease: Sendable {
    var connection: MariaDBConnection?
    /// Ping before use: the connection sat idle long, or others failed since it was last used.
    var mustValidate: Bool
}

/// The pool's mutable state, only touched under its lock.
private struct PoolState {
    struct IdleConnection {
        var connection: MariaDBConnection
        var lastUsed: ContinuousClock.Instant
    }

    struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<PoolLease, any Error>
    }

    var idle: [IdleConnection] = []
    var waiters: [Waiter] = []
    /// Waiters cancelled or timed out before they were enqueued, with the error they must end with.
    var abandonedWaiters: [UInt64: any Error] = [:]
    var openCount = 0
    var isClosed = false
    var suspectBefore: ContinuousClock.Instant?
    var discardedCount = 0
    var acquireTimeoutCount = 0
    var acquisitionCount = 0
    var acquireWait: Duration = .zero
    private var lastWaiterID: UInt64 = 0

    /// A lease without waiting: the most recently used idle connection, or a new slot while below `size`.
    /// Nil when the caller must wait.
    mutating func leaseImmediately(size: Int, now: ContinuousClock.Instant, idleLimit: Duration) throws(MariaDBError) -> PoolLease? {
        if isClosed { throw MariaDBError(kind: .poolClosed, message: "the connection pool is shut down") }
        if let entry = idle.popLast() {
            let suspect = suspectBefore.map { entry.lastUsed <= $0 } ?? false
            return PoolLease(connection: entry.connection, mustValidate: suspect || now - entry.lastUsed > idleLimit)
        }
        if openCount < size {
            openCount += 1
            return PoolLease(connection: nil, mustValidate: false)
        }
        return nil
    }

    /// How many abandoned waiter ids are remembered; older ones belong to callers long since served.
    static let abandonedWaitersLimit: UInt64 = 1024

    /// Leaves `error` for waiter `id`, which was cancelled before it enqueued (or after it was served).
    mutating func abandon(_ id: UInt64, with error: any Error) {
        abandonedWaiters[id] = error
        if abandonedWaiters.count > Int(Self.abandonedWaitersLimit) {
            let oldest = lastWaiterID - Self.abandonedWaitersLimit
            abandonedWaiters = abandonedWaiters.filter { $0.key > oldest }
        }
    }

    mutating func nextWaiterID() -> UInt64 {
        lastWaiterID += 1
        return lastWaiterID
    }
}

/// Which server of the host list new connections try first: the one the last new connection went to.
private final class PreferredEndpoint: Sendable {
    let index = Mutex(0)
}
