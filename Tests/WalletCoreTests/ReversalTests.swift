import Foundation
import MariaDB
import TestSupport
import Testing

@testable import WalletCore

/// Reversals against MariaDB: money back along the original's legs, never beyond it, only by the owner of the
/// wallets it comes back out of; racing reversals checked by invariants and the audit. Serialized: each test loads
/// the machine.
@Suite("Reversals against MariaDB", .serialized)
struct ReversalTests {
    private func reverse(
        _ transaction: LedgerTransaction, _ amount: Int64? = nil, by user: User, in context: WalletTestContext
    ) async throws -> MovementResult {
        try await context.execute(.reversal(of: transaction.id, amount: amount.map { .of($0) }, reason: MovementDescription("refund")), by: user.id)
    }

    @Test func partialReversalsOfATransferNeverExceedIt() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let a = try await context.makeWallet(for: alice, balance: 100)
            let b = try await context.makeWallet(for: bob)
            let original = try #require(try await context.execute(.transfer(from: a.id, to: b.id, amount: .of(100)), by: alice.id).transaction)
            let first = try #require(try await reverse(original, 30, by: bob, in: context).transaction)
            #expect(first.type == .reversal && first.reverses == original.id && first.amount == .of(30) && first.reason == MovementDescription("refund"))
            #expect(first.entries.map(\.walletID) == [b.id, a.id] && first.entries.map(\.amount) == [-30, 30])
            #expect(try await reverse(original, 50, by: bob, in: context).transaction != nil)
            guard case .amountExceedsReversible(let left)? = try await reverse(original, 30, by: bob, in: context).refusal else {
                Issue.record("a reversal beyond the original was not refused")
                return
            }
            #expect(left == 20)
            // Without an amount, what is left.
            #expect(try await reverse(original, by: bob, in: context).transaction?.amount == .of(20))
            #expect(try await reverse(original, by: bob, in: context).refusal?.caseName == "amountExceedsReversible")
            let stored = try await context.service.wallets.transaction(original.id, visibleTo: .user(alice.id))
            #expect(stored.reversedAmount == 100 && stored.reversalIDs.count == 3 && stored.reversalIDs.first == first.id)
            #expect(try await [context.balance(of: a), context.balance(of: b)] == [100, 0])
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test func onlyTheOwnerOfTheDestinationMayReverse() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let stranger = try await context.makeUser()
            let a = try await context.makeWallet(for: alice, balance: 100)
            let b = try await context.makeWallet(for: bob)
            let original = try #require(try await context.execute(.transfer(from: a.id, to: b.id, amount: .of(100)), by: alice.id).transaction)
            // The sender sees the transaction but cannot pull the money back out of Bob's wallet.
            #expect(try await reverse(original, by: alice, in: context).refusal?.caseName == "reversalForbidden")
            #expect(try await reverse(original, by: stranger, in: context).refusal?.caseName == "transactionNotFound")
            #expect(try await context.balance(of: b) == 100)
            // Once Bob spent it, the reversal is short of funds.
            try await context.execute(.withdrawal(wallet: b.id, amount: .of(80)), by: bob.id)
            guard case .insufficientFunds(let available, _)? = try await reverse(original, 50, by: bob, in: context).refusal else {
                Issue.record("a reversal beyond the destination's funds was not refused")
                return
            }
            #expect(available == 20)
        }
    }

    @Test func aDepositsReversalTakesMoneyOutAndAWithdrawalsBringsItBack() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let a = try await context.makeWallet(for: alice)
            let deposit = try #require(try await context.execute(.deposit(wallet: a.id, amount: .of(500)), by: alice.id).transaction)
            let back = try #require(try await reverse(deposit, 200, by: alice, in: context).transaction)
            #expect(back.entries.map(\.walletID) == [a.id, nil] && back.entries.map(\.amount) == [-200, 200])
            let withdrawal = try #require(try await context.execute(.withdrawal(wallet: a.id, amount: .of(100)), by: alice.id).transaction)
            let returned = try #require(try await reverse(withdrawal, by: alice, in: context).transaction)
            #expect(returned.entries.map(\.walletID) == [nil, a.id] && returned.entries.map(\.amount) == [-100, 100])
            #expect(try await context.balance(of: a) == 300)
            // A reversal is not reversed itself.
            #expect(try await reverse(returned, by: alice, in: context).refusal?.caseName == "notReversible")
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
            let dollars = try #require(report.currencies.first)
            #expect(dollars.deposits == 600 && dollars.withdrawals == 300 && dollars.balances == 300)
        }
    }

    @Test func aMultiLegTransactionIsReversedWholeAndOnce() async throws {
        try await WalletTestContext.run { context in
            let buyer = try await context.makeUser()
            let market = try await context.makeUser()
            let card = try await context.makeWallet(for: buyer, balance: 1000)
            let seller = try await context.makeWallet(for: market)
            let fees = try await context.makeWallet(for: market)
            let split = try #require(
                try await context.execute(
                    .multiLeg([TransferLeg(from: card.id, to: seller.id, amount: .of(900)), TransferLeg(from: card.id, to: fees.id, amount: .of(100))]),
                    by: buyer.id
                ).transaction)
            #expect(try await reverse(split, 100, by: market, in: context).refusal?.caseName == "reversalMustBeWhole")
            #expect(try await reverse(split, by: buyer, in: context).refusal?.caseName == "reversalForbidden")
            let whole = try #require(try await reverse(split, by: market, in: context).transaction)
            #expect(whole.legs == 2 && whole.amount == .of(1000) && whole.entries.map(\.amount) == [-900, 900, -100, 100])
            #expect(whole.entries.map(\.walletID) == [seller.id, card.id, fees.id, card.id])
            #expect(try await reverse(split, by: market, in: context).refusal?.caseName == "amountExceedsReversible")
            #expect(try await [context.balance(of: card), context.balance(of: seller), context.balance(of: fees)] == [1000, 0, 0])
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test func aCapturedHoldIsReversedByItsDestination() async throws {
        try await WalletTestContext.run { context in
            let rider = try await context.makeUser()
            let driver = try await context.makeUser()
            let card = try await context.makeWallet(for: rider, balance: 300)
            let earnings = try await context.makeWallet(for: driver)
            let details = MovementDetails(reference: MovementReference("ride-4411"), description: MovementDescription("ride to the airport"))
            let hold = try #require(
                try await context.execute(.placeHold(wallet: card.id, amount: .of(250), expiresIn: .default), details: details, by: rider.id).hold)
            #expect(hold.details == details)
            let capture = try #require(
                try await context.execute(
                    .captureHold(hold.id, amount: .of(200), to: earnings.id), details: MovementDetails(description: MovementDescription("fare")),
                    by: rider.id
                ).transaction)
            // The capture's own description, and the hold's reference where the capture gave none.
            #expect(capture.details.reference == details.reference && capture.details.description == MovementDescription("fare"))
            let back = try #require(try await reverse(capture, 50, by: driver, in: context).transaction)
            #expect(back.entries.map(\.walletID) == [earnings.id, card.id])
            #expect(try await [context.balance(of: card), context.balance(of: earnings)] == [150, 150])
        }
    }

    @Test(arguments: ConcurrencyTests.modes)
    func racingPartialReversalsNeverExceedTheOriginal(mode: MoneyMovements.Configuration) async throws {
        try await WalletTestContext.run(movements: mode) { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let a = try await context.makeWallet(for: alice, balance: 200)
            let b = try await context.makeWallet(for: bob, balance: 1000)
            let original = try #require(try await context.execute(.transfer(from: a.id, to: b.id, amount: .of(200)), by: alice.id).transaction)
            let outcomes = try await withThrowingTaskGroup(of: (MovementResult?, String?).self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        do { return (try await reverse(original, 10, by: bob, in: context), nil) } catch let error as WalletError { return (nil, error.caseName) }
                    }
                }
                var outcomes: [(MovementResult?, String?)] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            let reversed = outcomes.compactMap { $0.0?.transaction }
            let refusals = outcomes.compactMap { $0.0?.refusal }
            let errors = outcomes.compactMap(\.1)
            #expect(errors.allSatisfy { $0 == "contention" })
            if mode.combinesMovements { #expect(errors.isEmpty) }
            #expect(refusals.allSatisfy { $0.caseName == "amountExceedsReversible" })
            #expect(reversed.count <= 20)
            if errors.isEmpty { #expect(reversed.count == 20) }
            let stored = try await context.service.wallets.transaction(original.id, visibleTo: .user(bob.id))
            #expect(stored.reversedAmount == Int64(reversed.count) * 10 && stored.reversalIDs.count == reversed.count)
            #expect(try await context.balance(of: a) == Int64(reversed.count) * 10)
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test func detailsArePartOfTheFingerprint() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let a = try await context.makeWallet(for: alice)
            let metadata = { (order: String) in MovementDetails(metadata: try! Metadata.validated(["order_id": order, "channel": "web"]).get()) }
            try await context.execute(.deposit(wallet: a.id, amount: .of(5)), details: metadata("1"), by: alice.id, key: "k-details")
            let replay = try await context.execute(.deposit(wallet: a.id, amount: .of(5)), details: metadata("1"), by: alice.id, key: "k-details")
            #expect(replay.isReplay)
            do {
                try await context.execute(.deposit(wallet: a.id, amount: .of(5)), details: metadata("2"), by: alice.id, key: "k-details")
                Issue.record("other metadata under the same key was not refused")
            } catch WalletError.idempotencyKeyReused(let fields) {
                #expect(fields == ["metadata.order_id"])
            }
            #expect(try await context.balance(of: a) == 5)
        }
    }
}
