public import Logging
public import MariaDB

/// Runs `body` with a pool of its own on `database`, and shuts the pool down after, whether `body` throws or not.
public func withPool<T>(
    on database: MariaDBConfiguration,
    configuration: MariaDBConnectionPool.Configuration = .init(size: 1),
    logger: Logger,
    _ body: (MariaDBConnectionPool) async throws -> T
) async throws -> T {
    let pool = MariaDBConnectionPool(database: database, configuration: configuration, logger: logger)
    do {
        let result = try await body(pool)
        await pool.shutdown()
        return result
    } catch {
        await pool.shutdown()
        throw error
    }
}
