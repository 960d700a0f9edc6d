/// Who acts and owns: a user, signed in with a session, or an application, authenticated by an API key.
///
/// Wallets, transactions and idempotency keys belong to one principal; the two kinds never share an id, because
/// every id carries its kind's prefix (`usr_`, `app_`).
public enum PrincipalID: Hashable, Sendable, CustomStringConvertible {
    /// A user (`usr_…`).
    case user(UserID)
    /// An application (`app_…`).
    case application(ApplicationID)

    /// The principal whose id is `text`, or nil when it is neither a user's nor an application's id.
    public init?(_ text: String) {
        if let user = UserID(text) {
            self = .user(user)
        } else if let application = ApplicationID(text) {
            self = .application(application)
        } else {
            return nil
        }
    }

    /// The id as text, prefix included.
    public var rawValue: String {
        switch self {
        case .user(let id): id.rawValue
        case .application(let id): id.rawValue
        }
    }

    public var description: String { rawValue }
}
