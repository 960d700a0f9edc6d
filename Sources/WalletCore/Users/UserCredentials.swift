/// A user with the password hash to check a sign-in against.
public struct UserCredentials: Sendable {
    /// The user.
    public let user: User
    /// The password hash as stored (the HTTP layer's bcrypt hash).
    public let passwordHash: String
}
