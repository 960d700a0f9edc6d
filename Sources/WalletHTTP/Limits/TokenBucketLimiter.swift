import Foundation
import Synchronization

/// Token buckets by key (a user, an API key, an email, a client address), in memory: each key may spend
/// ``Policy/burst`` tokens at once and earns ``Policy/perSecond`` back each second, by the limiter's policy or one
/// of the key's own (an API key created with its own limit).
///
/// The table is bounded: it holds at most ``maximumKeys`` keys, and a new key in a full table takes the place of the
/// key used longest ago (whose bucket is the likeliest to have refilled, which is the same as no bucket), in O(1).
/// Keys are ``RateLimitKey``s, fixed-size hashes, so an entry costs the same whatever the client sent: a 56-byte slot
/// (a 32-byte key, a 32-byte bucket with its policy, two 4-byte links; up to twice that while the slot array's growth leaves room)
/// and 36 bytes (key and slot index) per bucket of the dictionary, which is ⅜ to ¾ full, so 48 to 96 bytes: at most
/// about 210 bytes a key, and about 21 MB for a limiter at the default bound of 100,000 keys.
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
    private let buckets: Mutex<LeastRecentlyUsedTable<RateLimitKey, Bucket>>

    private struct Bucket {
        var tokens: Double
        var updated: TimeInterval
        var policy: Policy
    }

    public init(policy: Policy, maximumKeys: Int = defaultMaximumKeys) {
        precondition(maximumKeys >= 1, "room for at least one key")
        self.policy = policy
        self.maximumKeys = maximumKeys
        self.buckets = Mutex(LeastRecentlyUsedTable(capacity: maximumKeys))
    }

    /// Spends a token of `key` if it has one, under `policy` (the limiter's when nil). `now` is seconds on a
    /// monotonic clock (the system's uptime when nil).
    public func take(_ key: RateLimitKey, policy: Policy? = nil, now: Double? = nil) -> Decision {
        let now = now ?? ProcessInfo.processInfo.systemUptime
        let policy = policy ?? self.policy
        return buckets.withLock { buckets in
            var bucket = refilled(buckets.use(key), policy: policy, now: now)
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets.set(bucket, for: key)
            return decision(bucket, allowed: allowed)
        }
    }

    /// Gives back a token that ``take(_:now:)`` spent for `key` (never past the burst; nothing when the key is gone).
    public func refund(_ key: RateLimitKey, now: Double? = nil) {
        let now = now ?? ProcessInfo.processInfo.systemUptime
        buckets.withLock { buckets in
            guard let held = buckets.use(key) else { return }
            var bucket = refilled(held, policy: held.policy, now: now)
            bucket.tokens = min(Double(bucket.policy.burst), bucket.tokens + 1)
            buckets.set(bucket, for: key)
        }
    }

    /// Keys held now (for tests and metrics).
    public var keyCount: Int { buckets.withLock { $0.count } }

    /// The bucket refilled up to `now` under `policy`; a new one is full.
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
}
