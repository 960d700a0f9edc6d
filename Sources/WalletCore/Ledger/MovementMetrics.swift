import Metrics

/// The counters of money movements, for `/metrics`.
///
/// - `wallet_transaction_attempts_total{result}`: attempts of movements, one per movement per database transaction
///   it took part in (several movements may share one), by how they ended: `committed`,
///   `replayed` (the key's stored answer), `conflict` (a wallet's version changed), `deadlock`,
///   `lock_wait_timeout`, `record_changed`, `statement_timeout` (the five retried ones; the last means a statement
///   used up the time left before the deadline), `rejected` (idempotency key reused or in use),
///   `failed` (anything else, such as the database being down).
/// - `wallet_transaction_retries_exhausted_total`: movements that ran out of attempts (answered `contention`).
/// - `wallet_movement_deadline_expired_total`: movements whose deadline passed before they committed (answered
///   `contention`, nothing committed), whether they waited in the combiner or ran out of time retrying.
/// - `wallet_idempotent_replays_total`: requests answered with a stored response.
/// - `wallet_movements_total{type,outcome}`: movements that ran the money logic, by ``MovementOperation``,
///   `completed` (money moved, or a hold was placed, voided or expired) or `refused`.
/// - `wallet_movement_batches_total`: committed transactions that carried movements; `wallet_movements_total` over
///   it is how many movements the combining put in one transaction on average.
/// - `wallet_queue_rejections_total`: movements refused because too many were already waiting for busy wallets or
///   for a transaction slot.
/// - `wallet_commit_group_splits_total`: groups of batches (group commit) that met a conflict and split, each batch
///   then retrying on its own.
struct MovementMetrics: Sendable {
    /// How one database transaction of a movement ended.
    enum AttemptResult: String, CaseIterable, Sendable {
        case committed, replayed, conflict, deadlock
        case lockWaitTimeout = "lock_wait_timeout"
        case recordChanged = "record_changed"
        case statementTimeout = "statement_timeout"
        case rejected, failed
    }

    static let attemptsLabel = "wallet_transaction_attempts_total"
    static let retriesExhaustedLabel = "wallet_transaction_retries_exhausted_total"
    static let deadlineExpiredLabel = "wallet_movement_deadline_expired_total"
    static let replaysLabel = "wallet_idempotent_replays_total"
    static let movementsLabel = "wallet_movements_total"
    static let queueRejectionsLabel = "wallet_queue_rejections_total"
    static let batchesLabel = "wallet_movement_batches_total"
    static let groupSplitsLabel = "wallet_commit_group_splits_total"

    private let attempts: [AttemptResult: Counter]
    private let retriesExhausted: Counter
    private let deadlineExpired: Counter
    private let replays: Counter
    private let completed: [MovementOperation: Counter]
    private let refused: [MovementOperation: Counter]
    private let queueRejections: Counter
    private let batches: Counter
    private let groupSplits: Counter

    init(factory: any MetricsFactory) {
        var attempts: [AttemptResult: Counter] = [:]
        for result in AttemptResult.allCases {
            attempts[result] = Counter(label: Self.attemptsLabel, dimensions: [("result", result.rawValue)], factory: factory)
        }
        self.attempts = attempts
        var completed: [MovementOperation: Counter] = [:]
        var refused: [MovementOperation: Counter] = [:]
        for type in MovementOperation.allCases {
            completed[type] = Counter(
                label: Self.movementsLabel, dimensions: [("type", type.rawValue), ("outcome", "completed")], factory: factory)
            refused[type] = Counter(
                label: Self.movementsLabel, dimensions: [("type", type.rawValue), ("outcome", "refused")], factory: factory)
        }
        self.completed = completed
        self.refused = refused
        self.retriesExhausted = Counter(label: Self.retriesExhaustedLabel, factory: factory)
        self.deadlineExpired = Counter(label: Self.deadlineExpiredLabel, factory: factory)
        self.replays = Counter(label: Self.replaysLabel, factory: factory)
        self.queueRejections = Counter(label: Self.queueRejectionsLabel, factory: factory)
        self.batches = Counter(label: Self.batchesLabel, factory: factory)
        self.groupSplits = Counter(label: Self.groupSplitsLabel, factory: factory)
    }

    /// Counts the end of one movement's part in a database transaction, `times` movements at once.
    func countAttempt(_ result: AttemptResult, times: Int = 1) {
        attempts[result]?.increment(by: Int64(times))
    }

    /// Counts a committed transaction that carried movements.
    func countBatch() {
        batches.increment()
    }

    /// Counts a committed movement: a replay, or the outcome of the money logic.
    func countCommitted(_ result: MovementResult, type: MovementOperation) {
        switch result.outcome {
        case nil:
            countAttempt(.replayed)
            replays.increment()
        case .completed?, .held?:
            countAttempt(.committed)
            completed[type]?.increment()
        case .refused?:
            countAttempt(.committed)
            refused[type]?.increment()
        }
    }

    /// Counts movements that ran out of attempts.
    func countRetriesExhausted(times: Int) {
        retriesExhausted.increment(by: Int64(times))
    }

    /// Counts movements whose deadline passed before they committed.
    func countDeadlineExpired(times: Int) {
        deadlineExpired.increment(by: Int64(times))
    }

    /// Counts movements refused because too many movements wait for busy wallets or a transaction slot.
    func countSchedulerRejection(times: Int) {
        queueRejections.increment(by: Int64(times))
    }

    /// Counts a group of batches that met a conflict and split.
    func countGroupSplit() {
        groupSplits.increment()
    }
}
