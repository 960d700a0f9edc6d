import ArgumentParser
import Foundation
import Logging
import MariaDB
import WalletMigrations

/// What every database-facing `wallet migrate` subcommand shares: reading the options, loading the folder, a
/// one-connection pool, and turning failures into clear messages.
enum MigrateSession {
    /// The shortest read timeout a migration connection gets, whatever the URL says: one DDL statement (an
    /// `ALTER TABLE` on a big table) may legitimately run for long, and a read timeout would leave it dirty.
    static let minimumReadTimeoutSeconds: UInt32 = 3600
    /// The longest the command waits for its one pooled connection.
    static let acquireTimeout: Duration = .seconds(30)

    /// Loads the folder, opens a pool of one connection, runs `body` with a runner, and closes the pool.
    ///
    /// A missing or malformed URL or a missing folder is a usage error; a malformed folder, a migration problem or
    /// an unreachable database is a ``CommandFailure``.
    static func withRunner<T: Sendable>(
        database: DatabaseOptions,
        migrations: MigrationsOptions,
        _ body: (MigrationRunner) async throws -> T
    ) async throws -> T {
        var configuration = try database.configuration()
        configuration.readTimeoutSeconds = max(configuration.readTimeoutSeconds, minimumReadTimeoutSeconds)
        let directory = try loadDirectory(migrations)
        var logger = Logger(label: "wallet.migrate")
        logger.logLevel = .warning
        let pool = MariaDBConnectionPool(
            database: configuration,
            configuration: .init(size: 1, acquireTimeout: acquireTimeout),
            logger: logger
        )
        let runner = MigrationRunner(pool: pool, directory: directory)
        do {
            let result = try await body(runner)
            await pool.shutdown()
            return result
        } catch {
            await pool.shutdown()
            throw explained(error, endpoint: configuration.endpointDescription)
        }
    }

    /// The migrations folder, read and checked.
    static func loadDirectory(_ migrations: MigrationsOptions) throws -> MigrationDirectory {
        let path = migrations.directory
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("no migrations folder at \(path) (set --migrations-dir or \(MigrationsOptions.directoryEnvironmentVariable))")
        }
        do {
            return try MigrationDirectory.load(path)
        } catch {
            throw CommandFailure(error.message)
        }
    }

    /// A failure as the user should read it.
    static func explained(_ error: any Error, endpoint: String) -> any Error {
        switch error {
        case let error as MigrationError where error.code == .dirty || error.code == .statementFailed:
            return CommandFailure(error.message + ".\nAfter the repair, record it with: wallet migrate force VERSION")
        case let error as MigrationError:
            return CommandFailure(error.message)
        case let error as MariaDBError where error.kind == .connection:
            return CommandFailure("cannot reach MariaDB at \(endpoint): \(error.message) (for a local one: scripts/mariadb start)")
        case let error as MariaDBError:
            return CommandFailure("\(error) (at \(endpoint))")
        default:
            return error
        }
    }
}
