public import Foundation

/// An application's API key, as stored: never the secret, only its hash and first characters.
public struct APIKey: Hashable, Sendable {
    /// What every secret starts with, so that a leaked key is recognisable (secret scanners, logs).
    public static let secretPrefix = "wk_"
    /// Characters of the secret kept and shown (``displayPrefix``): the `wk_` and the first 8 random characters.
    public static let displayPrefixLength = 11

    /// The key's id (`key_…`), which names it in lists and revocation; not a secret.
    public let id: APIKeyID
    /// The application it authenticates.
    public let applicationID: ApplicationID
    /// The secret's first ``displayPrefixLength`` characters, such as `wk_3Fq9xZ0a`.
    public let displayPrefix: String
    /// What it may do.
    public let scopes: Set<APIKeyScope>
    /// Its own limit on money movements, or nil for the service's default.
    public let movementRateLimit: MovementRateLimit?
    /// When it was created.
    public let createdAt: Date
    /// When it stops working by itself, or nil for never.
    public let expiresAt: Date?
    /// When it was revoked, or nil while it is not.
    public let revokedAt: Date?
    /// When it last authenticated a request (to the minute, see ``APIKeyStore/lastUsedResolution``), or nil.
    public let lastUsedAt: Date?

    /// Whether the key authenticates requests at `now`: neither revoked nor expired.
    public func isLive(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }
}

extension APIKey: IdentifierKind {
    /// API key ids start with `key_`.
    public static let identifierPrefix = "key"
}

/// A money-movement rate limit of one API key: a token bucket of `burst` requests refilled at `perSecond`.
public struct MovementRateLimit: Hashable, Sendable {
    /// The largest burst a key may be given.
    public static let maximumBurst = 100_000
    /// The highest refill rate a key may be given, per second.
    public static let maximumPerSecond = 100_000.0

    /// Requests that may come at once.
    public let burst: Int
    /// Requests added back per second.
    public let perSecond: Double

    /// The limit, or nil when `burst` is not 1 to ``maximumBurst`` or `perSecond` not above 0 and at most
    /// ``maximumPerSecond``.
    public init?(burst: Int, perSecond: Double) {
        guard (1...Self.maximumBurst).contains(burst), perSecond > 0, perSecond <= Self.maximumPerSecond else { return nil }
        self.burst = burst
        self.perSecond = perSecond
    }
}

/// A key just created: the stored key and its secret, which is shown this once and never again.
public struct IssuedAPIKey: Sendable {
    /// The key as stored.
    public let key: APIKey
    /// The secret (`wk_…`), for `Authorization: Bearer`.
    public let secret: String
}
