/// How a good client retries a movement without a definite answer: with the same key, after the service's
/// `Retry-After` or a capped exponential backoff with jitter, a bounded number of times.
public struct ClientRetryPolicy: Sendable {
    /// The first backoff when the service gave no `Retry-After` (timeouts, connection errors).
    public static let initialBackoff: Duration = .milliseconds(20)
    /// The longest backoff, and the longest `Retry-After` honoured.
    public static let maximumDelay: Duration = .seconds(5)
    /// Resends per key after the run, for keys still without a definite answer.
    public static let resolutionRetries = 30

    /// Retries after the first attempt.
    public let maximumRetries: Int

    public init(maximumRetries: Int) {
        precondition(maximumRetries >= 0, "retries are counted from zero")
        self.maximumRetries = maximumRetries
    }

    /// The wait before retry number `retry` (1-based) after `answer`.
    public func delay(beforeRetry retry: Int, after answer: MovementAnswer, using generator: inout some RandomNumberGenerator) -> Duration {
        if case .uncertain(_, let retryAfter?) = answer, retryAfter > 0 {
            return min(.milliseconds(Int64(retryAfter * 1000)), Self.maximumDelay)
        }
        let exponent = min(retry - 1, 16)
        let ceiling = min(Self.initialBackoff * (1 << exponent), Self.maximumDelay)
        let ceilingMicroseconds = max(Int64(ceiling / .microseconds(1)), 1)
        return .microseconds(Int64.random(in: (ceilingMicroseconds / 2)...ceilingMicroseconds, using: &generator))
    }
}
