import ArgumentParser
import Logging
import MariaDB
import WalletCore
import WalletHTTP

/// The wallet core for one operator command (`wallet audit`, `wallet apps`, `wallet api-keys`): one database
/// connection, closed when the command is done; failures reach the operator as a ``CommandFailure``.
enum OperatorSession {
    /// The longest a command waits for its connection.
    static let acquireTimeout: Duration = .seconds(30)

    /// Runs `body` with the wallet core over `configuration`. A ``WalletError`` the body throws is explained in
    /// words; so is any other failure, with the server it happened at.
    static func run<T: Sendable>(
        _ configuration: MariaDBConfiguration,
        label: String,
        _ body: (WalletService) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        let pool = MariaDBConnectionPool(database: configuration, configuration: .init(size: 1, acquireTimeout: acquireTimeout), logger: logger)
        do {
            let result = try await body(WalletService(pool: pool, eventData: APIEventData(), logger: logger))
            await pool.shutdown()
            return result
        } catch {
            await pool.shutdown()
            if error is ExitCode || error is CommandFailure || error is ValidationError { throw error }
            throw CommandFailure("\(error) (at \(configuration.endpointDescription))")
        }
    }
}
