import Foundation
import HTTPTypes
import MariaDB
import Testing
import WalletHTTP

/// Token buckets, the per-user limit on money movements and the sign-in limits.
@Suite("Rate limits")
struct RateLimitTests {
    /// A bucket that does not refill within a test.
    static let noRefill = 0.0001

    @Test func aBucketSpendsItsBurstThenRefillsAtItsRate() {
        let limiter = TokenBucketLimiter(policy: .init(burst: 3, perSecond: 2))
        #expect((0..<3).map { _ in limiter.take(RateLimitKey("u"), now: 100).allowed } == [true, true, true])
        let refused = limiter.take(RateLimitKey("u"), now: 100)
        #expect(!refused.allowed)
        #expect(refused.remaining == 0)
        #expect(refused.retryAfterSeconds == 1)
        #expect(refused.resetSeconds == 2)
        #expect(limiter.take(RateLimitKey("other"), now: 100).allowed, "keys have buckets of their own")
        #expect(limiter.take(RateLimitKey("u"), now: 100.5).allowed, "half a second earns one token at 2 a second")
        #expect(!limiter.take(RateLimitKey("u"), now: 100.5).allowed)
        #expect(limiter.take(RateLimitKey("u"), now: 1000).remaining == 2, "a bucket never holds more than its burst")
        limiter.refund(RateLimitKey("u"), now: 1000)
        limiter.refund(RateLimitKey("u"), now: 1000)
        #expect(limiter.take(RateLimitKey("u"), now: 1000).remaining == 2, "a refund never fills a bucket past its burst")
    }

    @Test func theTableOfKeysIsBounded() {
        let limiter = TokenBucketLimiter(policy: .init(burst: 1, perSecond: Self.noRefill), maximumKeys: 4)
        for user in 0..<10 { _ = limiter.take(RateLimitKey("user-\(user)"), now: Double(user)) }
        #expect(limiter.keyCount <= 4)
        #expect(!limiter.take(RateLimitKey("user-9"), now: 10).allowed, "the newest keys are kept")
    }

