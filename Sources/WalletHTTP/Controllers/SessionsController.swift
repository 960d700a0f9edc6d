import Foundation
public import Hummingbird
public import WalletCore

/// `POST /v1/sessions` (sign in) and `DELETE /v1/sessions/current` (sign out).
public struct SessionsController: Sendable {
    /// The default lifetime of a session.
    public static let defaultLifetime: Duration = .seconds(24 * 3600)
    /// The longest password compared at sign-in, in bytes; longer ones cannot match (see ``UsersController/maximumPasswordBytes``).
    static let maximumPasswordBytes = 1024

    let users: UserStore
    let sessions: SessionStore
    let hasher: PasswordHasher
    let lifetime: Duration
    let throttle: SignInThrottle
    /// A bcrypt hash that no password matches, compared when the email is unknown so that unknown emails and
    /// wrong passwords take the same time.
    let decoyHash: String

    public init(
        users: UserStore,
        sessions: SessionStore,
        hasher: PasswordHasher,
        lifetime: Duration = Self.defaultLifetime,
        throttle: SignInThrottle = SignInThrottle(limits: .none),
        decoyHash: String
    ) {
        self.users = users
        self.sessions = sessions
        self.hasher = hasher
        self.lifetime = lifetime
        self.throttle = throttle
        self.decoyHash = decoyHash
    }

    public func addRoutes(
        to router: Router<WalletRequestContext>,
        authenticated: RouterGroup<WalletRequestContext>,
        table: RouteTable
    ) {
        router.post("/v1/sessions") { request, context in try await create(request, context: context) }
        table.add(.post, "/v1/sessions")
        authenticated.route(.delete, "/v1/sessions/current", access: .userSession, table: table) { _, context in
            try await delete(context: context)
        }
    }

    func create(_ request: Request, context: WalletRequestContext) async throws -> Response {
        var fields = FieldReader(try await JSONBody.read(request, context: context), allowed: ["email", "password"])
        let email = fields.string("email")
        let password = fields.string("password")
        let address = email.flatMap(EmailAddress.init)
        if email != nil, address == nil {
            fields.invalid("email", "must be an email address (at most \(EmailAddress.maximumLength) characters)")
        }
        try fields.finish()
        guard let address, let password else { throw Problem.invalidRequest(fields.invalidParameters) }
        try throttle.admit(address: context.clientAddress, email: address)

        let credentials: UserCredentials?
        let matches: Bool
        let passwordFits = password.utf8.count <= Self.maximumPasswordBytes
        do {
            credentials = try await users.credentials(for: address)
            matches = try await hasher.verify(passwordFits ? password : "", hash: credentials?.passwordHash ?? decoyHash)
        } catch {
            throttle.refund(email: address)  // not a failed guess: the password was never checked
            throw error
        }
        guard let credentials, passwordFits, matches else { throw Self.invalidCredentials }
        throttle.refund(email: address)

        // The authenticator tells an API key by its prefix: a session token never starts with it.
        let token = SecretToken.generate(notStartingWith: APIKey.secretPrefix)
        let session = try await sessions.create(
            tokenHash: SecretToken.hash(token),
            userID: credentials.user.id,
            expiresAt: Date().addingTimeInterval(lifetime.seconds)
        )
        return JSONResponse.make(.created) { json in
            json.object { json in
                json.field("token", token)
                json.field("expires_at", timestamp: session.expiresAt)
            }
        }
    }

    func delete(context: WalletRequestContext) async throws -> Response {
        guard case .session(let hash) = try context.requireAuthenticated().credential else { throw Problem.userSessionRequired() }
        try await sessions.delete(tokenHash: hash)
        return Response(status: .noContent)
    }

    static let invalidCredentials = Problem(
        .unauthorized,
        code: "invalid_credentials",
        title: "Invalid credentials",
        detail: "The email or the password is wrong."
    )
}

