public import Foundation

/// A registered user.
public struct User: Hashable, Sendable {
    /// The user's id (`usr_…`).
    public let id: UserID
    /// The email address, lower case, unique among users.
    public let email: EmailAddress
    /// When the user registered.
    public let createdAt: Date
}

extension User: IdentifierKind {
    /// User ids start with `usr_`.
    public static let identifierPrefix = "usr"
}
