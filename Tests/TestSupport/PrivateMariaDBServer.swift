public import Foundation
public import MariaDB

/// A MariaDB server of a test's own, started with `scripts/mariadb` in its own directory and port, so that a test
/// may stop, kill and restart it without disturbing the shared test server.
public struct PrivateMariaDBServer: Sendable {
    /// The longest one `scripts/mariadb` call may take (a first start initialises a data directory).
    public static let scriptTimeoutSeconds: TimeInterval = 180

    public let directory: String
    public let port: Int
    /// `innodb_lock_wait_timeout` of the server; the script's default (10 s) when nil.
    public let lockWaitTimeoutSeconds: Int?
    /// Whether a lock wait timeout rolls back the whole transaction (`innodb_rollback_on_timeout=ON`) instead of
    /// only the statement (the server's default).
    public let rollsBackTransactionOnTimeout: Bool

    /// A server in `.mariadb/<name>` of the checkout, on `port`. Nothing runs until ``start()``.
    public init(name: String, port: Int, lockWaitTimeoutSeconds: Int? = nil, rollsBackTransactionOnTimeout: Bool = false) {
        self.directory = Self.repositoryRoot + "/.mariadb/" + name
        self.port = port
        self.lockWaitTimeoutSeconds = lockWaitTimeoutSeconds
        self.rollsBackTransactionOnTimeout = rollsBackTransactionOnTimeout
    }

    /// The path of `scripts/mariadb`: `WALLET_MARIADB_SCRIPT`, or the one in this checkout.
    public static var script: String {
        ProcessInfo.processInfo.environment["WALLET_MARIADB_SCRIPT"] ?? repositoryRoot + "/scripts/mariadb"
    }

    /// The checkout this file belongs to.
    public static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// The database configuration of the server's `wallet` database.
    public var configuration: MariaDBConfiguration {
        MariaDBConfiguration(host: "127.0.0.1", port: port, user: "wallet", password: "wallet", database: "wallet")
    }

    public func start() async throws { try await offload { try run("start") } }
    public func stop() async throws { try await offload { try run("stop") } }
    /// `kill -9` of the server process.
    public func kill() async throws { try await offload { try run("kill") } }

    /// Runs `scripts/mariadb <command>` for this instance and throws when it fails. Blocks.
    public func run(_ command: String) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["WALLET_MARIADB_DIR"] = directory
        environment["WALLET_MARIADB_PORT"] = String(port)
        if let lockWaitTimeoutSeconds { environment["WALLET_MARIADB_LOCK_WAIT_TIMEOUT"] = String(lockWaitTimeoutSeconds) }
        environment["WALLET_MARIADB_ROLLBACK_ON_TIMEOUT"] = rollsBackTransactionOnTimeout ? "ON" : "OFF"
        let outcome = try ChildProcess.run(
            "/bin/bash",
            [Self.script, command],
            environment: environment,
            timeoutSeconds: Self.scriptTimeoutSeconds
        )
        guard outcome.status == 0 else {
            throw PrivateMariaDBServerError(command: command, status: outcome.status, output: outcome.output)
        }
    }
}

/// `scripts/mariadb` failed.
public struct PrivateMariaDBServerError: Error, CustomStringConvertible {
    public let command: String
    public let status: Int32
    public let output: String
    public var description: String { "scripts/mariadb \(command) exited \(status):\n\(output)" }
}
