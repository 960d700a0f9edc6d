import Hummingbird
import WalletCore

/// Slows down password guessing at `POST /v1/sessions`: every attempt spends a token of its client address, every
/// failed attempt one of its email (unknown emails too, so that the answer reveals nothing). An attempt without a
/// token is `429 rate_limited` with `Retry-After`, before the password is checked.
///
/// Only valid emails reach the throttle (the caller checks them first), the address is checked first, and the
/// email's bucket is touched only for attempts the address admitted: a flood from one address costs at most one
/// key of the address table, whatever emails it sends. Both tables hold fixed-size hashes, never the text.
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

    /// Spends a token of `address`, then one of `email` (as if the attempt failed); throws `429 rate_limited`,
    /// having spent nothing, when either has none left. An address without a token leaves the email untouched.
    func admit(address: String, email: EmailAddress) throws(Problem) {
        let addressKey = RateLimitKey(address)
        if let perAddress {
            let decision = perAddress.take(addressKey)
            if !decision.allowed {
                throw refusal(Self.addressPolicyName, perAddress.policy, decision, "Too many sign-in attempts from this address.")
            }
        }
        if let failuresPerEmail {
            let decision = failuresPerEmail.take(Self.key(email))
            if !decision.allowed {
                perAddress?.refund(addressKey)
                throw refusal(Self.emailPolicyName, failuresPerEmail.policy, decision, "Too many failed sign-ins for this email.")
            }
        }
    }

    /// Gives back the token ``admit(address:email:)`` took from `email`: the attempt did not fail (the password
    /// matched, or it could not be checked at all).
    func refund(email: EmailAddress) {
        failuresPerEmail?.refund(Self.key(email))
    }

    /// The limiters in use, with their policy names (for metrics).
    var namedLimiters: [(name: String, limiter: TokenBucketLimiter)] {
        var limiters: [(name: String, limiter: TokenBucketLimiter)] = []
        if let perAddress { limiters.append((name: Self.addressPolicyName, limiter: perAddress)) }
        if let failuresPerEmail { limiters.append((name: Self.emailPolicyName, limiter: failuresPerEmail)) }
        return limiters
    }

    /// Emails compare without case, as sign-in does: the key of the normalised address.
    static func key(_ email: EmailAddress) -> RateLimitKey { RateLimitKey(email.normalized) }

    private func refusal(
        _ name: String, _ policy: TokenBucketLimiter.Policy, _ decision: TokenBucketLimiter.Decision, _ reason: String
    ) -> Problem {
        var headers = HTTPFields()
        RateLimitHeaders.add(to: &headers, name: name, policy: policy, decision: decision)
        return .rateLimited(reason + " Try again after Retry-After seconds.", headers: headers)
    }
}
