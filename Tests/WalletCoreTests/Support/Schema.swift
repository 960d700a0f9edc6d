import Foundation
import MariaDB
import WalletMigrations

/// The repository's schema, applied to scratch databases with the migration runner.
enum Schema {
    /// The repository's `migrations/` folder.
    static let migrationsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // WalletCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("migrations")
        .path

    /// A runner of the repository's migrations on `pool`'s database.
    static func runner(on pool: MariaDBConnectionPool) throws -> MigrationRunner {
        MigrationRunner(pool: pool, directory: try MigrationDirectory.load(migrationsDirectory))
    }

    /// Applies every migration to the database of `pool`.
    static func apply(on pool: MariaDBConnectionPool) async throws {
        _ = try await runner(on: pool).up()
    }
}
