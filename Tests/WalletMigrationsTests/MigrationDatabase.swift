import Foundation
import Logging
import MariaDB
import TestSupport
import WalletMigrations

/// A scratch database and a migrations folder for one test, with pools and runners on them.
struct MigrationDatabase: Sendable {
    /// The acquire timeout of the tests' pools.
    static let acquireTimeout: Duration = .seconds(30)

    let configuration: MariaDBConfiguration
    let folder: MigrationFolder

    /// Runs `body` with a fresh scratch database and `folder`; drops the database and deletes the folder after.
    static func with<T>(_ folder: MigrationFolder, _ body: (MigrationDatabase) async throws -> T) async throws -> T {
        defer { folder.delete() }
        return try await TestDatabase.withScratchDatabase { configuration in
            try await body(MigrationDatabase(configuration: configuration, folder: folder))
        }
    }

    /// Runs `body` with a pool of its own (one connection), shut down after.
    func withPool<T>(_ body: (MariaDBConnectionPool) async throws -> T) async throws -> T {
        try await TestSupport.withPool(
            on: configuration, configuration: .init(size: 1, acquireTimeout: Self.acquireTimeout), logger: Logger(label: "migrations-test"), body)
    }

    /// Runs `body` with a runner over the folder as it is now, on a pool of its own, taking `lock` (nil: the one
    /// suited to the server).
    func withRunner<T>(
        lockTimeout: Duration = MigrationRunner.defaultLockTimeout, lock: MigrationLock? = nil, _ body: (MigrationRunner) async throws -> T
    ) async throws -> T {
        let directory = try folder.load()
        return try await withPool { pool in
            try await body(MigrationRunner(pool: pool, directory: directory, lockTimeout: lockTimeout, lock: lock))
        }
    }

    /// The rows of a text-protocol query on its own connection.
    func rows(_ sql: String) async throws -> [MariaDBRow] {
        try await withPool { pool in try await pool.withConnection { try $0.query(sql).rows } }
    }

    /// The tables of the scratch database, sorted.
    func tables() async throws -> [String] {
        try await rows("SHOW TABLES").map { try $0.decode(String.self, at: 0) }.sorted()
    }

    /// The versions recorded in `schema_migrations`, with their dirty flags; empty when the table does not exist.
    func recorded() async throws -> [(version: Int64, dirty: Bool, checksum: String)] {
        guard try await tables().contains("schema_migrations") else { return [] }
        return try await rows("SELECT version, dirty, checksum FROM schema_migrations ORDER BY version").map {
            (try $0.decode(Int64.self, "version"), try $0.decode(Bool.self, "dirty"), try $0.decode(String.self, "checksum"))
        }
    }

    /// `mariadb://…` for this database, for the `wallet` executable.
    var url: String {
        "mariadb://\(configuration.user):\(configuration.password)@\(configuration.host):\(configuration.port)/\(configuration.database)"
    }
}
