import Hummingbird
import HTTPTypes

/// The rate limit headers of draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy` (the quota `q` per window `w`
/// seconds) and `RateLimit` (remaining `r`, seconds to reset `t`), and `Retry-After` on refusals.
enum RateLimitHeaders {
    static let policyName = HTTPField.Name("RateLimit-Policy")!
    static let stateName = HTTPField.Name("RateLimit")!

    /// Adds the headers of `decision` under `policy`, named `name`, to `fields`.
    static func add(
        to fields: inout HTTPFields, name: String, policy: TokenBucketLimiter.Policy, decision: TokenBucketLimiter.Decision
    ) {
        fields[policyName] = "\"\(name)\";q=\(policy.burst);w=\(policy.windowSeconds)"
        fields[stateName] = "\"\(name)\";r=\(decision.remaining);t=\(decision.resetSeconds)"
        if !decision.allowed { fields[.retryAfter] = String(max(1, decision.retryAfterSeconds)) }
    }
}

extension Problem {
    /// `429 rate_limited`, with `Retry-After` and the rate limit headers in `headers`.
    static func rateLimited(_ detail: String, headers: HTTPFields) -> Problem {
        Problem(.tooManyRequests, code: "rate_limited", title: "Too many requests", detail: detail, headers: headers)
    }
}