    @Test func aUserOverTheMovementLimitGets429WithHeadersAndNothingMoves() async throws {
        let limits = RateLimits(movementsPerUser: .init(burst: 2, perSecond: Self.noRefill), signInsPerAddress: nil, failedSignInsPerEmail: nil)
        try await APIHarness.run(rateLimits: limits) { api in
            let token = try await api.signedInUser()
            let wallet = try await api.wallet(token)
            let first = try await api.deposit(token, wallet, 100)
            #expect(first.status == .created)
            #expect(first.headers[HTTPField.Name("RateLimit-Policy")!] == #""movements";q=2;w=20000"#)
            #expect(first.headers[HTTPField.Name("RateLimit")!]?.hasPrefix(#""movements";r=1;"#) == true)
            #expect(try await api.deposit(token, wallet, 100).status == .created)

            let key = UUID().uuidString
            let refused = try await api.deposit(token, wallet, 100, key: key)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.code == "rate_limited")
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(refused.headers[HTTPField.Name("RateLimit")!]?.hasPrefix(#""movements";r=0;"#) == true)
            let transfer = try await api.transfer(token, from: wallet, to: try await api.wallet(token), 1)
            #expect(transfer.status == .tooManyRequests, "transfers share the limit")
            #expect(try await api.balance(token, wallet) == 200, "the refused deposit moved nothing")
            let claimed = try await api.pool.withConnection { connection in
                try connection.execute("SELECT COUNT(*) FROM idempotency_keys WHERE idempotency_key = ?", [.string(key)]).first?.decode(Int64.self, at: 0)
            }
            #expect(claimed == 0, "the limit is checked before the key is claimed")

            let other = try await api.signedInUser()
            #expect(try await api.deposit(other, try await api.wallet(other), 100).status == .created, "other users have their own budget")
            #expect(try await api.send(.get, "/v1/wallets/\(wallet)", token: token).status == .ok, "reads are not limited")
        }
    }

    @Test func failedSignInsForOneEmailAreLimitedEvenWithTheRightPassword() async throws {
        let limits = RateLimits(movementsPerUser: nil, signInsPerAddress: nil, failedSignInsPerEmail: .init(burst: 3, perSecond: Self.noRefill))
        try await APIHarness.run(rateLimits: limits) { api in
            _ = try await api.signedInUser("victim")
            for _ in 0..<3 {
                let wrong = try await api.send(.post, "/v1/sessions", json: #"{"email":"victim@example.com","password":"not-the-password"}"#)
                #expect(wrong.code == "invalid_credentials")
            }
            let limited = try await api.send(.post, "/v1/sessions", json: #"{"email":"VICTIM@example.com","password":"password-victim"}"#)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.code == "rate_limited")
            #expect(limited.headers[.retryAfter] != nil)
            _ = try await api.signedInUser("bystander")
        }
    }

    @Test func concurrentGuessesForOneEmailCannotOutrunTheLimit() async throws {
        let limits = RateLimits(movementsPerUser: nil, signInsPerAddress: nil, failedSignInsPerEmail: .init(burst: 3, perSecond: Self.noRefill))
        try await APIHarness.run(rateLimits: limits) { api in
            _ = try await api.signedInUser("target")
            let codes = try await withThrowingTaskGroup(of: String?.self) { group in
                for attempt in 0..<12 {
                    group.addTask {
                        try await api.send(.post, "/v1/sessions", json: #"{"email":"target@example.com","password":"guess-\#(attempt)-password"}"#).code
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(codes.filter { $0 == "invalid_credentials" }.count == 3, "\(codes)")
            #expect(codes.filter { $0 == "rate_limited" }.count == 9, "\(codes)")
        }
    }

    @Test func aSuccessfulSignInDoesNotSpendTheEmailsBudget() async throws {
        let limits = RateLimits(movementsPerUser: nil, signInsPerAddress: nil, failedSignInsPerEmail: .init(burst: 2, perSecond: Self.noRefill))
        try await APIHarness.run(rateLimits: limits) { api in
            _ = try await api.signedInUser("regular")  // one successful sign-in
            for _ in 0..<5 {
                let answer = try await api.send(.post, "/v1/sessions", json: #"{"email":"regular@example.com","password":"password-regular"}"#)
                #expect(answer.status == .created)
            }
        }
    }

    @Test func signInAttemptsFromOneAddressAreLimited() async throws {
        let limits = RateLimits(movementsPerUser: nil, signInsPerAddress: .init(burst: 3, perSecond: Self.noRefill), failedSignInsPerEmail: nil)
        try await APIHarness.run(rateLimits: limits) { api in
            _ = try await api.signedInUser("first")  // one attempt
            for name in ["a", "b"] {
                let answer = try await api.send(.post, "/v1/sessions", json: #"{"email":"\#(name)@example.com","password":"whatever-password"}"#)
                #expect(answer.code == "invalid_credentials")
            }
            let limited = try await api.send(.post, "/v1/sessions", json: #"{"email":"first@example.com","password":"password-first"}"#)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[HTTPField.Name("RateLimit-Policy")!] == #""sign-in-address";q=3;w=30000"#)
        }
    }

    /// The number a `/metrics` line `name{labels} n` shows (gauges print as `2.0`), or nil when the line is missing.
    static func metric(_ api: APIHarness, _ series: String) async throws -> Int? {
        let text = String(decoding: try await api.send(.get, "/metrics").body, as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix(series + " ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) }
    }

    static let bothSignInLimits = RateLimits(
        movementsPerUser: nil, signInsPerAddress: .init(burst: 3, perSecond: noRefill), failedSignInsPerEmail: .init(burst: 3, perSecond: noRefill))
    static let addressKeys = #"wallet_rate_limit_keys{limit="sign-in-address"}"#
    static let emailKeys = #"wallet_rate_limit_keys{limit="sign-in-email"}"#

    @Test func aSignInWithAnOverlongEmailIs400AndTouchesNoLimiter() async throws {
        try await APIHarness.run(rateLimits: Self.bothSignInLimits) { api in
            let email = String(repeating: "a", count: 4_000 - "@example.com".count) + "@example.com"
            for _ in 0..<5 {
                let answer = try await api.send(.post, "/v1/sessions", json: #"{"email":"\#(email)","password":"whatever-password"}"#)
                #expect(answer.status == .badRequest)
                #expect(answer.code == "invalid_request")
                #expect((answer.json["invalid_params"] as? [[String: Any]])?.first?["name"] as? String == "email")
            }
            #expect(try await Self.metric(api, Self.addressKeys) == 0)
            #expect(try await Self.metric(api, Self.emailKeys) == 0)
            #expect(try await Self.metric(api, #"wallet_rate_limit_max_keys{limit="sign-in-email"}"#) == TokenBucketLimiter.defaultMaximumKeys)
        }
    }

    @Test func anAddressOverItsLimitCreatesNoEmailEntry() async throws {
        try await APIHarness.run(rateLimits: Self.bothSignInLimits) { api in
            for attempt in 0..<10 {
                let answer = try await api.send(.post, "/v1/sessions", json: #"{"email":"guess-\#(attempt)@example.com","password":"whatever-password"}"#)
                #expect(answer.code == (attempt < 3 ? "invalid_credentials" : "rate_limited"), "attempt \(attempt)")
                if attempt >= 3 {
                    #expect(answer.headers[HTTPField.Name("RateLimit-Policy")!] == #""sign-in-address";q=3;w=30000"#)
                }
            }
            #expect(try await Self.metric(api, Self.addressKeys) == 1)
            #expect(try await Self.metric(api, Self.emailKeys) == 3, "only the attempts the address admitted have an email bucket")
        }
    }
}
