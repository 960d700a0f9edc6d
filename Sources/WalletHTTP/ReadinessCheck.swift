public import MariaDB

/// Decides whether the service may take traffic: MariaDB answers, and the schema is fully migrated.
public struct ReadinessCheck: Sendable {
    /// The longest a readiness probe waits for the database before answering 503.
    public static let defaultTimeout: Duration = .seconds(2)

    /// What is wrong with the schema (a pending, dirty, modified or missing migration), or nil when nothing is.
    public typealias SchemaCheck = @Sendable (MariaDBConnection) throws -> String?

    let pool: MariaDBConnectionPool
    let schemaCheck: SchemaCheck
    let timeout: Duration

    public init(pool: MariaDBConnectionPool, timeout: Duration = Self.defaultTimeout, schemaCheck: @escaping SchemaCheck) {
        self.pool = pool
        self.timeout = timeout
        self.schemaCheck = schemaCheck
    }

    /// Nil when ready, else the reason it is not.
    public func problem() async -> String? {
        let schemaCheck = self.schemaCheck
        let pool = self.pool
        do {
            return try await withThrowingTaskGroup(of: String?.self) { group in
                group.addTask {
                    try await pool.withConnection { connection in
                        try connection.execute("SELECT 1")
                        return try schemaCheck(connection)
                    }
                }
                group.addTask { [timeout] in
                    try await Task.sleep(for: timeout)
                    return "the database did not answer within \(timeout)"
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
        } catch let error as MariaDBError {
            return "the database is unreachable: \(error.message)"
        } catch {
            return "the readiness check failed: \(error)"
        }
    }
}
