import MariaDB

/// The connection pool as the wallet core uses it: blocking work only inside the pool's closures, and database
/// errors translated into ``WalletError``.
struct WalletDatabase: Sendable {
    let pool: MariaDBConnectionPool

    /// Runs `body` on a pooled connection, in autocommit mode.
    @discardableResult
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (MariaDBConnection) throws -> T) async throws -> T {
        do {
            return try await pool.withConnection(body)
        } catch {
            throw Self.translate(error)
        }
    }

    /// Runs `body` on a pooled connection with causal reads (``MariaDBConnection/withCausalReads(_:)``): for reads
    /// that answer a client, who must see every change any instance acknowledged before the read (a balance right
    /// after a 201 from another instance, a hold or transaction just made there). On a single server it is
    /// ``withConnection(_:)``.
    @discardableResult
    func withCausalReads<T: Sendable>(_ body: @escaping @Sendable (MariaDBConnection) throws -> T) async throws -> T {
        try await withConnection { connection in try connection.withCausalReads(body) }
    }

    /// Runs `lookup` on a pooled connection; on a Galera node, a lookup that finds nothing runs once more with causal
    /// reads. What another instance has just created (a session, an API key, a user, a hold) is then found, while
    /// a lookup that finds what it looks for, the common case, waits for nothing.
    func findCausallyOnMiss<T: Sendable>(_ lookup: @escaping @Sendable (MariaDBConnection) throws -> T?) async throws -> T? {
        try await withConnection { connection in
            if let found = try lookup(connection) { return found }
            guard connection.isClusterNode else { return nil }
            return try connection.withCausalReads(lookup)
        }
    }

    /// Runs `body` in one transaction at `isolation` with causal reads: its snapshot includes every change the
    /// cluster committed before it began (see ``withCausalReads(_:)``).
    @discardableResult
    func withCausalTransaction<T: Sendable>(
        _ isolation: IsolationLevel,
        _ body: @escaping @Sendable (MariaDBConnection) throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try connection.withCausalReads { connection in try connection.withTransaction(isolation, body) }
        }
    }

    /// Runs `body` in one transaction at `isolation` on a pooled connection.
    @discardableResult
    func withTransaction<T: Sendable>(
        _ isolation: IsolationLevel,
        _ body: @escaping @Sendable (MariaDBConnection) throws -> T
    ) async throws -> T {
        do {
            return try await pool.withTransaction(isolation, body)
        } catch {
            throw Self.translate(error)
        }
    }

    /// The error a caller of the wallet core sees for `error`: database errors become ``WalletError/unavailable(_:)``
    /// (the database cannot be reached), ``WalletError/contention`` (a deadlock, lock wait timeout or changed record
    /// outside a movement's own retries: on a Galera node also a causal read that timed out waiting for the node to
    /// catch up, 1205; nothing was changed, and the same request may be sent again) or
    /// ``WalletError/databaseFailure(_:)``; anything else passes through.
    static func translate(_ error: any Error) -> any Error {
        guard let error = error as? MariaDBError else { return error }
        if error.isTransientConflict { return WalletError.contention }
        switch error.kind {
        case .connection, .acquireTimeout, .poolClosed: return WalletError.unavailable(error)
        default: return WalletError.databaseFailure(error)
        }
    }
}
