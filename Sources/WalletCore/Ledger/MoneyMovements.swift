import Foundation
import Logging
import MariaDB

/// Deposits, withdrawals and transfers: each one MariaDB transaction under REPEATABLE READ that claims the
/// idempotency key, moves the money with optimistic version checks, writes the ledger and stores the response.
///
/// Conflicts (a wallet's version changed, a deadlock, a lock wait timeout, a changed record, at any statement or at
/// `COMMIT`) roll the transaction back and retry the whole movement in a new one, after a backoff, as the
/// ``RetryPolicy`` allows. In front of that, movements of this process on the same wallet wait in a per-wallet FIFO
/// queue (``Configuration/serializesWalletAccess``), so that a hot wallet does not turn into a retry storm.
public struct MoneyMovements: Sendable {
    /// How movements retry and queue.
    public struct Configuration: Hashable, Sendable {
        /// The most movements that may wait for one wallet by default.
        public static let defaultMaximumQueuedPerWallet = 1024

        /// Attempts and backoff after conflicts.
        public var retryPolicy: RetryPolicy
        /// Whether movements of this process on the same wallet wait for each other in a FIFO queue before their
        /// transaction, instead of racing and retrying. On by default; off gives plain optimistic concurrency.
        public var serializesWalletAccess: Bool
        /// The most movements that may wait for one wallet; more are refused with ``WalletError/contention``.
        public var maximumQueuedPerWallet: Int

        /// A configuration; the defaults retry with ``RetryPolicy/default`` and queue per wallet.
        public init(
            retryPolicy: RetryPolicy = .default,
            serializesWalletAccess: Bool = true,
            maximumQueuedPerWallet: Int = Self.defaultMaximumQueuedPerWallet
        ) {
            precondition(maximumQueuedPerWallet >= 1, "a wallet queue holds at least one movement")
            self.retryPolicy = retryPolicy
            self.serializesWalletAccess = serializesWalletAccess
            self.maximumQueuedPerWallet = maximumQueuedPerWallet
        }
    }

    /// The renderer of a movement's outcome: the HTTP layer's status and exact body bytes. It runs inside the
    /// movement's transaction, on a database thread, so it must be quick and must not block.
    public typealias Renderer = @Sendable (MovementOutcome) -> StoredResponse

    let database: WalletDatabase
    let configuration: Configuration
    let queues: WalletQueues
    let metrics: MovementMetrics
    let logger: Logger

    init(database: WalletDatabase, configuration: Configuration, metrics: MovementMetrics, logger: Logger) {
        self.database = database
        self.configuration = configuration
        self.queues = WalletQueues(maximumWaiters: configuration.maximumQueuedPerWallet)
        self.metrics = metrics
        self.logger = logger
    }

    /// Runs `request` for `actingUser` under `idempotencyKey`, exactly once per key.
    ///
    /// Returns the rendered response of the money logic's outcome, a completed transaction or a business refusal,
    /// both pinned under the key; or, when the key answered an identical request before, that stored response
    /// (``MovementResult/isReplay``).
    ///
    /// Throws ``WalletError/idempotencyKeyReused(mismatchedFields:)``, ``WalletError/idempotencyKeyInUse``,
    /// ``WalletError/contention`` (retries ran out; nothing committed), ``WalletError/unavailable(_:)`` or
    /// ``WalletError/databaseFailure(_:)``; none of them is stored under the key. Also `CancellationError`
    /// when the task is cancelled between attempts.
    public func execute(
        _ request: MovementRequest,
        actingUser: UserID,
        idempotencyKey: IdempotencyKey,
        render: @escaping Renderer
    ) async throws -> MovementResult {
        let command = MovementCommand(request: request, actingUser: actingUser, idempotencyKey: idempotencyKey, render: render)
        guard configuration.serializesWalletAccess else { return try await executeWithRetries(command) }
        do {
            return try await queues.withWallets(request.walletIDs) { try await executeWithRetries(command) }
        } catch let full as WalletQueueFull {
            metrics.countQueueRejection()
            logger.warning("wallet queue full", metadata: ["wallet_id": "\(full.walletID)", "limit": "\(configuration.maximumQueuedPerWallet)"])
            throw WalletError.contention
        }
    }

    /// Runs the command's transaction until it commits, fails for good, or the retry policy runs out.
    func executeWithRetries(_ command: MovementCommand) async throws -> MovementResult {
        let policy = configuration.retryPolicy
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            do {
                let result = try await database.pool.withTransaction(.repeatableRead) { connection in
                    try MovementTransaction.run(command, at: Date().truncatedToMicroseconds, on: connection)
                }
                metrics.countCommitted(result, type: command.request.type)
                return result
            } catch {
                guard let retryReason = Self.retryReason(for: error) else {
                    metrics.countAttempt(error is WalletError ? .rejected : .failed)
                    throw WalletDatabase.translate(error)
                }
                metrics.countAttempt(retryReason)
                guard attempt < policy.maximumAttempts else {
                    metrics.countRetriesExhausted()
                    logger.notice(
                        "movement retries exhausted",
                        metadata: ["attempts": "\(attempt)", "last_reason": "\(retryReason.rawValue)", "type": "\(command.request.type.rawValue)"]
                    )
                    throw WalletError.contention
                }
                attempt += 1
                try await Task.sleep(for: policy.delay(beforeAttempt: attempt, using: &generator))
            }
        }
    }

    /// The attempt result of an error that a new transaction may resolve, or nil when retrying cannot help.
    static func retryReason(for error: any Error) -> MovementMetrics.AttemptResult? {
        if error is MovementConflict { return .conflict }
        guard let error = error as? MariaDBError else { return nil }
        switch error.kind {
        case .deadlock: return .deadlock
        case .lockWaitTimeout: return .lockWaitTimeout
        case .recordChanged: return .recordChanged
        default: return nil
        }
    }
}
