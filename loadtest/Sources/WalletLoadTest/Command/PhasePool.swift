import Logging
import MariaDB

/// The connection pool of a phase that talks to MariaDB itself (direct, raw): `--direct-pool-size` connections to
/// `--database-url`, shut down when the phase ends, however it ends.
enum PhasePool {
    /// The longest a movement waits for a pooled connection before it counts as unavailable and is retried.
    static let acquireTimeout: Duration = .seconds(30)

    static func with<T>(_ settings: LoadTestSettings, _ body: (MariaDBConnectionPool, Logger) async throws -> T) async throws -> T {
        let configuration: MariaDBConfiguration
        do {
            configuration = try MariaDBConfiguration(url: settings.databaseURL)
        } catch {
            throw RunError("\(error)")
        }
        var logger = Logger(label: "wallet-loadtest")
        logger.logLevel = .warning
        let pool = MariaDBConnectionPool(
            database: configuration, configuration: .init(size: settings.directPoolSize, acquireTimeout: acquireTimeout), logger: logger)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(pool, logger))
        } catch {
            result = .failure(error)
        }
        await pool.shutdown()
        return try result.get()
    }
}
