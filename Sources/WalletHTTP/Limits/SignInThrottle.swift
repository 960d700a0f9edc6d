public import Hummingbird

/// Slows down password guessing at `POST /v1/sessions`: every attempt spends a token of its client address, every
/// failed attempt one of its email (unknown emails too, so that the answer reveals nothing). An attempt without a
/// token is `429 rate_limited` with `Retry-After`, before the password is checked.
public struct SignInThrottle: Sendable {
    static let addressPolicyName = "sign-in-address"
    static let emailPolicyName = "sign-in-email"

    let perAddress: TokenBucketLimiter?
    let failuresPerEmail: TokenBucketLimiter?

    public init(limits: RateLimits) {
        perAddress = limits.signInsPerAddress.map { TokenBucketLimiter(policy: $0) }
        failuresPerEmail = limits.failedSignInsPerEmail.map { TokenBucketLimiter(policy: $0) }
    }

    /// Throws `429 rate_limited` when `address` or `email` has no attempt left; spends the address's token otherwise.
    func admit(address: String, email: String) throws(Problem) {
        if let failuresPerEmail {
            let decision = failuresPerEmail.peek(Self.key(email))
            if !decision.allowed {
                throw refusal(Self.emailPolicyName, failuresPerEmail.policy, decision, "Too many failed sign-ins for this email.")
            }
        }
        if let perAddress {
            let decision = perAddress.take(address)
            if !decision.allowed {
                throw refusal(Self.addressPolicyName, perAddress.policy, decision, "Too many sign-in attempts from this address.")
            }
        }
    }

    /// Counts a failed attempt against `email`.
    func recordFailure(email: String) {
        _ = failuresPerEmail?.take(Self.key(email))
    }

    /// Emails compare without case, as sign-in does.
    static func key(_ email: String) -> String { email.lowercased() }

    private func refusal(
        _ name: String, _ policy: TokenBucketLimiter.Policy, _ decision: TokenBucketLimiter.Decision, _ reason: String
    ) -> Problem {
        var headers = HTTPFields()
        RateLimitHeaders.add(to: &headers, name: name, policy: policy, decision: decision)
        return .rateLimited(reason + " Try again after Retry-After seconds.", headers: headers)
    }
}
