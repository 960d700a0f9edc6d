import Foundation
public import Hummingbird
public import WalletCore

/// `POST /v1/users`: registration. A valid request spends a token of its client address before its password is
/// hashed (`429 rate_limited` without one), and the hash waits in the bounded registration queue of
/// ``PasswordHasher`` (`503 overloaded` when it is full).
public struct UsersController: Sendable {
    /// The policy's name in the rate limit headers.
    static let registrationPolicyName = "registration-address"
    /// The shortest password, in characters (Unicode code points, as JSON Schema's `minLength` counts them).
    public static let minimumPasswordCharacters = 8
    /// The longest password, in bytes of UTF-8 (bcrypt reads at most 72).
    public static let maximumPasswordBytes = 72

    let users: UserStore
    let hasher: PasswordHasher
    /// Registrations per client address; nil is no limit.
    let perAddress: TokenBucketLimiter?

    public init(users: UserStore, hasher: PasswordHasher, registrationsPerAddress: TokenBucketLimiter.Policy? = nil) {
        self.users = users
        self.hasher = hasher
        self.perAddress = registrationsPerAddress.map { TokenBucketLimiter(policy: $0) }
    }

    public func addRoutes(to router: Router<WalletRequestContext>, table: RouteTable) {
        router.post("/v1/users") { request, context in try await create(request, context: context) }
        table.add(.post, "/v1/users")
    }

    func create(_ request: Request, context: WalletRequestContext) async throws -> Response {
        var fields = FieldReader(try await JSONBody.read(request, context: context), allowed: ["email", "password"])
        let email = fields.string("email")
        let password = fields.string("password")
        var address: EmailAddress?
        if let email {
            address = EmailAddress(email)
            if address == nil { fields.invalid("email", "must be an email address (at most \(EmailAddress.maximumLength) characters)") }
        }
        if let password, password.unicodeScalars.count < Self.minimumPasswordCharacters || password.utf8.count > Self.maximumPasswordBytes {
            fields.invalid(
                "password",
                "must be at least \(Self.minimumPasswordCharacters) characters and at most \(Self.maximumPasswordBytes) bytes of UTF-8 long"
            )
        }
        try fields.finish()
        guard let address, let password else { throw Problem.invalidRequest(fields.invalidParameters) }
        let addressKey = RateLimitKey(context.clientAddress)
        try admit(addressKey)
        let hash: String
        do {
            hash = try await hasher.hash(password)
        } catch {
            perAddress?.refund(addressKey)  // nothing was hashed (a full queue): the retry should not cost another token
            throw error
        }
        let user = try await users.create(email: address, passwordHash: hash)
        return JSONResponse.make(.created) { $0.user(user) }
    }

    /// The limiter in use, with its policy name (for metrics).
    var namedLimiters: [(name: String, limiter: TokenBucketLimiter)] {
        perAddress.map { [(name: Self.registrationPolicyName, limiter: $0)] } ?? []
    }

    /// Spends a token of the client address `key`; `429 rate_limited` with the rate limit headers when it has none.
    private func admit(_ key: RateLimitKey) throws(Problem) {
        guard let perAddress else { return }
        let decision = perAddress.take(key)
        guard decision.allowed else {
            var headers = HTTPFields()
            RateLimitHeaders.add(to: &headers, name: Self.registrationPolicyName, policy: perAddress.policy, decision: decision)
            throw Problem.rateLimited(
                "Too many registrations from this address: at most \(perAddress.policy.burst) in \(perAddress.policy.windowSeconds) s. "
                    + "Try again after Retry-After seconds.",
                headers: headers
            )
        }
    }
}
