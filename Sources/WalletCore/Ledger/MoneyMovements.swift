import Foundation
import Logging
import MariaDB

/// Deposits, withdrawals and transfers: each one MariaDB transaction under REPEATABLE READ that claims the
/// idempotency key, moves the money with optimistic version checks, writes the ledger and stores the response.
///
/// Conflicts (a wallet's version changed, a deadlock, a lock wait timeout, a changed record, at any statement or at
/// `COMMIT`) roll the transaction back and retry it whole in a new one, after a backoff, as the ``RetryPolicy``
/// allows. In front of that, movements of this process that touch the same wallets are combined
/// (``Configuration/combinesMovements``): they wait in arrival order and run together, several in one transaction,
/// each with its own key, entries and response, so that a hot wallet costs neither retries nor one commit per
/// movement. Optimistic concurrency stays the correctness mechanism between processes.
public struct MoneyMovements: Sendable {
    /// How movements retry and combine.
    public struct Configuration: Hashable, Sendable {
        /// The most movements in one transaction by default (the largest of ``MultiRowStatement/rowCounts``).
        public static let defaultMaximumBatchSize = 64
        /// The most movements that may wait for busy wallets by default.
        public static let defaultMaximumWaiting = 4096

        /// Attempts and backoff after conflicts.
        public var retryPolicy: RetryPolicy
        /// Whether movements of this process that touch the same wallets wait for each other and run together in
        /// one transaction, instead of racing and retrying. On by default; off gives plain optimistic concurrency.
        public var combinesMovements: Bool
        /// The most movements in one transaction when combining (1: a plain per-wallet queue).
        public var maximumBatchSize: Int
        /// The most movements that may wait for busy wallets; more are refused with ``WalletError/contention``.
        public var maximumWaiting: Int

        /// A configuration; the defaults retry with ``RetryPolicy/default`` and combine.
        ///
        /// - Precondition: `maximumBatchSize` is 1 to ``defaultMaximumBatchSize``; `maximumWaiting` is not negative.
        public init(
            retryPolicy: RetryPolicy = .default,
            combinesMovements: Bool = true,
            maximumBatchSize: Int = Self.defaultMaximumBatchSize,
            maximumWaiting: Int = Self.defaultMaximumWaiting
        ) {
            precondition((1...Self.defaultMaximumBatchSize).contains(maximumBatchSize), "1 to \(Self.defaultMaximumBatchSize) movements per batch")
            precondition(maximumWaiting >= 0, "the waiting limit is not negative")
            self.retryPolicy = retryPolicy
            self.combinesMovements = combinesMovements
            self.maximumBatchSize = maximumBatchSize
            self.maximumWaiting = maximumWaiting
        }
    }

    /// The renderer of a movement's outcome: the HTTP layer's status and exact body bytes. It runs inside the
    /// movement's transaction, on a database thread, so it must be quick and must not block.
    public typealias Renderer = @Sendable (MovementOutcome) -> StoredResponse

    /// One movement's answer: its result, or why it was not done.
    typealias Answer = Result<MovementResult, any Error>

    let configuration: Configuration
    let runner: BatchRunner
    private let scheduler: WalletBatchScheduler<MovementCommand, Answer>?

    init(database: WalletDatabase, configuration: Configuration, metrics: MovementMetrics, logger: Logger) {
        let runner = BatchRunner(database: database, retryPolicy: configuration.retryPolicy, metrics: metrics, logger: logger)
        self.configuration = configuration
        self.runner = runner
        self.scheduler =
            configuration.combinesMovements
            ? WalletBatchScheduler(
                maximumBatchSize: configuration.maximumBatchSize,
                maximumWaiting: configuration.maximumWaiting,
                runner: { await runner.run($0) }
            )
            : nil
    }

