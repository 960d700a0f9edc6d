import MariaDB

/// The advisory lock that serialises migration runners on one database: `GET_LOCK('<database>.schema_migrations')`.
///
/// The lock belongs to the connection's session, so it is taken and released on the one connection that runs the
/// migrations, and the server frees it if that connection dies.
enum MigrationLock {
    /// The longest one `GET_LOCK` call waits on the server. The lock is asked for repeatedly until the caller's
    /// timeout, so that no single call comes near the connection's read timeout.
    static let attemptSeconds: Int64 = 1

    static let acquireSQL = "SELECT GET_LOCK(?, ?) AS acquired"
    static let releaseSQL = "SELECT RELEASE_LOCK(?) AS released"

    /// The lock's name for `database`.
    static func name(database: String) -> String { "\(database).\(SchemaMigrationsTable.name)" }

    /// Runs `body` holding the lock, waiting at most `timeout` for it.
    static func withLock<T>(on connection: MariaDBConnection, timeout: Duration, _ body: () throws -> T) throws -> T {
        let lockName = name(database: connection.configuration.database)
        try acquire(lockName, on: connection, timeout: timeout)
        defer { release(lockName, on: connection) }
        return try body()
    }

    private static func acquire(_ lockName: String, on connection: MariaDBConnection, timeout: Duration) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let result = try connection.execute(acquireSQL, [.string(lockName), .int(attemptSeconds)])
            if let row = result.first, try row.decode(Int64?.self, "acquired") == 1 { return }
            if clock.now >= deadline {
                throw MigrationError(
                    .lockTimeout,
                    "another migration runner has held the lock '\(lockName)' for over \(timeout); "
                        + "wait for it to finish, or find its connection with SELECT IS_USED_LOCK('\(lockName)')"
                )
            }
        }
    }

    /// Releases the lock; a connection that broke has lost it already.
    private static func release(_ lockName: String, on connection: MariaDBConnection) {
        guard !connection.isBroken else { return }
        _ = try? connection.execute(releaseSQL, [.string(lockName)])
    }
}
