public import MariaDB
public import Prometheus
import Synchronization
import WalletCore

/// The connection pool's state in `/metrics`, read from ``MariaDBConnectionPool/statistics`` at each scrape:
///
/// - `wallet_db_pool_size`: the most connections the pool opens.
/// - `wallet_db_pool_connections{state}`: connections `open`, `idle` and `in_use` now.
/// - `wallet_db_pool_waiting`: callers waiting for a connection now.
/// - `wallet_db_pool_acquisitions_total`, `wallet_db_pool_acquire_wait_seconds_total`: connections handed out and
///   the time spent waiting for them (their ratio over an interval is the mean wait).
/// - `wallet_db_pool_acquire_timeouts_total`: waits that gave up (answered `503 unavailable`).
/// - `wallet_db_pool_discarded_total`: connections dropped after a connection error.
public final class PoolMetrics: Sendable {
    let pool: MariaDBConnectionPool
    private let size: Gauge
    private let open: Gauge
    private let idle: Gauge
    private let inUse: Gauge
    private let waiting: Gauge
    private let acquisitions: Counter
    private let acquireWait: Counter
    private let acquireTimeouts: Counter
    private let discarded: Counter
    /// The totals at the last scrape, to turn the pool's totals into counter increments.
    private let last = Mutex<MariaDBConnectionPool.Statistics?>(nil)

    public init(pool: MariaDBConnectionPool, registry: PrometheusCollectorRegistry) {
        self.pool = pool
        size = registry.makeGauge(name: "wallet_db_pool_size")
        open = registry.makeGauge(name: "wallet_db_pool_connections", labels: [("state", "open")])
        idle = registry.makeGauge(name: "wallet_db_pool_connections", labels: [("state", "idle")])
        inUse = registry.makeGauge(name: "wallet_db_pool_connections", labels: [("state", "in_use")])
        waiting = registry.makeGauge(name: "wallet_db_pool_waiting")
        acquisitions = registry.makeCounter(name: "wallet_db_pool_acquisitions_total")
        acquireWait = registry.makeCounter(name: "wallet_db_pool_acquire_wait_seconds_total")
        acquireTimeouts = registry.makeCounter(name: "wallet_db_pool_acquire_timeouts_total")
        discarded = registry.makeCounter(name: "wallet_db_pool_discarded_total")
    }

    /// Brings the metrics up to date with the pool.
    public func update() {
        let now = pool.statistics
        size.set(Int64(pool.configuration.size))
        open.set(Int64(now.open))
        idle.set(Int64(now.idle))
        inUse.set(Int64(now.inUse))
        waiting.set(Int64(now.waiting))
        last.withLock { last in
            let before = last
            acquisitions.increment(by: Int64(now.acquisitions - (before?.acquisitions ?? 0)))
            let waited = now.acquireWait - (before?.acquireWait ?? .zero)
            acquireWait.increment(by: waited.seconds)
            acquireTimeouts.increment(by: Int64(now.acquireTimeouts - (before?.acquireTimeouts ?? 0)))
            discarded.increment(by: Int64(now.discarded - (before?.discarded ?? 0)))
            last = now
        }
    }
}
