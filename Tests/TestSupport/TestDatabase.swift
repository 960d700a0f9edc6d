import Foundation
public import MariaDB
import Logging

/// The MariaDB that tests run against, and scratch databases on it.
///
/// Tests never skip for want of a database: they fail with a message saying how to start one.
public enum TestDatabase {
    /// The URL of the test server's `wallet` database, from `WALLET_TEST_DATABASE_URL`.
    public static let url = ProcessInfo.processInfo.environment["WALLET_TEST_DATABASE_URL"]
        ?? "mariadb://wallet:wallet@127.0.0.1:3307/wallet"

    /// How to get a database when there is none.
    public static let howToStart =
        "Start the private test MariaDB with `scripts/mariadb start` (or run every test with `scripts/test`), "
        + "or point WALLET_TEST_DATABASE_URL at a MariaDB 10.11+ whose user may create databases named wallet_test_*."

    /// The configuration of the test server's own database.
    public static func configuration() throws -> MariaDBConfiguration {
        try MariaDBConfiguration(url: url)
    }

    /// Connections that create and drop scratch databases for the suites running in parallel.
    static let adminPoolSize = 4
    /// How long a suite waits for one: DDL syncs to disk, and a loaded machine (seen: another build beside the suite)
    /// made 2 connections and 30 s too few for 67 suites starting together.
    static let adminAcquireTimeout: Duration = .seconds(120)

    /// A pool on the test server's own database, for creating and dropping scratch databases.
    public static let adminPool: MariaDBConnectionPool = {
        let configuration = (try? MariaDBConfiguration(url: url))
            ?? MariaDBConfiguration(user: "invalid", password: "", database: "invalid")
        return MariaDBConnectionPool(
            database: configuration,
            configuration: .init(size: adminPoolSize, acquireTimeout: adminAcquireTimeout),
            logger: Logger(label: "test-admin")
        )
    }()

    /// Creates an empty database named `wallet_test_…`, runs `body` with its configuration, and drops it after.
    public static func withScratchDatabase<T>(
        _ body: (MariaDBConfiguration) async throws -> T
    ) async throws -> T {
        var configuration = try configuration()
        let name = "wallet_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        configuration.database = name
        try await admin("CREATE DATABASE `\(name)` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        do {
            let result = try await body(configuration)
            try await admin("DROP DATABASE IF EXISTS `\(name)`")
            return result
        } catch {
            try? await admin("DROP DATABASE IF EXISTS `\(name)`")
            throw error
        }
    }

    /// Runs one administrative statement on the test server, failing with ``howToStart`` when it is unreachable.
    public static func admin(_ sql: String) async throws {
        do {
            try await adminPool.withConnection { try $0.query(sql) }
        } catch let error as MariaDBError where error.kind == .connection {
            throw TestDatabaseUnavailable(url: url, underlying: error)
        }
    }
}

/// The test MariaDB could not be reached.
public struct TestDatabaseUnavailable: Error, CustomStringConvertible {
    public let url: String
    public let underlying: MariaDBError
    public var description: String {
        "No MariaDB answers at \(url) (\(underlying)). \(TestDatabase.howToStart)"
    }
}
