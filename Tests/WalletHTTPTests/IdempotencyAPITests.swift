import Foundation
import HTTPTypes
import Testing
import WalletCore
import WalletHTTP

@Suite("Idempotency keys over HTTP")
struct IdempotencyAPITests {
    @Test func aRetriedRequestReplaysTheSameBytesAndMovesMoneyOnce() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            let first = try await api.deposit(alice, wallet, 700, key: "deposit-1")
            let again = try await api.deposit(alice, wallet, 700, key: "\"deposit-1\"")
            #expect(first.status == .created)
            #expect(first.headers[MovementsController.replayedHeader] == nil)
            #expect(again.status == .created)
            #expect(again.headers[MovementsController.replayedHeader] == "true")
            #expect(again.body == first.body)
            #expect(try await api.balance(alice, wallet) == 700)

            // Keys are per user: the same key from someone else is a different request.
            let bob = try await api.signedInUser("bob")
            let bobWallet = try await api.wallet(bob)
            let bobs = try await api.deposit(bob, bobWallet, 700, key: "deposit-1")
            #expect(bobs.status == .created)
            #expect(bobs.headers[MovementsController.replayedHeader] == nil)
        }
    }

    @Test func aKeyReusedForAnotherRequestIsRefused() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            let other = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 1_000, key: "k")
            let otherAmount = try await api.deposit(alice, wallet, 999, key: "k")
            #expect(otherAmount.status == .unprocessableContent)
            #expect(otherAmount.code == "idempotency_key_reused")
            let named = (otherAmount.json["invalid_params"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(named.contains("amount"))
            let otherRoute = try await api.withdraw(alice, wallet, 1_000, key: "k")
            #expect(otherRoute.code == "idempotency_key_reused")
            let otherWallet = try await api.deposit(alice, other, 1_000, key: "k")
            #expect(otherWallet.code == "idempotency_key_reused")
            #expect(try await api.balance(alice, wallet) == 1_000)
        }
    }

    @Test func aRefusalIsPinnedEvenAfterTheBalanceChanges() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            let refused = try await api.withdraw(alice, wallet, 100, key: "w-1")
            #expect(refused.code == "insufficient_funds")
            _ = try await api.deposit(alice, wallet, 1_000)
            let replayed = try await api.withdraw(alice, wallet, 100, key: "w-1")
            #expect(replayed.status == .unprocessableContent)
            #expect(replayed.body == refused.body)
            #expect(replayed.headers[MovementsController.replayedHeader] == "true")
            #expect(replayed.headers[.contentType] == "application/problem+json")
            #expect(try await api.balance(alice, wallet) == 1_000)
        }
    }

    @Test func validationErrorsAreNotPinned() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            let bad = try await api.send(.post, "/v1/wallets/\(wallet)/deposits", token: alice, key: "v-1", json: #"{"amount":0}"#)
            #expect(bad.status == .badRequest)
            let good = try await api.deposit(alice, wallet, 5, key: "v-1")
            #expect(good.status == .created)
        }
    }

    @Test func missingAndMalformedKeysHaveTheirOwnCodes() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            let missing = try await api.send(.post, "/v1/wallets/\(wallet)/deposits", token: alice, json: #"{"amount":5}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.code == "idempotency_key_missing")
            let long = try await api.deposit(alice, wallet, 5, key: String(repeating: "k", count: 256))
            #expect(long.code == "idempotency_key_invalid")
            #expect(try await api.balance(alice, wallet) == 0)
        }
    }

    @Test func fiftyConcurrentRequestsWithOneKeyMoveMoneyOnce() async throws {
        try await APIHarness.run(poolSize: 16) { api in
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            let answers = try await withThrowingTaskGroup(of: APIHarness.Answer.self) { group in
                for _ in 0..<50 { group.addTask { try await api.deposit(alice, wallet, 123, key: "same-key") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = answers.filter { $0.status == .created }
            let inUse = answers.filter { $0.status == .conflict }
            // A duplicate that waited past its deadline behind the first is answered 503 contention: nothing done.
            let late = answers.filter { $0.status == .serviceUnavailable }
            #expect(created.count + inUse.count + late.count == 50, "\(answers.map(\.status))")
            #expect(late.allSatisfy { $0.code == "contention" && $0.headers[.retryAfter] != nil })
            #expect(!created.isEmpty)
            #expect(Set(created.map(\.body)).count == 1, "every success is the same answer")
            #expect(inUse.allSatisfy { $0.code == "idempotency_key_in_use" && $0.headers[.retryAfter] != nil })
            #expect(try await api.balance(alice, wallet) == 123)
            let history = try await api.send(.get, "/v1/wallets/\(wallet)/entries", token: alice)
            #expect((history.json["data"] as? [Any])?.count == 1)
        }
    }
}
