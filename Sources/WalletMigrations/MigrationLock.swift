import Foundation
import MariaDB

/// What serialises migration runners on one database, so that they take turns instead of failing on each other.
///
/// On a single server: the advisory lock `GET_LOCK('<database>.schema_migrations')`, which belongs to the session of
/// the one connection that runs the migrations and which the server frees if that connection dies.
///
/// On a Galera cluster `GET_LOCK` is local to one node (two runners on two nodes would both get it), so the lock is
/// a row of ``leaseTable`` instead, replicated like any other: inserted to take the lock (a runner on another node
/// that inserted at the same time fails certification and waits), held for ``leaseDuration`` from its last renewal,
/// renewed before each migration, deleted at the end. A runner that died leaves its row until the lease ends; one
/// that outlived its lease (a single migration longer than the lease) finds that out at its next renewal and stops.
/// Either way the safety net is the dirty row each migration inserts before it runs: a second runner can never apply
/// a migration another one has started.
public enum MigrationLock: Sendable, Hashable {
    /// `GET_LOCK` on the connection's server.
    case advisory
    /// A row of ``leaseTable`` with a lease.
    case leaseRow

    /// The lock for the server `connection` is on.
    static func suited(to connection: MariaDBConnection) -> MigrationLock {
        connection.isClusterNode ? .leaseRow : .advisory
    }

    /// The longest one attempt waits: a `GET_LOCK` call on the server, or the pause between two inserts of the lease
    /// row. The lock is asked for repeatedly until the caller's timeout, so no call comes near the read timeout.
    static let attemptSeconds: Int64 = 1
    /// How long a lease row holds the lock after its last renewal.
    public static let leaseDuration: Duration = .seconds(300)
    /// How many times a renewal aborted by another node's write set (1213) is tried, and the pause between.
    static let renewAttempts = 5
    static let renewRetryPauseSeconds = 0.1
    /// The table of the lease row, created when first needed.
    public static let leaseTable = "schema_migrations_lock"

    /// The advisory lock's name for `database`.
    static func name(database: String) -> String { "\(database).\(SchemaMigrationsTable.name)" }

    /// Who holds a lease row: the host, the process and a random part, unique per run.
    static func newHolder() -> String {
        "\(ProcessInfo.processInfo.hostName) pid \(ProcessInfo.processInfo.processIdentifier) run \(UUID().uuidString.prefix(8))"
    }

    /// Runs `body` holding the lock, waiting at most `timeout` for it. `body` gets the ``Held`` lock, to renew it
    /// before each long step.
    func withLock<T>(on connection: MariaDBConnection, timeout: Duration, _ body: (Held) throws -> T) throws -> T {
        let held: Held
        switch self {
        case .advisory:
            held = try Self.acquireAdvisory(on: connection, timeout: timeout)
        case .leaseRow:
            held = try Self.acquireLease(on: connection, timeout: timeout)
        }
        defer { held.release() }
        return try body(held)
    }

    /// A lock this runner holds.
    struct Held {
        let lock: MigrationLock
        let connection: MariaDBConnection
        /// The advisory lock's name, or the lease row's holder.
        let name: String

        /// Extends a lease by ``leaseDuration`` from now; throws ``MigrationError/Code/lockLost`` when the lease had
        /// ended and another runner took it meanwhile. Nothing to do for the advisory lock.
        func renew() throws {
            guard lock == .leaseRow else { return }
            var attempt = 1
            var renewed: UInt64 = 0
            while true {
                do {
                    renewed = try connection.execute(LeaseSQL.renew, [.int(MigrationLock.leaseSeconds), .string(name)]).affectedRows
                    break
                } catch {
                    // Aborted for another node's write set (Galera's brute-force abort): the renewal is idempotent.
                    guard error.kind == .deadlock, attempt < MigrationLock.renewAttempts else { throw error }
                    attempt += 1
                    Thread.sleep(forTimeInterval: MigrationLock.renewRetryPauseSeconds)
                }
            }
            guard renewed == 1 else {
                throw MigrationError(
                    .lockLost,
                    "this runner's lease on the migration lock (\(MigrationLock.leaseTable)) ended and another runner took it; "
                        + "run 'wallet migrate status' to see where the schema is")
            }
        }

