/// How a money movement retries after an optimistic conflict, a deadlock, a lock wait timeout or a changed record:
/// bounded attempts, each in a new transaction, after an exponential backoff with full jitter.
///
/// Before attempt *n* (n ≥ 2) the movement sleeps a uniformly random time between zero and
/// `min(maximumDelay, baseDelay × 2^(n−2))`, outside any transaction and without holding a connection.
public struct RetryPolicy: Hashable, Sendable {
    /// Attempts per movement by default, the first included.
    public static let defaultMaximumAttempts = 10
    /// The ceiling of the first backoff by default.
    public static let defaultBaseDelay: Duration = .milliseconds(2)
    /// The largest backoff ceiling by default.
    public static let defaultMaximumDelay: Duration = .milliseconds(100)
    /// The most attempts a policy may allow.
    public static let maximumAttemptsLimit = 100
    /// The default policy.
    public static let `default` = RetryPolicy()

    /// Attempts per movement, the first included (1 means never retry).
    public let maximumAttempts: Int
    /// The ceiling of the backoff before the second attempt; it doubles for each later one.
    public let baseDelay: Duration
    /// The largest backoff ceiling.
    public let maximumDelay: Duration

    /// A policy; the defaults are ``defaultMaximumAttempts``, ``defaultBaseDelay`` and ``defaultMaximumDelay``.
    ///
    /// - Precondition: `maximumAttempts` is 1 to ``maximumAttemptsLimit``; `baseDelay` is positive and at most
    ///   `maximumDelay`.
    public init(
        maximumAttempts: Int = Self.defaultMaximumAttempts,
        baseDelay: Duration = Self.defaultBaseDelay,
        maximumDelay: Duration = Self.defaultMaximumDelay
    ) {
        precondition((1...Self.maximumAttemptsLimit).contains(maximumAttempts), "1 to \(Self.maximumAttemptsLimit) attempts")
        precondition(baseDelay > .zero && baseDelay <= maximumDelay, "0 < baseDelay <= maximumDelay")
        self.maximumAttempts = maximumAttempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// The longest backoff before attempt `attempt` (2 or more).
    public func delayCeiling(beforeAttempt attempt: Int) -> Duration {
        precondition(attempt >= 2, "the first attempt does not wait")
        // Doubling more than this many times passes any sensible maximum delay; stop before Duration overflows.
        let doublings = min(attempt - 2, 32)
        return min(maximumDelay, baseDelay * (1 << doublings))
    }

    /// A random backoff before attempt `attempt`: uniform between zero and ``delayCeiling(beforeAttempt:)``.
    func delay(beforeAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = delayCeiling(beforeAttempt: attempt)
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        return .nanoseconds(Int64.random(in: 0...nanoseconds, using: &generator))
    }
}
