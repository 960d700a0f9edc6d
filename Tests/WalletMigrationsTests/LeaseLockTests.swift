import Foundation
import MariaDB
import TestSupport
import Testing
import WalletMigrations

/// The migration lock Galera nodes use (``MigrationLock/leaseRow``: `GET_LOCK` is local to one node), forced on
/// the tests' single server, where its rules are the same: runners take turns, a held lease makes a runner wait and
/// then fail naming the holder, an ended lease is taken over, and a runner whose lease was taken stops.
@Suite("Migration lease lock")
struct LeaseLockTests {
    static let table = MigrationLock.leaseTable

    /// (That two runners take turns and apply each migration once is MigrationRunnerTests' concurrency test, run with
    /// this lock too.) Released at the end: no row is left.
    @Test func theLeaseIsReleasedAfterARun() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            _ = try await database.withRunner(lock: .leaseRow) { try await $0.up() }
            #expect(try await database.rows("SELECT COUNT(*) FROM \(Self.table)").first?.decode(Int64.self, at: 0) == 0)
        }
    }

    @Test func aHeldLeaseTimesOutNamingItsHolderAndAnEndedOneIsTakenOver() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            try await database.withPool { pool in
                try await pool.withConnection { connection in
                    try connection.query(
                        "CREATE TABLE \(Self.table) (id TINYINT NOT NULL PRIMARY KEY, holder VARCHAR(255) NOT NULL, expires_at DATETIME(6) NOT NULL)")
                    try connection.query("INSERT INTO \(Self.table) VALUES (1, 'another runner on node 2', NOW(6) + INTERVAL 1 HOUR)")
                }
            }
            try await database.withRunner(lockTimeout: .seconds(2), lock: .leaseRow) { runner in
                await #expect {
                    try await runner.up()
                } throws: { error in
                    let error = error as? MigrationError
                    return error?.code == .lockTimeout && error?.message.contains("another runner on node 2") == true
                }
            }
            #expect(try await database.recorded().isEmpty, "nothing ran without the lock")

            // The holder died: once its lease has ended, the next runner takes the lock.
            _ = try await database.rows("UPDATE \(Self.table) SET expires_at = NOW(6) - INTERVAL 1 SECOND")
            let run = try await database.withRunner(lock: .leaseRow) { try await $0.up() }
            #expect(run.completed.count == 3)
        }
    }

    @Test func aRunnerWhoseLeaseWasTakenStopsBeforeItsNextMigration() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            var stoppedFor: MigrationError.Code?
            do {
                try await database.withRunner(lock: .leaseRow) { runner in
                    _ = try await runner.up { outcome in
                        // As if the lease had ended after the first migration and another runner had taken it.
                        if outcome.migration.version == 1 { Self.replaceLease(in: database) }
                    }
                }
            } catch let error as MigrationError {
                stoppedFor = error.code
            }
            #expect(stoppedFor == .lockLost)
            #expect(try await database.recorded().map(\.version) == [1], "the run went on without its lease")
        }
    }

    /// Replaces the lease row on a connection of its own, from the runner's thread (progress runs there).
    private static func replaceLease(in database: MigrationDatabase) {
        guard let connection = try? MariaDBConnection.connect(database.configuration) else { return }
        defer { connection.close() }
        _ = try? connection.query("UPDATE \(table) SET holder = 'a runner that took over'")
    }
}
