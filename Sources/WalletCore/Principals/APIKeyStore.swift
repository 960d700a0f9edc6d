public import Foundation
import MariaDB

/// API keys: issued, listed and revoked by the operator (`wallet api-keys`) or by an application with `keys:write`,
/// and looked up by the hash of their secret on every request, so that a revoked or expired key stops working at
/// once on every instance.
public struct APIKeyStore: Sendable {
    /// Keys that work at once (neither revoked nor expired) per application: enough to rotate, few enough to audit.
    public static let maximumLiveKeysPerApplication = 20
    /// The longest lifetime a key may be given: five years.
    public static let maximumLifetimeSeconds: Int64 = 5 * 366 * 86_400
    /// How stale `last_used_at` may get: a request writes it only when it is older than this, so that a busy key
    /// costs one write a minute, not one per request.
    public static let lastUsedResolution: TimeInterval = 60

    /// Every SQL statement on `api_keys`.
    enum SQL {
        static let columns = """
            id, application_id, prefix, scopes, rate_limit_burst, rate_limit_per_second, created_at, expires_at, revoked_at, last_used_at
            """
        static let lockApplication = "SELECT id FROM applications WHERE id = ? FOR UPDATE"
        static let countLive = """
            SELECT COUNT(*) AS live FROM api_keys
            WHERE application_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
            """
        static let insert = """
            INSERT INTO api_keys (id, application_id, secret_hash, prefix, scopes, rate_limit_burst, rate_limit_per_second, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        static let selectBySecretHash = "SELECT secret_hash, \(columns) FROM api_keys WHERE secret_hash = ?"
        static let touch = "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)"
        /// Keyset pagination on `(application_id, id)`; the first page passes the empty string.
        static let selectPage = "SELECT \(columns) FROM api_keys WHERE application_id = ? AND id > ? ORDER BY id LIMIT ?"
        static let selectAllPage = "SELECT \(columns) FROM api_keys WHERE id > ? ORDER BY id LIMIT ?"
        static let select = "SELECT \(columns) FROM api_keys WHERE id = ?"
        static let revoke = "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"
    }

    let database: WalletDatabase

    /// Issues a key for `application` with `scopes`, working until `expiresAt` (nil: until revoked), with its own
    /// money-movement `rateLimit` (nil: the service's default). Returns the key and its secret, shown only now.
    ///
    /// Throws ``WalletError/applicationNotFound`` or ``WalletError/apiKeyLimitReached``.
    public func issue(
        for application: ApplicationID,
        scopes: Set<APIKeyScope>,
        expiresAt: Date?,
        rateLimit: MovementRateLimit?,
        now: Date = Date()
    ) async throws -> IssuedAPIKey {
        let createdAt = now.atMicrosecondPrecision
        let secret = SecretToken.generate(prefix: APIKey.secretPrefix)
        let key = APIKey(
            id: .generate(at: createdAt),
            applicationID: application,
            displayPrefix: String(secret.prefix(APIKey.displayPrefixLength)),
            scopes: scopes,
            movementRateLimit: rateLimit,
            createdAt: createdAt,
            expiresAt: expiresAt?.atMicrosecondPrecision,
            revokedAt: nil,
            lastUsedAt: nil
        )
        try await database.withTransaction(.repeatableRead) { connection in
            // The application's row lock makes the count and the insert one step for concurrent issuers.
            guard try connection.execute(SQL.lockApplication, [.string(application.rawValue)]).first != nil else {
                throw WalletError.applicationNotFound
            }
            let live = try connection.execute(SQL.countLive, [.string(application.rawValue), .date(createdAt)]).first
            guard try live?.decode(Int64.self, "live") ?? 0 < Self.maximumLiveKeysPerApplication else {
                throw WalletError.apiKeyLimitReached
            }
            try connection.execute(
                SQL.insert,
                [
                    .string(key.id.rawValue), .string(application.rawValue), .string(SecretToken.hash(secret)),
                    .string(key.displayPrefix), .string(scopes.spaceSeparated),
                    rateLimit.map { .int(Int64($0.burst)) } ?? .null, rateLimit.map { .double($0.perSecond) } ?? .null,
                    .date(createdAt), key.expiresAt.map { .date($0) } ?? .null,
                ]
            )
        }
        return IssuedAPIKey(key: key, secret: secret)
    }

    /// The live key whose secret hashes to `secretHash` at `now`, or nil (no such key, revoked, expired). Records the
    /// use when the last one recorded is older than ``lastUsedResolution``.
    public func authenticate(secretHash: String, now: Date = Date()) async throws -> APIKey? {
        try await database.findCausallyOnMiss { connection in
            guard let row = try connection.execute(SQL.selectBySecretHash, [.string(secretHash)]).first,
                SecretToken.hashesMatch(try row.decode(String.self, "secret_hash"), secretHash)
            else { return nil }
            let key = try Self.key(from: row)
            guard key.isLive(at: now) else { return nil }
            if key.lastUsedAt.map({ now.timeIntervalSince($0) >= Self.lastUsedResolution }) ?? true {
                let at = now.atMicrosecondPrecision
                try connection.execute(SQL.touch, [.date(at), .string(key.id.rawValue), .date(at.addingTimeInterval(-Self.lastUsedResolution))])
            }
            return key
        }
    }

    /// A page of keys in id order (creation order), of `application` or of every application when nil, after the
    /// key id `cursor` when given: revoked and expired keys too.
    public func keys(of application: ApplicationID?, pageSize: PageSize, after cursor: APIKeyID? = nil) async throws -> APIKeyPage {
        let rows = try await database.withConnection { connection in
            let limit = MariaDBValue.int(Int64(pageSize.value + 1))
            let after = MariaDBValue.string(cursor?.rawValue ?? "")
            let result =
                if let application {
                    try connection.execute(SQL.selectPage, [.string(application.rawValue), after, limit])
                } else {
                    try connection.execute(SQL.selectAllPage, [after, limit])
                }
            return try result.rows.map(Self.key(from:))
        }
        let page = Array(rows.prefix(pageSize.value))
        return APIKeyPage(keys: page, nextCursor: rows.count > pageSize.value ? page.last?.id : nil)
    }

    /// Revokes key `id` (of `application`, when given) at `now` and returns it; revoking a revoked key changes
    /// nothing. Throws ``WalletError/apiKeyNotFound`` when there is no such key, or it is another application's.
    public func revoke(_ id: APIKeyID, of application: ApplicationID? = nil, now: Date = Date()) async throws -> APIKey {
        let key: APIKey? = try await database.withConnection { connection in
            guard let row = try connection.execute(SQL.select, [.string(id.rawValue)]).first else { return nil }
            let key = try Self.key(from: row)
            guard application.map({ $0 == key.applicationID }) ?? true else { return nil }
            try connection.execute(SQL.revoke, [.date(now.atMicrosecondPrecision), .string(id.rawValue)])
            return try connection.execute(SQL.select, [.string(id.rawValue)]).first.map(Self.key(from:))
        }
        guard let key else { throw WalletError.apiKeyNotFound }
        return key
    }

    /// Decodes a row of ``SQL/columns``.
    private static func key(from row: MariaDBRow) throws -> APIKey {
        let burst = try row.decode(Int64?.self, "rate_limit_burst")
        let perSecond = try row.decode(Double?.self, "rate_limit_per_second")
        return APIKey(
            id: try row.identifier(APIKeyID.self, "id"),
            applicationID: try row.identifier(ApplicationID.self, "application_id"),
            displayPrefix: try row.decode(String.self, "prefix"),
            scopes: try row.decode("scopes", as: "API key scopes") { (text: String) in Set<APIKeyScope>(parsing: text) },
            movementRateLimit: burst.flatMap { burst in perSecond.flatMap { MovementRateLimit(burst: Int(burst), perSecond: $0) } },
            createdAt: try row.decode(Date.self, "created_at"),
            expiresAt: try row.decode(Date?.self, "expires_at"),
            revokedAt: try row.decode(Date?.self, "revoked_at"),
            lastUsedAt: try row.decode(Date?.self, "last_used_at")
        )
    }
}

/// One page of API keys, in id order.
public struct APIKeyPage: Sendable {
    /// The keys.
    public let keys: [APIKey]
    /// The id to pass as `cursor` for the next page, or nil on the last page.
    public let nextCursor: APIKeyID?
}
