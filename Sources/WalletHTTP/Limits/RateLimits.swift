/// The request rate limits of an instance (in memory, per instance): money movements per user, sign-in attempts per
/// client address, failed sign-ins per email, registrations per client address. A nil policy is no limit.
public struct RateLimits: Sendable, Hashable {
    public typealias Policy = TokenBucketLimiter.Policy

    /// Money-moving requests of one user by default: 50 a second, bursts of 100.
    public static let defaultMovementsPerUser = Policy(burst: 100, perSecond: 50)
    /// Sign-in attempts from one client address by default: 30 a minute, bursts of 30.
    public static let defaultSignInsPerAddress = Policy(burst: 30, perSecond: 0.5)
    /// Failed sign-ins for one email by default: 5, then one a minute.
    public static let defaultFailedSignInsPerEmail = Policy(burst: 5, perSecond: 1.0 / 60)
    /// Registrations from one client address by default: 10 a minute, bursts of 10 (each costs a bcrypt hash).
    public static let defaultRegistrationsPerAddress = Policy(burst: 10, perSecond: 10.0 / 60)

    public static let `default` = RateLimits(
        movementsPerUser: defaultMovementsPerUser,
        signInsPerAddress: defaultSignInsPerAddress,
        failedSignInsPerEmail: defaultFailedSignInsPerEmail,
        registrationsPerAddress: defaultRegistrationsPerAddress
    )
    /// No limits (benchmarks; tests of other things).
    public static let none = RateLimits(movementsPerUser: nil, signInsPerAddress: nil, failedSignInsPerEmail: nil)

    public var movementsPerUser: Policy?
    public var signInsPerAddress: Policy?
    public var failedSignInsPerEmail: Policy?
    public var registrationsPerAddress: Policy?

    public init(movementsPerUser: Policy?, signInsPerAddress: Policy?, failedSignInsPerEmail: Policy?, registrationsPerAddress: Policy? = nil) {
        self.movementsPerUser = movementsPerUser
        self.signInsPerAddress = signInsPerAddress
        self.failedSignInsPerEmail = failedSignInsPerEmail
        self.registrationsPerAddress = registrationsPerAddress
    }
}
