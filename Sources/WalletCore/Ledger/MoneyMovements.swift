import Foundation
import Logging
import MariaDB

/// Deposits, withdrawals, transfers and holds (placing, capturing, voiding, expiring): each one MariaDB transaction
/// under REPEATABLE READ that claims the idempotency key, moves the money with optimistic version checks on the
/// wallets and holds, writes the ledger and stores the response.
///
/// Conflicts (a wallet's version changed, a deadlock, a lock wait timeout, a changed record, at any statement or at
/// `COMMIT`) roll the transaction back and retry it whole in a new one, after a backoff, as the ``RetryPolicy``
/// allows. In front of that, movements of this process that touch the same wallets are combined
/// (``Configuration/combinesMovements``): they wait in arrival order and run together, several in one transaction,
/// each with its own key, entries and response, so that a hot wallet costs neither retries nor one commit per
/// movement. Behind that, batches on unrelated wallets that find every transaction slot taken are gathered into the
/// next transaction (group commit, ``Configuration/groupsCommits``): one commit, and one log flush, for all of them.
/// Optimistic concurrency stays the correctness mechanism between processes.
public struct MoneyMovements: Sendable {
    /// How movements retry and combine.
    public struct Configuration: Hashable, Sendable {
        /// The most movements in one transaction by default (the largest of ``MultiRowStatement/rowCounts``).
        public static let defaultMaximumBatchSize = 64
        /// The most movements that may wait for busy wallets by default.
        public static let defaultMaximumWaiting = 4096
        /// The most transactions of movements at once by default. Fewer, fuller transactions beat many small ones
        /// on a database that flushes its log at every commit: on 2 cores, uniform transfers at 16 and 64 clients
        /// ran 1.33 and 1.24 times as fast with 2 slots as with 8, and deposits 1.19 and 1.37 times (1 slot: slower
        /// than 2 at 16 clients, the commit's wait then overlaps nothing).
        public static let defaultTransactionSlots = 2
        /// How long a movement may take by default, from its submission to its commit: waiting in the combiner,
        /// every attempt, backoff and statement. Well under a client's usual timeout, so that the client gets a
        /// clear `contention` instead of giving up not knowing.
        public static let defaultDeadline: Duration = .seconds(5)
        /// The deadlines a configuration may set: long enough for one attempt under load, short enough that a
        /// request never holds a client for minutes.
        public static let deadlineRange: ClosedRange<Duration> = .milliseconds(100) ... .seconds(60)

        /// Attempts and backoff after conflicts.
        public var retryPolicy: RetryPolicy
        /// Whether movements of this process that touch the same wallets wait for each other and run together in
        /// one transaction, instead of racing and retrying. On by default; off gives plain optimistic concurrency.
        public var combinesMovements: Bool
        /// The most movements in one transaction when combining (1: a plain per-wallet queue).
        public var maximumBatchSize: Int
        /// The most movements that may wait for busy wallets, and separately for a transaction slot; more are
        /// refused with ``WalletError/contention``.
        public var maximumWaiting: Int
        /// Whether batches that find every transaction slot taken wait and share the next transaction (group
        /// commit), instead of each waiting for a pooled connection of its own. Only with ``combinesMovements``,
        /// which keeps two running batches off each other's wallets.
        public var groupsCommits: Bool
        /// The most transactions of movements at once when grouping commits (at most the pool's size counts).
        public var transactionSlots: Int
        /// How long a movement may take from its submission; past it, it is answered ``WalletError/contention``
        /// with nothing committed.
        public var deadline: Duration

        /// A configuration; the defaults retry with ``RetryPolicy/default`` and combine.
        ///
        /// - Precondition: `maximumBatchSize` is 1 to ``defaultMaximumBatchSize``; `maximumWaiting` is not negative;
        ///   `transactionSlots` is positive; `deadline` is within ``deadlineRange``.
        public init(
            retryPolicy: RetryPolicy = .default,
            combinesMovements: Bool = true,
            maximumBatchSize: Int = Self.defaultMaximumBatchSize,
            maximumWaiting: Int = Self.defaultMaximumWaiting,
            groupsCommits: Bool = true,
            transactionSlots: Int = Self.defaultTransactionSlots,
            deadline: Duration = Self.defaultDeadline
        ) {
            precondition((1...Self.defaultMaximumBatchSize).contains(maximumBatchSize), "1 to \(Self.defaultMaximumBatchSize) movements per batch")
            precondition(maximumWaiting >= 0, "the waiting limit is not negative")
            precondition(transactionSlots >= 1, "at least one transaction slot")
            precondition(Self.deadlineRange.contains(deadline), "a movement deadline within \(Self.deadlineRange)")
            self.retryPolicy = retryPolicy
            self.combinesMovements = combinesMovements
            self.maximumBatchSize = maximumBatchSize
            self.maximumWaiting = maximumWaiting
            self.groupsCommits = groupsCommits
            self.transactionSlots = transactionSlots
            self.deadline = deadline
        }
    }

