public import Foundation

/// A signed-in session, found by the hash of its bearer token.
public struct Session: Hashable, Sendable {
    /// The hash of the bearer token (the token itself is never stored).
    public let tokenHash: String
    /// The signed-in user.
    public let userID: UserID
    /// When the token stops working.
    public let expiresAt: Date
    /// When the session was created.
    public let createdAt: Date
}
