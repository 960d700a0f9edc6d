public import Hummingbird

/// Limits each user's money-moving requests with a token bucket, after authentication and before the idempotency
/// layer: a refused request is `429 rate_limited` with `Retry-After`, has claimed no key and moved nothing, so the
/// client resends it with the same key later. Every answer carries `RateLimit-Policy` and `RateLimit`.
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
        let user = try context.requireUserID()
        let decision = limiter.take(RateLimitKey(user))
        var headers = HTTPFields()
        RateLimitHeaders.add(to: &headers, name: Self.policyName, policy: limiter.policy, decision: decision)
        guard decision.allowed else {
            throw Problem.rateLimited(
                "Too many money movements: at most \(limiter.policy.burst) at once and \(limiter.policy.perSecond) a second per user. "
                    + "Resend with the same Idempotency-Key after Retry-After.",
                headers: headers
            )
        }
        var response = try await next(request, context)
        response.headers.append(contentsOf: headers)
        return response
    }
}
