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
    /// (the database cannot be reached) or ``WalletError/databaseFailure(_:)``; anything else passes through.
    static func translate(_ error: any Error) -> any Error {
        guard let error = error as? MariaDBError else { return error }
        switch error.kind {
        case .connection, .acquireTimeout, .poolClosed: return WalletError.unavailable(error)
        default: return WalletError.databaseFailure(error)
        }
    }
}
