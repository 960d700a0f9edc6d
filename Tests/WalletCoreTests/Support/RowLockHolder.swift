import Foundation
import MariaDB
import Testing

/// Another session that takes row locks in a transaction of its own and holds them for a while, then rolls back:
/// what a slow concurrent request or an operator's open transaction looks like to the movements.
enum RowLockHolder {
    /// How long to wait for the other session to hold its locks, at most.
    static let startLimit: Duration = .seconds(10)
    /// How often to look whether it does.
    static let pollInterval: Duration = .milliseconds(20)

    /// Runs `statements` in a transaction on its own connection of `pool`, holds their locks for `seconds`, and
    /// runs `body` meanwhile (it starts once the locks are held); returns `body`'s value after the other session
    /// rolled back.
    static func holding<T: Sendable>(
        _ statements: [String],
        for seconds: Double,
        on pool: MariaDBConnectionPool,
        _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let marker = "lock-holder-\(UUID().uuidString)"
        let holder = Task {
            try await pool.withConnection { connection in
                try connection.query("START TRANSACTION")
                for statement in statements { try connection.query(statement) }
                try connection.query("SELECT SLEEP(\(seconds)) AS `\(marker)`")
                try connection.query("ROLLBACK")
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        while try await !isSleeping(marker, on: pool) {
            guard clock.now - start < startLimit else {
                holder.cancel()
                Issue.record("the lock holder did not start within \(startLimit)")
                throw CancellationError()
            }
            try await Task.sleep(for: pollInterval)
        }
        let value = try await body()
        try await holder.value
        return value
    }

    private static func isSleeping(_ marker: String, on pool: MariaDBConnectionPool) async throws -> Bool {
        try await pool.withConnection { connection in
            try connection.query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE '%\(marker)%' AND ID <> CONNECTION_ID()")
                .rows.first!.decode(Int.self, "n") > 0
        }
    }
}
