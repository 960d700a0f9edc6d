import Prometheus

/// The size of each rate limiter's table in `/metrics`, read at each scrape: the keys held now and their bound,
/// ``TokenBucketLimiter/maximumKeys``.
public final class RateLimitMetrics: Sendable {
    static let keysHelp = "Keys the rate limiter holds now."
    static let maximumKeysHelp = "The most keys the rate limiter holds: a new key in a full table takes the place of the one used longest ago."
    private let limiters: [(limiter: TokenBucketLimiter, keys: Gauge)]

    /// Gauges for `limiters`, labelled with their policy names.
    init(limiters: [(name: String, limiter: TokenBucketLimiter)], registry: PrometheusCollectorRegistry) {
        self.limiters = limiters.map { entry in
            let labels = [("limit", entry.name)]
            registry.makeGauge(descriptor: .named("wallet_rate_limit_max_keys", help: Self.maximumKeysHelp), labels: labels)
                .set(Int64(entry.limiter.maximumKeys))
            return (limiter: entry.limiter, keys: registry.makeGauge(descriptor: .named("wallet_rate_limit_keys", help: Self.keysHelp), labels: labels))
        }
    }

    /// Brings the metrics up to date with the limiters.
    public func update() {
        for entry in limiters { entry.keys.set(Int64(entry.limiter.keyCount)) }
    }
}
