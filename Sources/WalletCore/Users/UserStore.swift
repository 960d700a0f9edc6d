public import Foundation
import MariaDB

/// Users: registration and lookup by email. Passwords are hashed by the caller; only hashes are stored.
public struct UserStore: Sendable {
    /// The longest password hash stored, in bytes (bcrypt hashes are 60).
    public static let maximumPasswordHashLength = 255

    /// Every SQL statement on `users`.
    enum SQL {
        static let insertPrincipal = "INSERT INTO principals (id, kind, created_at) VALUES (?, 'user', ?)"
        static let insert = "INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?)"
        static let selectByEmail = "SELECT id, email, password_hash, created_at FROM users WHERE email = ?"
    }

    let database: WalletDatabase

    /// Registers a user; throws ``WalletError/emailTaken`` when the address is registered already.
    ///
    /// - Precondition: `passwordHash` is 1 to ``maximumPasswordHashLength`` bytes.
    public func create(email: EmailAddress, passwordHash: String, now: Date = Date()) async throws -> User {
        precondition(
            (1...Self.maximumPasswordHashLength).contains(passwordHash.utf8.count),
            "a password hash is 1 to \(Self.maximumPasswordHashLength) bytes"
        )
        let createdAt = now.atMicrosecondPrecision
        let user = User(id: .generate(at: createdAt), email: email, createdAt: createdAt)
        do {
            try await database.withTransaction(.repeatableRead) { connection in
                try connection.execute(SQL.insertPrincipal, [.string(user.id.rawValue), .date(createdAt)])
                try connection.execute(
                    SQL.insert,
                    [.string(user.id.rawValue), .string(email.normalized), .string(passwordHash), .date(createdAt)]
                )
            }
        } catch WalletError.databaseFailure(let error) where error.kind == .duplicateKey {
            // The only unique key a new random id could collide with in practice is the email's.
            throw WalletError.emailTaken
        }
        return user
    }

    /// The user registered with `email` and their password hash, or nil when there is none.
    public func credentials(for email: EmailAddress) async throws -> UserCredentials? {
        try await database.findCausallyOnMiss { connection in
            guard let row = try connection.execute(SQL.selectByEmail, [.string(email.normalized)]).first else { return nil }
            let storedEmail = try row.decode(String.self, "email")
            guard let address = EmailAddress(storedEmail) else {
                throw MariaDBError(kind: .decoding, message: "users.email holds \(storedEmail), not an email address")
            }
            return UserCredentials(
                user: User(
                    id: try row.identifier(UserID.self, "id"),
                    email: address,
                    createdAt: try row.decode(Date.self, "created_at")
                ),
                passwordHash: try row.decode(String.self, "password_hash")
            )
        }
    }
}
