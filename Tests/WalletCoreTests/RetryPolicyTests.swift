import Testing

@testable import WalletCore

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test func defaultsAreNamed() {
        let policy = RetryPolicy.default
        #expect(policy.maximumAttempts == 10)
        #expect(policy.baseDelay == .milliseconds(2))
        #expect(policy.maximumDelay == .milliseconds(100))
    }

    @Test func ceilingsDoubleUpToTheMaximum() {
        let policy = RetryPolicy.default
        let ceilings = (2...10).map { policy.delayCeiling(beforeAttempt: $0) }
        #expect(ceilings == [2, 4, 8, 16, 32, 64, 100, 100, 100].map { Duration.milliseconds($0) })
        #expect(RetryPolicy(maximumAttempts: 100).delayCeiling(beforeAttempt: 100) == .milliseconds(100))
    }

    @Test func delaysAreFullJitterWithinTheCeiling() {
        let policy = RetryPolicy.default
        var generator = SystemRandomNumberGenerator()
        for attempt in 2...10 {
            let ceiling = policy.delayCeiling(beforeAttempt: attempt)
            let delays = (0..<200).map { _ in policy.delay(beforeAttempt: attempt, using: &generator) }
            #expect(delays.allSatisfy { $0 >= .zero && $0 <= ceiling })
            // Full jitter spreads over the whole range, not just near the ceiling.
            #expect(delays.contains { $0 < ceiling / 2 })
            #expect(delays.contains { $0 > ceiling / 2 })
        }
    }
}
