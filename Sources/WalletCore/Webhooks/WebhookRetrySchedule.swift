public import Foundation

/// When a failed delivery is tried again: 30 seconds after the first attempt, doubling to at most 6 hours between
/// attempts, each wait scaled by a random factor from 0.8 to 1.2 (so that receivers coming back from an outage are
/// not hit by every retry at once), for 3 days after the delivery was queued; the last attempt is at the give-up
/// time at the latest.
public struct WebhookRetrySchedule: Hashable, Sendable {
    /// The wait after the first failed attempt.
    public static let firstWait: Duration = .seconds(30)
    /// The longest wait between attempts.
    public static let longestWait: Duration = .seconds(6 * 60 * 60)
    /// How long a delivery is retried.
    public static let retryWindow: Duration = .seconds(3 * 24 * 60 * 60)
    /// The range of the random factor applied to each wait.
    public static let jitter: ClosedRange<Double> = 0.8...1.2

    public init() {}

    /// The wait before the next attempt after `attempts` failed ones (1 or more), before jitter.
    public func nominalWait(afterAttempts attempts: Int) -> Duration {
        precondition(attempts >= 1, "a wait follows a failed attempt")
        let first = Self.firstWait.seconds
        let doublings = min(attempts - 1, 20)
        return .seconds(min(first * Double(1 << doublings), Self.longestWait.seconds))
    }

    /// When to try again after `attempts` failed ones, the last at `now`, for a delivery that gives up at `giveUpAt`;
    /// nil when the delivery has failed for good (`now` is at or past `giveUpAt`).
    public func nextAttempt(afterAttempts attempts: Int, at now: Date, giveUpAt: Date, using generator: inout some RandomNumberGenerator) -> Date? {
        guard now < giveUpAt else { return nil }
        let factor = Double.random(in: Self.jitter, using: &generator)
        return min(now.addingTimeInterval(nominalWait(afterAttempts: attempts).seconds * factor), giveUpAt)
    }
}