    /// The renderer of a movement's outcome: the HTTP layer's status and exact body bytes. It runs inside the
    /// movement's transaction, on a database thread, so it must be quick and must not block.
    public typealias Renderer = @Sendable (MovementOutcome) -> StoredResponse

    /// One movement's answer: its result, or why it was not done.
    typealias Answer = Result<MovementResult, any Error>

    let configuration: Configuration
    let database: WalletDatabase
    let runner: BatchRunner
    let holds: HoldStore
    private let scheduler: WalletBatchScheduler<MovementCommand, Answer>?

    init(database: WalletDatabase, outbox: EventOutbox, configuration: Configuration, metrics: MovementMetrics, logger: Logger) {
        let runner = BatchRunner(database: database, outbox: outbox, retryPolicy: configuration.retryPolicy, metrics: metrics, logger: logger)
        self.configuration = configuration
        self.database = database
        self.runner = runner
        self.holds = HoldStore(database: database)
        guard configuration.combinesMovements else {
            self.scheduler = nil
            return
        }
        guard configuration.groupsCommits else {
            self.scheduler = WalletBatchScheduler(
                maximumBatchSize: configuration.maximumBatchSize, maximumWaiting: configuration.maximumWaiting, runner: { await runner.run($0) })
            return
        }
        let grouper = CommitGrouper<MovementCommand, Answer>(
            // More slots than connections would only move the wait into the pool.
            slots: min(configuration.transactionSlots, database.pool.configuration.size),
            maximumGroupSize: configuration.maximumBatchSize,
            maximumWaiting: configuration.maximumWaiting,
            runner: { await runner.run(group: $0) }
        )
        self.scheduler = WalletBatchScheduler(
            maximumBatchSize: configuration.maximumBatchSize,
            maximumWaiting: configuration.maximumWaiting,
            runner: { batch in
                do throws(WalletSchedulerFull) {
                    return try await grouper.run(batch)
                } catch {
                    runner.metrics.countSchedulerRejection(times: batch.count)
                    runner.logger.warning("too many movements wait for a transaction slot", metadata: ["limit": "\(error.limit)"])
                    return batch.map { _ in .failure(WalletError.contention) }
                }
            }
        )
    }

    /// Runs `request` for `principal` under `idempotencyKey`, exactly once per key (keys are scoped per principal).
    ///
    /// Returns the rendered response of the money logic's outcome, a completed transaction or a business refusal,
    /// both pinned under the key; or, when the key answered an identical request before, that stored response
    /// (``MovementResult/isReplay``).
    ///
    /// Throws ``WalletError/idempotencyKeyReused(mismatchedFields:)``, ``WalletError/idempotencyKeyInUse``,
    /// ``WalletError/contention`` (retries ran out, the deadline passed, or too many movements wait; nothing
    /// committed),
    /// ``WalletError/unavailable(_:)`` or ``WalletError/databaseFailure(_:)``; none of them is stored under the key.
    public func execute(
        _ request: MovementRequest,
        details: MovementDetails = .none,
        principal: PrincipalID,
        idempotencyKey: IdempotencyKey,
        render: @escaping Renderer
    ) async throws -> MovementResult {
        precondition(request.operation != .expire, "expiries are the sweeper's (HoldSweeper)")
        let deadline = ContinuousClock.now + configuration.deadline
        // A movement on a hold waits its turn on the hold's wallet, and a reversal on the wallets of the transaction
        // it reverses, which never change: look them up first. (Inside the transaction the hold or transaction is
        // read again; an unknown one is a refusal there.)
        var walletsLookedUp: [WalletID] = []
        if let hold = request.holdID, let wallet = try await holds.walletID(of: hold) { walletsLookedUp.append(wallet) }
        if let original = request.reversedTransactionID {
            walletsLookedUp += try await database.findCausallyOnMiss { connection in
                let wallets = try TransactionReader.walletIDs(of: original, on: connection)
                return wallets.isEmpty ? nil : wallets
            } ?? []
        }
        let command = MovementCommand(
            request: request, details: details, principal: principal, idempotencyKey: idempotencyKey, walletsLookedUp: walletsLookedUp,
            deadline: deadline, render: render
        )
        return try await submit(command)
    }

