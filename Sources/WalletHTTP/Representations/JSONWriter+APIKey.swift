import Foundation
public import WalletCore

extension JSONWriter {
    /// `{"id","application_id","prefix","scopes","rate_limit","created_at","expires_at","revoked_at","last_used_at"}`,
    /// and `secret` for a key just issued (the only time it is shown).
    public mutating func apiKey(_ key: APIKey, secret: String? = nil) {
        object { json in
            json.field("id", key.id.rawValue)
            json.field("application_id", key.applicationID.rawValue)
            json.field("prefix", key.displayPrefix)
            json.key("scopes")
            json.array { json in
                for scope in key.scopes.sorted() { json.string(scope.name) }
            }
            json.key("rate_limit")
            if let limit = key.movementRateLimit {
                json.object { json in
                    json.field("burst", Int64(limit.burst))
                    json.key("per_second")
                    json.number(limit.perSecond)
                }
            } else {
                json.null()
            }
            json.field("created_at", timestamp: key.createdAt)
            json.optionalTimestamp("expires_at", key.expiresAt)
            json.optionalTimestamp("revoked_at", key.revokedAt)
            json.optionalTimestamp("last_used_at", key.lastUsedAt)
            if let secret { json.field("secret", secret) }
        }
    }

    /// A timestamp member, `null` when there is no date.
    mutating func optionalTimestamp(_ name: String, _ date: Date?) {
        key(name)
        if let date { timestamp(date) } else { null() }
    }
}
