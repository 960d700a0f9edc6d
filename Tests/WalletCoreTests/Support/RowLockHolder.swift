import Foundation
import MariaDB
import Synchronization
import Testing

/// Another session that takes row locks in a transaction of its own and holds them while `body` runs, then rolls
/// back: what a slow concurrent request or an operator's open transaction looks like to the movements.
enum RowLockHolder {
    /// How long to wait for the other session to hold its locks, at most.
    static let startLimit: Duration = .seconds(30)
    /// The longest the locks are held, whatever `body` does.
    static let holdLimit: Duration = .seconds(120)
    /// How often each side looks at the other.
    static let pollInterval: Duration = .milliseconds(20)

    /// Runs `statements` in a transaction on its own connection of `pool`, then runs `body` while their locks are
    /// held, and returns `body`'s value after the other session rolled back.
    static func holding<T: Sendable>(
        _ statements: [String],
        on pool: MariaDBConnectionPool,
        _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let flags = Flags()
        let holder = Task {
            try await pool.withConnection { connection in
                try connection.query("START TRANSACTION")
                for statement in statements { try connection.query(statement) }
                flags.locked.store(true, ordering: .sequentiallyConsistent)
                let clock = ContinuousClock()
                let start = clock.now
                while !flags.released.load(ordering: .sequentiallyConsistent), clock.now - start < holdLimit {
                    Thread.sleep(forTimeInterval: 0.02)
                }
                try connection.query("ROLLBACK")
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        while !flags.locked.load(ordering: .sequentiallyConsistent) {
            guard clock.now - start < startLimit else {
                flags.released.store(true, ordering: .sequentiallyConsistent)
                Issue.record("the lock holder did not take its locks within \(startLimit)")
                throw CancellationError()
            }
            try await Task.sleep(for: pollInterval)
        }
        do {
            let value = try await body()
            flags.released.store(true, ordering: .sequentiallyConsistent)
            try await holder.value
            return value
        } catch {
            flags.released.store(true, ordering: .sequentiallyConsistent)
            _ = try? await holder.value
            throw error
        }
    }

    private final class Flags: Sendable {
        let locked = Atomic(false)
        let released = Atomic(false)
    }
}
