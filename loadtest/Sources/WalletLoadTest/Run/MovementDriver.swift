/// Sends movements like a good client: the same key on every retry, retries only without a definite answer, after
/// the policy's delay, a bounded number of times. Every answer goes to the ``AnswerBook``.
public struct MovementDriver: Sendable {
    public let executor: any MovementExecutor
    public let policy: ClientRetryPolicy
    public let book: AnswerBook

    public init(executor: any MovementExecutor, policy: ClientRetryPolicy, book: AnswerBook) {
        self.executor = executor
        self.policy = policy
        self.book = book
    }

    /// Sends `movement` until it has a definite answer or `maximumRetries` (the policy's by default) run out; returns
    /// the last answer. Attempts are counted in `statistics` when given.
    public func send(
        _ movement: PlannedMovement,
        statistics: RunStatistics?,
        maximumRetries: Int? = nil,
        using generator: inout some RandomNumberGenerator
    ) async -> MovementAnswer {
        let retries = maximumRetries ?? policy.maximumRetries
        var answer = await executor.attempt(movement)
        book.record(movement, answer: answer)
        statistics?.recordAttempt(answer, isRetry: false)
        var retry = 0
        while !answer.isDefinite, retry < retries {
            retry += 1
            do {
                try await Task.sleep(for: policy.delay(beforeRetry: retry, after: answer, using: &generator))
            } catch {
                return answer
            }
            answer = await executor.attempt(movement)
            book.record(movement, answer: answer)
            statistics?.recordAttempt(answer, isRetry: true)
        }
        return answer
    }
}
