public import MariaDB

/// Decides whether the service may take traffic: MariaDB answers, and the schema is fully migrated.
///
/// The answer comes within ``timeout`` whatever the database does (refuses connections, accepts them and never
/// answers, hangs in the middle of a query), and whatever the pool is doing: the probe does not use the service's
/// pool, whose connections carry the URL's read timeout (30 s by default) and may all be busy. Each probe opens a
/// connection of its own with short timeouts (``ReadinessProbe``) on a thread of its own, so neither a pool thread
/// nor the Swift concurrency pool ever waits on it, and closes it after.
///
/// At most one probe runs at a time: a caller that arrives while one is in flight waits for that probe's result,
/// up to its own deadline (``ReadinessFlight``), so a burst of probes against a hung database holds one thread and
/// one database connection, not one each.
public struct ReadinessCheck: Sendable {
    /// The longest a readiness probe waits for the database before answering 503.
    public static let defaultTimeout: Duration = .seconds(2)

    /// What is wrong with the schema (a pending, dirty, modified or missing migration), or nil when nothing is.
    public typealias SchemaCheck = @Sendable (MariaDBConnection) throws -> String?

    /// The service's pool: the probe connects to its database (and `/metrics` reads its statistics), but never
    /// borrows its connections.
    let pool: MariaDBConnectionPool
    let timeout: Duration
    private let flight: ReadinessFlight

    /// A check of `pool`'s database and of its schema with `schemaCheck`, answering within `timeout`.
    public init(pool: MariaDBConnectionPool, timeout: Duration = Self.defaultTimeout, schemaCheck: @escaping SchemaCheck) {
        // The probe's own database timeouts must end a probe soon after its callers have been answered, so that a hung
        // database holds the probe's thread for about one answer's time, not for the URL's read timeout.
        precondition(ReadinessProbe.databaseTimeout < timeout, "the probe's database timeouts must be shorter than the answer's bound")
        self.pool = pool
        self.timeout = timeout
        let probe = ReadinessProbe(database: pool.databaseConfiguration, schemaCheck: schemaCheck)
        self.flight = ReadinessFlight { done in probe.start(done) }
    }

    /// Nil when ready, else the reason it is not; within ``timeout``.
    public func problem() async -> String? {
        await flight.result(within: timeout)
    }
}
