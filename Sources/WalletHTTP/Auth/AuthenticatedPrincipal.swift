public import WalletCore

/// Who a request acts for, as ``BearerAuthenticator`` found it: a user by their session token, or an application by
/// one of its API keys.
public struct AuthenticatedPrincipal: Sendable {
    /// How the principal authenticated.
    public enum Credential: Sendable {
        /// A user's session; the hash of its token, so that the session can be ended.
        case session(tokenHash: String)
        /// An application's API key.
        case apiKey(APIKey)
    }

    /// The principal: owner of wallets, scope of idempotency keys.
    public let id: PrincipalID
    /// The session or API key it authenticated with.
    public let credential: Credential

    /// A user signed in with the session whose token hashes to `tokenHash`.
    public static func user(_ id: UserID, sessionTokenHash: String) -> Self {
        Self(id: .user(id), credential: .session(tokenHash: sessionTokenHash))
    }

    /// An application authenticated by `key`.
    public static func application(_ key: APIKey) -> Self {
        Self(id: .application(key.applicationID), credential: .apiKey(key))
    }

    /// The API key, for an application.
    public var apiKey: APIKey? {
        guard case .apiKey(let key) = credential else { return nil }
        return key
    }

    /// Whether the principal may use routes that need `scope`: a user always may (over their own wallets), an
    /// application when its key has it.
    public func has(_ scope: APIKeyScope) -> Bool {
        apiKey.map { $0.scopes.contains(scope) } ?? true
    }
}