    /// Runs `request` for `principal` under `idempotencyKey`, exactly once per key (keys are scoped per principal).
    ///
    /// Returns the rendered response of the money logic's outcome, a completed transaction or a business refusal,
    /// both pinned under the key; or, when the key answered an identical request before, that stored response
    /// (``MovementResult/isReplay``).
    ///
    /// Throws ``WalletError/idempotencyKeyReused(mismatchedFields:)``, ``WalletError/idempotencyKeyInUse``,
    /// ``WalletError/contention`` (retries ran out, or too many movements wait; nothing committed),
    /// ``WalletError/unavailable(_:)`` or ``WalletError/databaseFailure(_:)``; none of them is stored under the key.
    public func execute(
        _ request: MovementRequest,
        principal: PrincipalID,
        idempotencyKey: IdempotencyKey,
        render: @escaping Renderer
    ) async throws -> MovementResult {
        let command = MovementCommand(request: request, principal: principal, idempotencyKey: idempotencyKey, render: render)
        guard let scheduler else { return try await runner.run([command])[0].get() }
        do {
            return try await scheduler.submit(command).get()
        } catch let full as WalletSchedulerFull {
            runner.metrics.countSchedulerRejection()
            runner.logger.warning("too many movements wait for busy wallets", metadata: ["limit": "\(full.limit)"])
            throw WalletError.contention
        }
    }
}

/// Runs a batch of movements in one transaction until it commits, fails for good, or the retry policy runs out.
struct BatchRunner: Sendable {
    let database: WalletDatabase
    let retryPolicy: RetryPolicy
    let metrics: MovementMetrics
    let logger: Logger

    /// The answers of `commands`, in order. Every command of a batch that could not commit gets the same error.
    func run(_ commands: [MovementCommand]) async -> [MoneyMovements.Answer] {
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            do {
                let answers = try await database.pool.withTransaction(.repeatableRead) { connection in
                    try MovementTransaction.run(commands, at: Date().atMicrosecondPrecision, on: connection)
                }
                metrics.countBatch()
                for (command, answer) in zip(commands, answers) {
                    switch answer {
                    case .success(let result): metrics.countCommitted(result, type: command.request.type)
                    case .failure: metrics.countAttempt(.rejected)
                    }
                }
                return answers.map { answer in
                    answer.map { result in
                        var result = result
                        result.attempts = attempt
                        return result
                    }.mapError { $0 }
                }
            } catch {
                guard let retryReason = MoneyMovements.retryReason(for: error) else {
                    metrics.countAttempt(.failed, times: commands.count)
                    if commands.count > 1, !Self.failsEveryTransaction(error) {
                        // Whatever one movement's data did must not fail the others: run each alone.
                        var answers: [MoneyMovements.Answer] = []
                        for command in commands { answers += await run([command]) }
                        return answers
                    }
                    return Array(repeating: .failure(WalletDatabase.translate(error)), count: commands.count)
                }
                metrics.countAttempt(retryReason, times: commands.count)
                guard attempt < retryPolicy.maximumAttempts, !Task.isCancelled else {
                    metrics.countRetriesExhausted(times: commands.count)
                    logger.notice(
                        "movement retries exhausted",
                        metadata: ["attempts": "\(attempt)", "last_reason": "\(retryReason.rawValue)", "movements": "\(commands.count)"]
                    )
                    return Array(repeating: .failure(WalletError.contention), count: commands.count)
                }
                attempt += 1
                // A cancelled sleep ends early; the check above then stops retrying.
                try? await Task.sleep(for: retryPolicy.delay(beforeAttempt: attempt, using: &generator))
            }
        }
    }
}

extension BatchRunner {
    /// Whether `error` would fail any transaction now (the database is away), not just this batch's.
    static func failsEveryTransaction(_ error: any Error) -> Bool {
        guard let error = error as? MariaDBError else { return false }
        switch error.kind {
        case .connection, .acquireTimeout, .poolClosed: return true
        default: return false
        }
    }
}

extension MoneyMovements {
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
