import Foundation
import Synchronization

/// Token buckets by key (a user, an API key, an email, a client address), in memory: each key may spend
/// ``Policy/burst`` tokens at once and earns ``Policy/perSecond`` back each second, by the limiter's policy or one
/// of the key's own.
///
/// The table is bounded: when it holds ``maximumKeys`` keys, the buckets that have refilled completely (which are
/// the same as no bucket) are dropped, and if none has, the oldest are.
public final class TokenBucketLimiter: Sendable {
    /// A bucket's size and refill rate.
    public struct Policy: Sendable, Hashable {
        /// Tokens a key may spend at once.
        public var burst: Int
        /// Tokens earned back per second.
        public var perSecond: Double

        /// - Precondition: `burst` ≥ 1 and `perSecond` > 0.
        public init(burst: Int, perSecond: Double) {
            precondition(burst >= 1 && perSecond > 0, "a bucket of at least one token that refills")
            self.burst = burst
            self.perSecond = perSecond
        }

        /// The window, in whole seconds, in which a full bucket refills (for `RateLimit-Policy`'s `w`).
        public var windowSeconds: Int { max(1, Int((Double(burst) / perSecond).rounded(.up))) }
    }

    /// What ``take(_:now:)`` decided.
    public struct Decision: Sendable, Equatable {
        /// True when a token was spent and the request may go on.
        public var allowed: Bool
        /// Whole tokens left after this request.
        public var remaining: Int
        /// Seconds until a token is available again (0 when one is), rounded up.
        public var retryAfterSeconds: Int
        /// Seconds until the bucket is full again, rounded up.
        public var resetSeconds: Int
    }

    /// The default bound on keys held.
    public static let defaultMaximumKeys = 100_000

    public let policy: Policy
    public let maximumKeys: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    private struct Bucket {
        var tokens: Double
        var updated: TimeInterval
        var policy: Policy
    }

    public init(policy: Policy, maximumKeys: Int = defaultMaximumKeys) {
        precondition(maximumKeys >= 1, "room for at least one key")
        self.policy = policy
        self.maximumKeys = maximumKeys
    }

    /// Spends a token of `key` if it has one, under `policy` (the limiter's when nil). `now` is seconds on a
    /// monotonic clock (the system's uptime when nil).
    public func take(_ key: String, policy: Policy? = nil, now: Double? = nil) -> Decision {
        let now = now ?? ProcessInfo.processInfo.systemUptime
        let policy = policy ?? self.policy
        return buckets.withLock { buckets in
            var bucket = refilled(buckets[key], policy: policy, now: now)
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            if buckets[key] == nil, buckets.count >= maximumKeys { evict(&buckets, now: now) }
            buckets[key] = bucket
            return decision(bucket, allowed: allowed)
        }
    }

    /// Gives back a token that ``take(_:now:)`` spent for `key` (never past the burst).
    public func refund(_ key: String, now: Double? = nil) {
        let now = now ?? ProcessInfo.processInfo.systemUptime
        buckets.withLock { buckets in
            guard let existing = buckets[key] else { return }
            var bucket = refilled(existing, policy: existing.policy, now: now)
            bucket.tokens = min(Double(bucket.policy.burst), bucket.tokens + 1)
            buckets[key] = bucket
        }
    }

    /// Keys held now (for tests and metrics).
    public var keyCount: Int { buckets.withLock { $0.count } }

    /// The bucket refilled up to `now`; a new one is full, and one whose policy changed keeps its tokens up to the
    /// new burst.
    private func refilled(_ bucket: Bucket?, policy: Policy, now: TimeInterval) -> Bucket {
        guard var bucket else { return Bucket(tokens: Double(policy.burst), updated: now, policy: policy) }
        bucket.policy = policy
        let elapsed = max(0, now - bucket.updated)
        bucket.tokens = min(Double(policy.burst), bucket.tokens + elapsed * policy.perSecond)
        bucket.updated = now
        return bucket
    }

    private func decision(_ bucket: Bucket, allowed: Bool) -> Decision {
        let policy = bucket.policy
        let missingForOne = max(0, 1 - bucket.tokens)
        let missingForFull = Double(policy.burst) - bucket.tokens
        return Decision(
            allowed: allowed,
            remaining: Int(bucket.tokens.rounded(.down)),
            retryAfterSeconds: Int((missingForOne / policy.perSecond).rounded(.up)),
            resetSeconds: Int((missingForFull / policy.perSecond).rounded(.up))
        )
    }

    /// Drops the buckets that are full again; when none is, the half that was used longest ago.
    private func evict(_ buckets: inout [String: Bucket], now: TimeInterval) {
        let full = buckets.filter { refilled($0.value, policy: $0.value.policy, now: now).tokens >= Double($0.value.policy.burst) }.map(\.key)
        if !full.isEmpty {
            for key in full { buckets[key] = nil }
            return
        }
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(max(1, buckets.count / 2)).map(\.key)
        for key in oldest { buckets[key] = nil }
    }
}
