public import Hummingbird

/// Slows down password guessing at `POST /v1/sessions`: every attempt spends a token of its client address, every
/// failed attempt one of its email (unknown emails too, so that the answer reveals nothing). An attempt without a
/// token is `429 rate_limited` with `Retry-After`, before the password is checked.
///
/// The email's token is taken when the attempt is admitted and given back when the password matches, so that
/// concurrent guesses cannot all pass the check before the first failure is counted.
public struct SignInThrottle: Sendable {
    static let addressPolicyName = "sign-in-address"
    static let emailPolicyName = "sign-in-email"

    let perAddress: TokenBucketLimiter?
    let failuresPerEmail: TokenBucketLimiter?

    public init(limits: RateLimits) {
        perAddress = limits.signInsPerAddress.map { TokenBucketLimiter(policy: $0) }
        failuresPerEmail = limits.failedSignInsPerEmail.map { TokenBucketLimiter(policy: $0) }
    }

    /// Spends a token of `email` (as if the attempt failed) and one of `address`; throws `429 rate_limited`, having
    /// spent nothing, when either has none left.
    func admit(address: String, email: String) throws(Problem) {
        if let failuresPerEmail {
            let decision = failuresPerEmail.take(Self.key(email))
            if !decision.allowed {
                throw refusal(Self.emailPolicyName, failuresPerEmail.policy, decision, "Too many failed sign-ins for this email.")
            }
        }
        if let perAddress {
            let decision = perAddress.take(address)
            if !decision.allowed {
                failuresPerEmail?.refund(Self.key(email))
                throw refusal(Self.addressPolicyName, perAddress.policy, decision, "Too many sign-in attempts from this address.")
            }
        }
    }

    /// Gives back the token ``admit(address:email:)`` took from `email`: the password matched.
    func recordSuccess(email: String) {
        failuresPerEmail?.refund(Self.key(email))
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
