import Foundation
import Logging
import MariaDB

/// The MariaDB settings that decide how fast a durable commit is, read once per run; `unknown` when the database
/// cannot be reached.
public struct DatabaseSettings: Sendable, Codable, Hashable {
    /// The value shown for a setting that could not be read.
    public static let unknownValue = "unknown"

    public var version = Self.unknownValue
    public var innodbFlushLogAtTrxCommit = Self.unknownValue
    public var syncBinlog = Self.unknownValue
    public var innodbBufferPoolSize = Self.unknownValue
    public var transactionIsolation = Self.unknownValue
    /// The server's process id, from its `pid_file`, when that file is readable here (a server on this machine).
    public var processID: Int32?

    /// Every setting unknown.
    public init() {}

    /// The settings of the server at `url`; every one `unknown` when it cannot be reached or the URL is invalid.
    public static func read(url: String) async -> DatabaseSettings {
        guard let configuration = try? MariaDBConfiguration(url: url) else { return DatabaseSettings() }
        let pool = MariaDBConnectionPool(database: configuration, configuration: .init(size: 1), logger: Logger(label: "wallet-loadtest"))
        let values = try? await pool.withConnection { connection in
            // One variable at a time: `transaction_isolation` is `tx_isolation` before MariaDB 11.1.
            [
                "version", "innodb_flush_log_at_trx_commit", "sync_binlog", "innodb_buffer_pool_size", "transaction_isolation", "tx_isolation",
                "pid_file",
            ].map { name in
                (try? connection.query("SELECT @@\(name) AS value").first?.decode(String.self, "value")) ?? nil
            }
        }
        await pool.shutdown()
        guard let values else { return DatabaseSettings() }
        var settings = DatabaseSettings()
        settings.version = values[0] ?? unknownValue
        settings.innodbFlushLogAtTrxCommit = values[1] ?? unknownValue
        settings.syncBinlog = values[2] ?? unknownValue
        settings.innodbBufferPoolSize = values[3].flatMap(UInt64.init).map { "\($0 / (1 << 20)) MiB" } ?? unknownValue
        settings.transactionIsolation = values[4] ?? values[5] ?? unknownValue
        settings.processID = values[6]
            .flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return settings
    }
}