    /// Records that `hold`, on `wallet`, placed by `placer`, reached its time: a movement without an idempotency
    /// key, combined with the other movements on the wallet. Returns the expired hold, or nil when there was
    /// nothing to record (it was resolved meanwhile, or is gone).
    func expire(_ hold: HoldID, on wallet: WalletID, placedBy placer: PrincipalID) async throws -> Hold? {
        let command = MovementCommand(
            request: .expireHold(hold), principal: placer, idempotencyKey: nil, walletsLookedUp: [wallet],
            // Without a key nothing is stored, and nobody waits for a response.
            deadline: .now + configuration.deadline, render: { _ in StoredResponse(status: 204, body: []) }
        )
        guard case .held(let expired)? = try await submit(command).outcome, expired.status == .expired else { return nil }
        return expired
    }

    private func submit(_ command: MovementCommand) async throws -> MovementResult {
        guard let scheduler else { return try await runner.run([command])[0].get() }
        do {
            return try await scheduler.submit(command).get()
        } catch let full as WalletSchedulerFull {
            runner.metrics.countSchedulerRejection(times: 1)
            runner.logger.warning("too many movements wait for busy wallets", metadata: ["limit": "\(full.limit)"])
            throw WalletError.contention
        }
    }
}

/// Runs a batch of movements in one transaction until it commits, fails for good, the retry policy runs out, or
/// the movements' deadlines pass.
///
/// Every movement has a deadline (``MovementCommand/deadline``). One whose deadline passed, while it waited in the
/// combiner or during earlier attempts, is answered ``WalletError/contention`` without running again; no attempt
/// starts and no backoff sleeps past the earliest deadline of the batch, and every statement of an attempt runs
/// under server-side ``StatementLimits`` of the time that is left (error 1969 or 1205 when it is used up).
///
/// Any error ends the attempt's transaction: it is rolled back, never continued. That holds for a lock wait
/// timeout (1205) too, which under `innodb_rollback_on_timeout=ON` has already rolled back the whole transaction
/// and under `OFF` only its statement: the code is the same under both settings, so it never needs to read it.
struct BatchRunner: Sendable {
    let database: WalletDatabase
    let outbox: EventOutbox
    let retryPolicy: RetryPolicy
    let metrics: MovementMetrics
    let logger: Logger

    /// The answers of `batches`, each batch's in order, from one transaction for all of them (group commit). A
    /// conflict splits the group: its batches, which share no wallet, retry each on its own and side by side, so
    /// that a wallet another instance changed costs only its own batch a retry, and a group never retries whole.
    func run(group batches: [[MovementCommand]]) async -> [[MoneyMovements.Answer]] {
        guard batches.count > 1 else { return [await run(batches[0])] }
        var parts: [Range<Int>] = []
        var start = 0
        for batch in batches {
            parts.append(start..<start + batch.count)
            start += batch.count
        }
        let answers = await run(batches.flatMap { $0 }, parts: parts)
        return parts.map { Array(answers[$0]) }
    }

