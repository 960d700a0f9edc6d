public import Foundation
import MariaDB

/// Deletes idempotency keys once their retention has passed, in small batches so that no statement holds many
/// locks or runs long next to live traffic.
public struct IdempotencyPurger: Sendable {
    /// How long keys are kept by default: a client may retry with the same key for at least this long.
    public static let defaultRetention: Duration = .seconds(24 * 60 * 60)
    /// Keys deleted per statement by default.
    public static let defaultBatchSize = 500

    /// Every SQL statement of the purge.
    enum SQL {
        static let deleteOlder = "DELETE FROM idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?"
    }

    let database: WalletDatabase
    /// Keys deleted per statement.
    let batchSize: Int

    init(database: WalletDatabase, batchSize: Int) {
        precondition(batchSize >= 1, "a purge batch deletes at least one key")
        self.database = database
        self.batchSize = batchSize
    }

    /// Deletes every key created more than `retention` before `now`, one batch per short transaction, and returns
    /// how many it deleted. Keys created while it runs are younger than the cutoff and never touched.
    ///
    /// Each batch runs under READ COMMITTED, which takes no gap locks, so concurrent claims of new keys never wait.
    public func purge(olderThan retention: Duration = Self.defaultRetention, now: Date = Date()) async throws -> Int {
        precondition(retention >= .zero, "a retention is not negative")
        let retentionSeconds = retention.seconds
        let cutoff = now.addingTimeInterval(-retentionSeconds)
        var deleted = 0
        while true {
            let count = try await database.withTransaction(.readCommitted) { [batchSize] connection in
                Int(try connection.execute(SQL.deleteOlder, [.date(cutoff), .int(Int64(batchSize))]).affectedRows)
            }
            deleted += count
            if count < batchSize { return deleted }
        }
    }
}
