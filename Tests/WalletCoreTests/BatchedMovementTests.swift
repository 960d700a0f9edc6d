import Foundation
import Testing

@testable import WalletCore

/// Several movements in one transaction: each keeps its own key, outcome, entries and response.
@Suite("Batched movements against MariaDB")
struct BatchedMovementTests {
    @Test func aBatchRunsEachMovementOnTheBalancesTheEarlierOnesLeft() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let a = try await context.makeWallet(for: alice, balance: 100)
            let b = try await context.makeWallet(for: bob)
            let euro = try await context.makeWallet(for: bob, currency: "EUR")
            let replayed = try await context.execute(.deposit(wallet: a.id, amount: .of(1)), by: alice.id, key: "earlier")
            try await context.execute(.deposit(wallet: a.id, amount: .of(2)), by: alice.id, key: "reused")

            func command(_ request: MovementRequest, by user: User, key: String) -> MovementCommand {
                MovementCommand(
                    request: request, principal: .user(user.id), idempotencyKey: IdempotencyKey(key)!,
                    deadline: .now + MoneyMovements.Configuration.defaultDeadline, render: TestRenderer.render
                )
            }
            let answers = await context.movements.runner.run([
                command(.withdrawal(wallet: a.id, amount: .of(150)), by: alice, key: "too-much"),  // 103 held: refused
                command(.deposit(wallet: a.id, amount: .of(50)), by: alice, key: "deposit"),  // 153
                command(.withdrawal(wallet: a.id, amount: .of(150)), by: alice, key: "now-enough"),  // 3
                command(.transfer(from: a.id, to: b.id, amount: .of(3)), by: alice, key: "transfer"),  // 0, b: 3
                command(.deposit(wallet: a.id, amount: .of(1)), by: alice, key: "earlier"),  // replay
                command(.deposit(wallet: a.id, amount: .of(9)), by: alice, key: "reused"),  // key reused
                command(.deposit(wallet: a.id, amount: .of(7)), by: bob, key: "not-bobs"),  // another's wallet
                command(.transfer(from: b.id, to: euro.id, amount: .of(1)), by: bob, key: "mismatch"),  // currencies
            ])
            #expect(answers.count == 8)
            func result(_ index: Int) throws -> MovementResult { try answers[index].get() }
            #expect(try result(0).refusal?.caseName == "insufficientFunds")
            #expect(try result(1).transaction?.entries.map(\.balanceAfter) == [nil, 153])
            #expect(try result(2).transaction?.entries.map(\.balanceAfter) == [3, nil])
            #expect(try result(3).transaction?.entries.map(\.balanceAfter) == [0, 3])
            #expect(try result(4).isReplay && result(4).response == replayed.response)
            #expect(throws: WalletError.self) { try answers[5].get() }
            #expect(try result(6).refusal?.caseName == "walletNotFound")
            #expect(try result(7).refusal?.caseName == "currencyMismatch")

            // The wallets were written once each, their versions bumped once per movement that touched them.
            let storedA = try await context.service.wallets.wallet(a.id, ownedBy: .user(alice.id))
            let storedB = try await context.service.wallets.wallet(b.id, ownedBy: .user(bob.id))
            #expect(storedA.balance == 0 && storedA.version == a.version + 2 + 3)
            #expect(storedB.balance == 3 && storedB.version == b.version + 1)
            #expect(try await context.entryTotal(of: storedA) == 0)
            // Each movement's key holds its own response: a retry replays it.
            for (index, key) in ["too-much", "deposit", "now-enough", "transfer", "not-bobs"].enumerated() {
                let user = index == 4 ? bob : alice
                let request: MovementRequest =
                    switch index {
                    case 0: .withdrawal(wallet: a.id, amount: .of(150))
                    case 1: .deposit(wallet: a.id, amount: .of(50))
                    case 2: .withdrawal(wallet: a.id, amount: .of(150))
                    case 3: .transfer(from: a.id, to: b.id, amount: .of(3))
                    default: .deposit(wallet: a.id, amount: .of(7))
                    }
                let again = try await context.execute(request, by: user.id, key: key)
                let first = try result(index < 4 ? index : 6)
                #expect(again.isReplay && again.response == first.response, "key \(key)")
            }
            #expect(try await context.count("transactions", where: "idempotency_key IN ('deposit', 'now-enough', 'transfer')") == 3)
            #expect(try await context.count("idempotency_keys", where: "response_status IS NULL") == 0)
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test func concurrentMovementsOnOneWalletShareTransactions() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user)
            let batchesBefore = context.metrics.value(MovementMetrics.batchesLabel)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<300 {
                    group.addTask { try await context.execute(.deposit(wallet: wallet.id, amount: .of(1)), by: user.id) }
                }
                try await group.waitForAll()
            }
            let batches = context.metrics.value(MovementMetrics.batchesLabel) - batchesBefore
            #expect(try await context.balance(of: wallet) == 300)
            #expect(try await context.count("entries", where: "wallet_id = '\(wallet.id)'") == 300)
            #expect(batches < 300, "300 concurrent deposits on one wallet took \(batches) transactions")
            #expect(context.metrics.value(MovementMetrics.attemptsLabel, [("result", "conflict")]) == 0)
            #expect(try await context.service.auditor.run().isClean)
        }
    }
}
