import Foundation
import MariaDB
import TestSupport
import Testing

@testable import WalletCore

/// Multi-leg transfers against MariaDB: all legs or none, in order, refusals naming the leg, and real concurrent
/// clients checked by invariants and the audit. Serialized: each test loads the machine.
@Suite("Multi-leg transfers against MariaDB", .serialized)
struct MultiLegTests {
    private func leg(_ from: Wallet, _ to: Wallet, _ amount: Int64) -> TransferLeg {
        TransferLeg(from: from.id, to: to.id, amount: .of(amount))
    }

    @Test func aSplitPaymentMovesEveryLegInOneTransaction() async throws {
        try await WalletTestContext.run { context in
            let buyer = try await context.makeUser()
            let market = try await context.makeUser()
            let card = try await context.makeWallet(for: buyer, balance: 1000)
            let seller = try await context.makeWallet(for: market)
            let fees = try await context.makeWallet(for: market)
            let details = MovementDetails(reference: MovementReference("ord_8812"), metadata: try Metadata.validated(["order_id": "8812"]).get())
            let result = try await context.execute(.multiLeg([leg(card, seller, 900), leg(card, fees, 100)]), details: details, by: buyer.id)
            let transaction = try #require(result.transaction)
            #expect(transaction.type == .transfer && transaction.legs == 2 && transaction.amount == .of(1000) && transaction.currency == card.currency)
            #expect(transaction.entries.map(\.amount) == [-900, 900, -100, 100])
            #expect(transaction.entries.map(\.balanceAfter) == [100, 900, 0, 100])
            #expect(transaction.details == details)
            #expect(try await [context.balance(of: card), context.balance(of: seller), context.balance(of: fees)] == [0, 900, 100])
            let stored = try await context.service.wallets.transaction(transaction.id, visibleTo: .user(buyer.id))
            #expect(stored.entries == transaction.entries && stored.details == details && stored.legs == 2)
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test func legsApplyInOrderAndARefusedLegMovesNothing() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let a = try await context.makeWallet(for: alice, balance: 500)
            let b = try await context.makeWallet(for: alice)
            let c = try await context.makeWallet(for: alice)
            // B's money arrives in the first leg, in time for the second.
            let chained = try await context.execute(.multiLeg([leg(a, b, 500), leg(b, c, 500)]), by: alice.id)
            #expect(chained.transaction?.entries.map(\.balanceAfter) == [0, 500, 0, 500])
            // The other way round B has nothing at its turn: the second leg is refused, and the first did not move.
            let refused = try await context.execute(.multiLeg([leg(c, a, 200), leg(b, a, 1)]), by: alice.id)
            guard case .refusedLeg(let index, let field, let refusal)? = refused.refusal else {
                Issue.record("not a refused leg: \(refused.bodyText)")
                return
            }
            #expect(index == 1 && field == "amount" && refusal.caseName == "insufficientFunds")
            #expect(try await [context.balance(of: a), context.balance(of: b), context.balance(of: c)] == [0, 0, 500])
            #expect(try await context.count("transactions") == 2)
        }
    }

    @Test func aRefusalNamesTheLegAndTheField() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let mine = try await context.makeWallet(for: alice, balance: 100)
            let other = try await context.makeWallet(for: alice)
            let euros = try await context.makeWallet(for: alice, currency: "EUR")
            let bobs = try await context.makeWallet(for: bob, balance: 100)
            let cases: [([TransferLeg], Int, String, String)] = [
                ([leg(mine, other, 1), leg(bobs, mine, 1)], 1, "from_wallet_id", "walletNotFound"),
                ([leg(mine, other, 1), leg(mine, other, 1), leg(mine, euros, 1)], 2, "to_wallet_id", "currencyMismatch"),
                ([leg(mine, mine, 1)], 0, "to_wallet_id", "sameWallet"),
                ([leg(mine, other, 60), leg(mine, other, 60)], 1, "amount", "insufficientFunds"),
            ]
            for (legs, expectedIndex, expectedField, expectedRefusal) in cases {
                let result = try await context.execute(.multiLeg(legs), by: alice.id)
                guard case .refusedLeg(let index, let field, let refusal)? = result.refusal else {
                    Issue.record("not a refused leg: \(result.bodyText)")
                    continue
                }
                #expect(index == expectedIndex && field == expectedField && refusal.caseName == expectedRefusal)
            }
            #expect(try await [context.balance(of: mine), context.balance(of: other)] == [100, 0])
        }
    }

    @Test func legsInSeveralCurrenciesHaveNoSingleAmount() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let dollars = try await context.makeWallet(for: alice, balance: 100)
            let otherDollars = try await context.makeWallet(for: alice)
            let euros = try await context.makeWallet(for: alice, currency: "EUR", balance: 50)
            let otherEuros = try await context.makeWallet(for: alice, currency: "EUR")
            let result = try await context.execute(.multiLeg([leg(dollars, otherDollars, 70), leg(euros, otherEuros, 20)]), by: alice.id)
            let transaction = try #require(result.transaction)
            #expect(transaction.amount == nil && transaction.currency == nil && transaction.legs == 2)
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test(arguments: ConcurrencyTests.modes)
    func aHundredConcurrentMultiLegTransfersOverTenWalletsConserveMoney(mode: MoneyMovements.Configuration) async throws {
        try await WalletTestContext.run(movements: mode) { context in
            let owner = try await context.makeUser()
            var wallets: [Wallet] = []
            for _ in 0..<10 { wallets.append(try await context.makeWallet(for: owner, balance: 1000)) }
            var generator = SystemRandomNumberGenerator()
            let requests: [MovementRequest] = (0..<100).map { _ in
                let legs = (0..<Int.random(in: 2...4, using: &generator)).map { _ in
                    let pair = wallets.shuffled(using: &generator).prefix(2)
                    return leg(pair.first!, pair.last!, Int64.random(in: 1...400, using: &generator))
                }
                return .multiLeg(legs)
            }
            let outcomes = try await withThrowingTaskGroup(of: (MovementResult?, String?).self) { group in
                for request in requests {
                    group.addTask {
                        do { return (try await context.execute(request, by: owner.id), nil) } catch let error as WalletError { return (nil, error.caseName) }
                    }
                }
                var outcomes: [(MovementResult?, String?)] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            let completed = outcomes.compactMap { $0.0?.transaction }
            let refusals = outcomes.compactMap { $0.0?.refusal }
            let errors = outcomes.compactMap(\.1)
            #expect(errors.allSatisfy { $0 == "contention" })
            if mode.combinesMovements { #expect(errors.isEmpty) }
            #expect(refusals.allSatisfy { if case .refusedLeg(_, "amount", .insufficientFunds) = $0 { true } else { false } })
            #expect(completed.count + refusals.count + errors.count == 100)
            #expect(!completed.isEmpty)
            var total: Int64 = 0
            for wallet in wallets {
                let balance = try await context.balance(of: wallet)
                #expect(balance >= 0)
                total += balance
            }
            #expect(total == 10_000)
            #expect(try await context.count("transactions") == 10 + completed.count)
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
            let deadlocks = context.metrics.value(MovementMetrics.attemptsLabel, [("result", "deadlock")])
            // Wallets are written in one order by every transaction: deadlocks are rare, never a storm.
            #expect(deadlocks <= 10, "\(deadlocks) deadlocks")
            print(
                "100 multi-leg transfers (\(mode.label)): \(completed.count) completed, \(refusals.count) refused, \(errors.count) contention; "
                    + "conflicts \(context.metrics.value(MovementMetrics.attemptsLabel, [("result", "conflict")])), deadlocks \(deadlocks)"
            )
        }
    }
}