        /// Releases the lock; a connection that broke has lost the advisory lock already, and a lease left behind ends.
        fileprivate func release() {
            guard !connection.isBroken else { return }
            switch lock {
            case .advisory: _ = try? connection.execute(AdvisorySQL.release, [.string(name)])
            case .leaseRow: _ = try? connection.execute(LeaseSQL.release, [.string(name)])
            }
        }
    }

    static var leaseSeconds: Int64 { leaseDuration.components.seconds }

    enum AdvisorySQL {
        static let acquire = "SELECT GET_LOCK(?, ?) AS acquired"
        static let release = "SELECT RELEASE_LOCK(?) AS released"
    }

    enum LeaseSQL {
        static let create = """
            CREATE TABLE IF NOT EXISTS \(leaseTable) (
                id TINYINT NOT NULL PRIMARY KEY,
                holder VARCHAR(255) NOT NULL,
                expires_at DATETIME(6) NOT NULL
            ) ENGINE=InnoDB
            """
        /// The session's time zone is UTC (``MariaDBConnection``), so `NOW(6)` is UTC like every stored time.
        static let removeExpired = "DELETE FROM \(leaseTable) WHERE id = 1 AND expires_at < NOW(6)"
        static let insert = "INSERT INTO \(leaseTable) (id, holder, expires_at) VALUES (1, ?, NOW(6) + INTERVAL ? SECOND)"
        static let renew = "UPDATE \(leaseTable) SET expires_at = NOW(6) + INTERVAL ? SECOND WHERE id = 1 AND holder = ?"
        static let release = "DELETE FROM \(leaseTable) WHERE id = 1 AND holder = ?"
        static let current = "SELECT holder, expires_at FROM \(leaseTable) WHERE id = 1"
        static let tableExists = "SELECT 1 AS present FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"
    }

    private static func acquireAdvisory(on connection: MariaDBConnection, timeout: Duration) throws -> Held {
        let lockName = name(database: connection.configuration.database)
        let deadline = ContinuousClock.now + timeout
        while true {
            let result = try connection.execute(AdvisorySQL.acquire, [.string(lockName), .int(attemptSeconds)])
            if let row = result.first, try row.decode(Int64?.self, "acquired") == 1 {
                return Held(lock: .advisory, connection: connection, name: lockName)
            }
            if ContinuousClock.now >= deadline {
                throw MigrationError(
                    .lockTimeout,
                    "another migration runner has held the lock '\(lockName)' for over \(timeout); "
                        + "wait for it to finish, or find its connection with SELECT IS_USED_LOCK('\(lockName)')"
                )
            }
        }
    }

    private static func acquireLease(on connection: MariaDBConnection, timeout: Duration) throws -> Held {
        let holder = newHolder()
        let deadline = ContinuousClock.now + timeout
        // Only when absent: the DDL replicates in total order and aborts the holder's statements on the table (its
        // renewal) on every node, so a waiting runner must not send it again and again.
        if try connection.execute(LeaseSQL.tableExists, [.string(leaseTable)]).first == nil { try connection.query(LeaseSQL.create) }
        // Causal reads: the row another node inserted or deleted a moment ago is seen here.
        return try connection.withCausalReads { connection in
            while true {
                if try insertLease(holder, on: connection) { return Held(lock: .leaseRow, connection: connection, name: holder) }
                if ContinuousClock.now >= deadline {
                    let current = try connection.execute(LeaseSQL.current).first
                    let holder = try current?.decode(String.self, "holder") ?? "nobody (it was just released)"
                    let expires = try current.map { " until \(try $0.decode(Date.self, "expires_at")) unless renewed" } ?? ""
                    throw MigrationError(
                        .lockTimeout,
                        "another migration runner (\(holder)) has held the migration lock for over \(timeout)\(expires); "
                            + "wait for it to finish, or, when that runner is known to be gone, DELETE FROM \(leaseTable)"
                    )
                }
                Thread.sleep(forTimeInterval: Double(attemptSeconds))
            }
        }
    }

    /// Takes the lease row for `holder` when it is free or its lease ended; false when another runner holds it, or
    /// one on another node took it at the same instant (certification failure).
    private static func insertLease(_ holder: String, on connection: MariaDBConnection) throws -> Bool {
        do {
            try connection.execute(LeaseSQL.removeExpired)
            try connection.execute(LeaseSQL.insert, [.string(holder), .int(leaseSeconds)])
            return true
        } catch {
            guard error.kind == .duplicateKey || error.kind == .deadlock else { throw error }
            return false
        }
    }
}
