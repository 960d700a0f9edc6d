import Foundation
import HTTPTypes
import Testing
import WalletCore

@Suite("Concurrent money movements over HTTP")
struct ConcurrencyAPITests {
    @Test func twoHundredConcurrentTransfersInBothDirectionsConserveMoney() async throws {
        try await APIHarness.run(poolSize: 16) { api in
            let alice = try await api.signedInUser("alice")
            let bob = try await api.signedInUser("bob")
            let a = try await api.wallet(alice)
            let b = try await api.wallet(bob)
            _ = try await api.deposit(alice, a, 1_000)
            _ = try await api.deposit(bob, b, 1_000)

            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for i in 0..<200 {
                    group.addTask {
                        let answer = i.isMultiple(of: 2)
                            ? try await api.transfer(alice, from: a, to: b, Int64(1 + i % 37))
                            : try await api.transfer(bob, from: b, to: a, Int64(1 + i % 41))
                        return (Int(answer.status.code), answer.code)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Every answer is a success or a clean refusal; no 500 and no lost request.
            #expect(statuses.allSatisfy { $0.0 == 201 || ($0.0 == 422 && $0.1 == "insufficient_funds") || ($0.0 == 503 && $0.1 == "contention") })
            let balanceA = try #require(try await api.balance(alice, a))
            let balanceB = try #require(try await api.balance(bob, b))
            #expect(balanceA >= 0 && balanceB >= 0)
            #expect(balanceA + balanceB == 2_000)
            let report = try await api.wallet.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }
}
