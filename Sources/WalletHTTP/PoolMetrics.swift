public import MariaDB
public import Prometheus
import Synchronization
import WalletCore

/// The connection pool's state in `/metrics`, read from ``MariaDBConnectionPool/statistics`` at each scrape; each
/// metric's `# HELP` line says what it counts.
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
        size = registry.makeGauge(descriptor: .named("wallet_db_pool_size", help: "The most connections the pool opens."))
        let connections = MetricNameDescriptor.named("wallet_db_pool_connections", help: "Connections open, idle and in use now.")
        open = registry.makeGauge(descriptor: connections, labels: [("state", "open")])
        idle = registry.makeGauge(descriptor: connections, labels: [("state", "idle")])
        inUse = registry.makeGauge(descriptor: connections, labels: [("state", "in_use")])
        waiting = registry.makeGauge(descriptor: .named("wallet_db_pool_waiting", help: "Callers waiting for a connection now."))
        acquisitions = registry.makeCounter(descriptor: .named("wallet_db_pool_acquisitions_total", help: "Connections handed out."))
        acquireWait = registry.makeCounter(
            descriptor: .named(
                "wallet_db_pool_acquire_wait_seconds_total",
                help: "Time spent waiting for connections; over an interval, divided by the acquisitions, the mean wait."))
        acquireTimeouts = registry.makeCounter(
            descriptor: .named("wallet_db_pool_acquire_timeouts_total", help: "Waits for a connection that gave up (answered 503 unavailable)."))
        discarded = registry.makeCounter(descriptor: .named("wallet_db_pool_discarded_total", help: "Connections dropped after a connection error."))
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
