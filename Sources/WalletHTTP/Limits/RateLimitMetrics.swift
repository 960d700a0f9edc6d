import Prometheus

/// The size of each rate limiter's table in `/metrics`, read at each scrape:
/// `wallet_rate_limit_keys{limit}`, the keys held now (each at most ``TokenBucketLimiter/maximumKeys``), and
/// `wallet_rate_limit_max_keys{limit}`, that bound.
public final class RateLimitMetrics: Sendable {
    private let limiters: [(limiter: TokenBucketLimiter, keys: Gauge)]

    /// Gauges for `limiters`, labelled with their policy names.
    init(limiters: [(name: String, limiter: TokenBucketLimiter)], registry: PrometheusCollectorRegistry) {
        self.limiters = limiters.map { entry in
            registry.makeGauge(name: "wallet_rate_limit_max_keys", labels: [("limit", entry.name)]).set(Int64(entry.limiter.maximumKeys))
            return (limiter: entry.limiter, keys: registry.makeGauge(name: "wallet_rate_limit_keys", labels: [("limit", entry.name)]))
        }
    }

    /// Brings the metrics up to date with the limiters.
    public func update() {
        for entry in limiters { entry.keys.set(Int64(entry.limiter.keyCount)) }
    }
}