    /// The answers of `commands`, in order. Every command of a batch that could not commit gets the same error,
    /// unless `parts` (ranges of `commands` that share no wallet) split it at its first conflict.
    func run(_ commands: [MovementCommand], parts: [Range<Int>] = []) async -> [MoneyMovements.Answer] {
        var answers = [MoneyMovements.Answer?](repeating: nil, count: commands.count)
        var pending = Array(commands.indices)
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            let now = ContinuousClock.now
            let expired = pending.filter { commands[$0].deadline <= now }
            if !expired.isEmpty {
                metrics.countDeadlineExpired(times: expired.count)
                logger.notice("movement deadline passed", metadata: ["attempts": "\(attempt - 1)", "movements": "\(expired.count)"])
                for index in expired { answers[index] = .failure(WalletError.contention) }
                pending.removeAll { commands[$0].deadline <= now }
            }
            guard !pending.isEmpty else { return answers.map { $0! } }
            let batch = pending.map { commands[$0] }
            let deadline = batch.map(\.deadline).min()!
            do {
                let results = try await database.pool.withConnection { [attempt] connection in
                    // The pool may have kept the batch waiting for a connection: take the time left only now.
                    let remaining = ContinuousClock.now.duration(to: deadline)
                    guard remaining > .zero else { throw MovementDeadlinePassed() }
                    let transaction = { (connection: MariaDBConnection) in
                        try connection.withTransaction(.repeatableRead, limits: StatementLimits(remaining: remaining)) { connection in
                            try MovementTransaction.run(batch, at: Date().atMicrosecondPrecision, outbox: outbox, on: connection)
                        }
                    }
                    // On a Galera node a conflict often means that this node had not applied another node's commit
                    // yet (a wallet's version, a claimed key): a retry reads causally, so it cannot meet the same
                    // stale row again. The first attempt waits for nothing.
                    return try attempt == 1 ? transaction(connection) : connection.withCausalReads(transaction)
                }
                metrics.countBatch()
                for (index, result) in zip(pending, results) {
                    switch result {
                    case .success(var movement):
                        metrics.countCommitted(movement, type: commands[index].request.operation)
                        movement.attempts = attempt
                        answers[index] = .success(movement)
                    case .failure(let error):
                        metrics.countAttempt(.rejected)
                        answers[index] = .failure(error)
                    }
                }
                return answers.map { $0! }
            } catch is IdempotencyKeyBusy {
                // The claim's lock wait ended the transaction. Alone, the movement's key is in use; in a batch, which
                // key it was is unknown, so each movement runs alone (and finds out).
                metrics.countAttempt(.rejected, times: batch.count)
                if batch.count == 1 {
                    answers[pending[0]] = .failure(WalletError.idempotencyKeyInUse)
                } else {
                    for index in pending { answers[index] = await run([commands[index]])[0] }
                }
                return answers.map { $0! }
            } catch is MovementDeadlinePassed {
                continue
            } catch {
                guard let retryReason = MoneyMovements.retryReason(for: error) else {
                    metrics.countAttempt(.failed, times: batch.count)
                    if batch.count > 1, !Self.failsEveryTransaction(error) {
                        // Whatever one movement's data did must not fail the others: run each alone.
                        for index in pending { answers[index] = await run([commands[index]])[0] }
                    } else {
                        for index in pending { answers[index] = .failure(WalletDatabase.translate(error)) }
                    }
                    return answers.map { $0! }
                }
                metrics.countAttempt(retryReason, times: batch.count)
                if parts.count > 1 {
                    metrics.countGroupSplit()
                    for (part, partAnswers) in await split(commands, parts: parts, pending: pending) {
                        for (index, answer) in zip(part, partAnswers) { answers[index] = answer }
                    }
                    return answers.map { $0! }
                }
                guard attempt < retryPolicy.maximumAttempts, !Task.isCancelled else {
                    metrics.countRetriesExhausted(times: batch.count)
                    logger.notice(
                        "movement retries exhausted",
                        metadata: ["attempts": "\(attempt)", "last_reason": "\(retryReason.rawValue)", "movements": "\(batch.count)"]
                    )
                    for index in pending { answers[index] = .failure(WalletError.contention) }
                    return answers.map { $0! }
                }
                attempt += 1
                // No backoff sleeps past the earliest deadline; a cancelled sleep ends early, and the check above
                // then stops retrying.
                let wakeUp = min(ContinuousClock.now + retryPolicy.delay(beforeAttempt: attempt, using: &generator), deadline)
                try? await Task.sleep(until: wakeUp, clock: .continuous)
            }
        }
    }
}

extension BatchRunner {
    /// Runs the `pending` commands of each of `parts` as a batch of its own, side by side: the answers, by the
    /// indexes of `commands` they belong to.
    private func split(_ commands: [MovementCommand], parts: [Range<Int>], pending: [Int]) async -> [([Int], [MoneyMovements.Answer])] {
        let pending = Set(pending)
        return await withTaskGroup(of: ([Int], [MoneyMovements.Answer]).self) { group in
            for part in parts {
                let indexes = part.filter(pending.contains)
                guard !indexes.isEmpty else { continue }
                group.addTask { (indexes, await run(indexes.map { commands[$0] })) }
            }
            var answered: [([Int], [MoneyMovements.Answer])] = []
            for await part in group { answered.append(part) }
            return answered
        }
    }
}

/// The deadline of a batch passed before its attempt could start (it waited for a pooled connection).
struct MovementDeadlinePassed: Error, Sendable {}

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
        case .statementTimeout: return .statementTimeout
        default: return nil
        }
    }
}
