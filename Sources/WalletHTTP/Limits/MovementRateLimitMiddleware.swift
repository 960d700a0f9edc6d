public import Hummingbird
import WalletCore

/// Limits money-moving requests with a token bucket per user and per API key, after authentication and before the
/// idempotency layer: a refused request is `429 rate_limited` with `Retry-After`, has claimed no key and moved
/// nothing, so the client resends it with the same key later. Every answer carries `RateLimit-Policy` and
/// `RateLimit`. A key created with its own limit gets that one; every other caller the service's policy.
public struct MovementRateLimitMiddleware: RouterMiddleware {
    public typealias Context = WalletRequestContext
    /// The policy's name in the headers.
    static let policyName = "movements"

    let limiter: TokenBucketLimiter

    public init(policy: TokenBucketLimiter.Policy) {
        self.limiter = TokenBucketLimiter(policy: policy)
    }

    public func handle(
        _ request: Request,
        context: WalletRequestContext,
        next: (Request, WalletRequestContext) async throws -> Response
    ) async throws -> Response {
        let principal = try context.requireAuthenticated()
        let (bucket, policy) =
            switch principal.credential {
            case .session: (principal.id.rawValue, limiter.policy)
            case .apiKey(let key):
                (key.id.rawValue, key.movementRateLimit.map { TokenBucketLimiter.Policy(burst: $0.burst, perSecond: $0.perSecond) } ?? limiter.policy)
            }
        let decision = limiter.take(RateLimitKey(bucket), policy: policy)
        var headers = HTTPFields()
        RateLimitHeaders.add(to: &headers, name: Self.policyName, policy: policy, decision: decision)
        guard decision.allowed else {
            let who = principal.apiKey == nil ? "user" : "API key"
            throw Problem.rateLimited(
                "Too many money movements: at most \(policy.burst) at once and \(policy.perSecond) a second per \(who). "
                    + "Resend with the same Idempotency-Key after Retry-After.",
                headers: headers
            )
        }
        var response = try await next(request, context)
        response.headers.append(contentsOf: headers)
        return response
    }
}
