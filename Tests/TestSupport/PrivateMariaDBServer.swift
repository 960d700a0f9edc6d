#if canImport(Glibc)
import Glibc
#endif
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
    /// The server's binary log; the script's default when nil.
    public let binaryLog: BinaryLog?

    /// Whether the server writes a binary log, and how it treats triggers and functions then.
    public enum BinaryLog: Sendable {
        /// `skip-log-bin`.
        case off
        /// `log_bin` with `binlog_format=ROW`, and `log_bin_trust_function_creators` on or off.
        case on(trustFunctionCreators: Bool)
    }

    /// A server in `.mariadb/<name>` of the checkout, on `port`. Nothing runs until ``start()``.
    public init(
        name: String, port: Int, lockWaitTimeoutSeconds: Int? = nil, rollsBackTransactionOnTimeout: Bool = false, binaryLog: BinaryLog? = nil
    ) {
        self.init(
            directory: Self.repositoryRoot + "/.mariadb/" + name, port: port, lockWaitTimeoutSeconds: lockWaitTimeoutSeconds,
            rollsBackTransactionOnTimeout: rollsBackTransactionOnTimeout, binaryLog: binaryLog)
    }

    /// The same server (directory and port) with another binary log setting, which applies from its next start.
    public func with(binaryLog: BinaryLog) -> PrivateMariaDBServer {
        PrivateMariaDBServer(
            directory: directory, port: port, lockWaitTimeoutSeconds: lockWaitTimeoutSeconds,
            rollsBackTransactionOnTimeout: rollsBackTransactionOnTimeout, binaryLog: binaryLog)
    }

    private init(directory: String, port: Int, lockWaitTimeoutSeconds: Int?, rollsBackTransactionOnTimeout: Bool, binaryLog: BinaryLog?) {
        self.directory = directory
        self.port = port
        self.lockWaitTimeoutSeconds = lockWaitTimeoutSeconds
        self.rollsBackTransactionOnTimeout = rollsBackTransactionOnTimeout
        self.binaryLog = binaryLog
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
    /// Runs `statements` as the server's admin account (which may create accounts and grant anything).
    public func admin(_ statements: String) async throws { try await offload { try run("sql", statements) } }

    /// Sends `signal` to the server process: `SIGSTOP` freezes it (its kernel still accepts TCP connections, which
    /// then never get an answer), `SIGCONT` lets it go on.
    public func signal(_ signal: Int32) throws {
        let text = try String(contentsOfFile: directory + "/mariadbd.pid", encoding: .utf8)
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else {
            throw PrivateMariaDBServerError(command: "signal", status: -1, output: "no pid in \(directory)/mariadbd.pid")
        }
        guard Glibc.kill(pid, signal) == 0 else {
            throw PrivateMariaDBServerError(command: "signal", status: errno, output: "kill(\(pid), \(signal)) failed")
        }
    }

    /// Runs `scripts/mariadb <command> <arguments>` for this instance and throws when it fails. Blocks.
    public func run(_ command: String, _ arguments: String...) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["WALLET_MARIADB_DIR"] = directory
        environment["WALLET_MARIADB_PORT"] = String(port)
        if let lockWaitTimeoutSeconds { environment["WALLET_MARIADB_LOCK_WAIT_TIMEOUT"] = String(lockWaitTimeoutSeconds) }
        environment["WALLET_MARIADB_ROLLBACK_ON_TIMEOUT"] = rollsBackTransactionOnTimeout ? "ON" : "OFF"
        switch binaryLog {
        case nil:
            break
        case .off:
            environment["WALLET_MARIADB_LOG_BIN"] = "OFF"
        case .on(let trust):
            environment["WALLET_MARIADB_LOG_BIN"] = "ON"
            environment["WALLET_MARIADB_TRUST_FUNCTION_CREATORS"] = trust ? "ON" : "OFF"
        }
        let outcome = try ChildProcess.run(
            "/bin/bash",
            [Self.script, command] + arguments,
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
