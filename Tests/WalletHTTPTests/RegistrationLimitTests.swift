import Foundation
import HTTPTypes
import Synchronization
import Testing
import WalletHTTP

/// Registration's limits: a budget per client address, and bcrypt on bounded pools of its own, apart from sign-in's.
@Suite("Registration limits")
struct RegistrationLimitTests {
    /// A bcrypt cost slow enough that a few hashes fill a queue (tens to hundreds of milliseconds each here).
    static let slowCost: UInt8 = 12
    /// The most registrations each flooding client sends.
    static let maximumFloodRounds = 2_000

    static func register(_ api: APIHarness, _ name: String) async throws -> APIHarness.Answer {
        try await api.send(.post, "/v1/users", json: #"{"email":"\#(name)@example.com","password":"password-\#(name)"}"#)
    }

    @Test func registrationsFromOneAddressAreLimitedAndInvalidOnesSpendNothing() async throws {
        let limits = RateLimits(
            movementsPerUser: nil, signInsPerAddress: nil, failedSignInsPerEmail: nil,
            registrationsPerAddress: .init(burst: 3, perSecond: RateLimitTests.noRefill))
        try await APIHarness.run(rateLimits: limits) { api in
            let invalid = try await api.send(.post, "/v1/users", json: #"{"email":"not-an-email","password":"password-long"}"#)
            #expect(invalid.code == "invalid_request")
            for attempt in 0..<3 {
                #expect(try await Self.register(api, "new-\(attempt)").status == .created, "attempt \(attempt)")
            }
            let refused = try await Self.register(api, "one-too-many")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.code == "rate_limited")
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(refused.headers[HTTPField.Name("RateLimit-Policy")!] == #""registration-address";q=3;w=30000"#)
            #expect(refused.headers[HTTPField.Name("RateLimit")!]?.hasPrefix(#""registration-address";r=0;"#) == true)
            let session = try await api.send(.post, "/v1/sessions", json: #"{"email":"one-too-many@example.com","password":"password-one-too-many"}"#)
            #expect(session.code == "invalid_credentials", "the refused registration created no user")
        }
    }

    @Test func aFullHashingQueueIs503OverloadedWithRetryAfter() async throws {
        let hasher = PasswordHasher(
            cost: Self.slowCost,
            hashing: BcryptThreadPool(name: "registration hashing", threadCount: 1, maximumPending: 1),
            verifying: BcryptThreadPool(name: "sign-in verification", threadCount: 1, maximumPending: 1)
        )
        try await APIHarness.run(hasher: hasher) { api in
            let registrations = try await Self.concurrently(8) { attempt in try await Self.register(api, "crowd-\(attempt)") }
            #expect(registrations.contains { $0.status == .created }, "\(registrations.map(\.status))")
            let overloaded = registrations.filter { $0.status == .serviceUnavailable }
            #expect(!overloaded.isEmpty, "\(registrations.map(\.status))")
            #expect(overloaded.allSatisfy { $0.code == "overloaded" && $0.headers[.retryAfter] == "1" })

            let name = try #require(registrations.firstIndex { $0.status == .created }).description
            let signIns = try await Self.concurrently(8) { _ in
                try await api.send(.post, "/v1/sessions", json: #"{"email":"crowd-\#(name)@example.com","password":"password-crowd-\#(name)"}"#)
            }
            #expect(signIns.contains { $0.status == .created }, "\(signIns.map(\.status))")
            #expect(signIns.contains { $0.code == "overloaded" && $0.headers[.retryAfter] == "1" }, "\(signIns.map(\.status))")
        }
    }

    /// A flood of registrations (16 at once, no rate limit) fills its one hashing thread and its queue; another user's
    /// sign-ins, verified on their own pool, still complete. Prints their latency with and without the flood.
    @Test func signInsCompleteWhileARegistrationFloodRuns() async throws {
        let hasher = PasswordHasher(
            cost: Self.slowCost,
            hashing: BcryptThreadPool(name: "registration hashing", threadCount: 1, maximumPending: 8),
            verifying: BcryptThreadPool(name: "sign-in verification", threadCount: 1, maximumPending: 8)
        )
        try await APIHarness.run(hasher: hasher) { api in
            #expect(try await Self.register(api, "steady").status == .created)
            let signIn = #"{"email":"steady@example.com","password":"password-steady"}"#
            let signInCount = 5
            var quiet: [Double] = []
            for _ in 0..<signInCount { quiet.append(try await Self.timed { try await api.send(.post, "/v1/sessions", json: signIn) }) }

            let floodEnded = FloodEnded()
            let flood = Task {
                try await Self.concurrently(16) { worker in
                    var statuses: [HTTPResponse.Status] = []
                    for round in 0..<Self.maximumFloodRounds where !floodEnded.value.load(ordering: .acquiring) {
                        let status = try await Self.register(api, "flood-\(worker)-\(round)").status
                        statuses.append(status)
                        if status == .serviceUnavailable { try await Task.sleep(for: .milliseconds(20)) }  // a client that retries soon
                    }
                    return statuses
                }.flatMap { $0 }
            }
            try await Task.sleep(for: .milliseconds(200))  // the queue is full by now
            var flooded: [Double] = []
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<signInCount {
                flooded.append(try await Self.timed { let answer = try await api.send(.post, "/v1/sessions", json: signIn); statuses.append(answer.status); return answer })
            }
            floodEnded.value.store(true, ordering: .releasing)
            let registrations = try await flood.value
            print(
                "sign-in latency at bcrypt cost \(Self.slowCost): "
                    + String(format: "median %.0f ms alone, %.0f ms during a registration flood ", Self.median(quiet) * 1000, Self.median(flooded) * 1000)
                    + "(\(registrations.filter { $0 == .created }.count) registered, \(registrations.filter { $0 == .serviceUnavailable }.count) refused overloaded meanwhile)"
            )
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
            #expect(registrations.contains(.serviceUnavailable), "the flood filled the hashing queue")
        }
    }

    static func timed(_ work: () async throws -> APIHarness.Answer) async throws -> Double {
        let started = ContinuousClock.now
        _ = try await work()
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// `work(0)` … `work(count - 1)` at once; their results in that order.
    static func concurrently<T: Sendable>(_ count: Int, _ work: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: (Int, T).self) { group in
            for index in 0..<count { group.addTask { (index, try await work(index)) } }
            return try await group.reduce(into: [(Int, T)]()) { $0.append($1) }.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}

/// Set when the flood should stop.
private final class FloodEnded: Sendable {
    let value = Atomic<Bool>(false)
}
