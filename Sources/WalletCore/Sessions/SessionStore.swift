public import Foundation
import MariaDB

/// Sessions, stored under the hash of their bearer token. Token generation and hashing belong to the caller.
public struct SessionStore: Sendable {
    /// The longest token hash stored, in bytes (a hex SHA-256 is 64).
    public static let maximumTokenHashLength = 128
    /// Expired sessions deleted per statement by ``purgeExpired(now:)``.
    public static let purgeBatchSize = 500

    /// Every SQL statement on `sessions`.
    enum SQL {
        static let insert = "INSERT INTO sessions (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)"
        static let selectLive = "SELECT token_hash, user_id, expires_at, created_at FROM sessions WHERE token_hash = ? AND expires_at > ?"
        static let delete = "DELETE FROM sessions WHERE token_hash = ?"
        static let deleteExpired = "DELETE FROM sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?"
    }

    let database: WalletDatabase

    /// Stores a new session for `userID` that works until `expiresAt`.
    ///
    /// - Precondition: `tokenHash` is 1 to ``maximumTokenHashLength`` bytes.
    public func create(tokenHash: String, userID: UserID, expiresAt: Date, now: Date = Date()) async throws -> Session {
        precondition(
            (1...Self.maximumTokenHashLength).contains(tokenHash.utf8.count),
            "a token hash is 1 to \(Self.maximumTokenHashLength) bytes"
        )
        let session = Session(
            tokenHash: tokenHash,
            userID: userID,
            expiresAt: expiresAt.atMicrosecondPrecision,
            createdAt: now.atMicrosecondPrecision
        )
        try await database.withConnection { connection in
            try connection.execute(
                SQL.insert,
                [.string(tokenHash), .string(userID.rawValue), .date(session.expiresAt), .date(session.createdAt)]
            )
        }
        return session
    }

    /// The session stored under `tokenHash`, or nil when there is none or it expired by `now`. The stored hash is
    /// compared with `tokenHash` byte for byte in constant time (``SecretToken/hashesMatch(_:_:)``), whatever the
    /// index's collation found.
    public func find(tokenHash: String, now: Date = Date()) async throws -> Session? {
        try await database.findCausallyOnMiss { connection in
            guard let row = try connection.execute(SQL.selectLive, [.string(tokenHash), .date(now)]).first,
                SecretToken.hashesMatch(try row.decode(String.self, "token_hash"), tokenHash)
            else { return nil }
            return Session(
                tokenHash: try row.decode(String.self, "token_hash"),
                userID: try row.identifier(UserID.self, "user_id"),
                expiresAt: try row.decode(Date.self, "expires_at"),
                createdAt: try row.decode(Date.self, "created_at")
            )
        }
    }

    /// Deletes the session stored under `tokenHash`, so its token stops working at once. Deleting a session that
    /// does not exist is not an error.
    public func delete(tokenHash: String) async throws {
        try await database.withConnection { connection in
            try connection.execute(SQL.delete, [.string(tokenHash)])
        }
    }

    /// Deletes sessions that expired by `now`, ``purgeBatchSize`` per statement, and returns how many.
    public func purgeExpired(now: Date = Date()) async throws -> Int {
        var deleted = 0
        while true {
            let count = try await database.withTransaction(.readCommitted) { connection in
                Int(try connection.execute(SQL.deleteExpired, [.date(now), .int(Int64(Self.purgeBatchSize))]).affectedRows)
            }
            deleted += count
            if count < Self.purgeBatchSize { return deleted }
        }
    }
}
