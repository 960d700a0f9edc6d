import Foundation
import MariaDB
import TestSupport
import WalletHTTP
import Testing

@testable import WalletCore

@Suite("Deposits, withdrawals and transfers against MariaDB")
struct MovementTests {
    @Test func aDepositDebitsTheExternalAccountAndCreditsTheWallet() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user)
            let result = try await context.execute(.deposit(wallet: wallet.id, amount: .of(1250)), by: user.id, key: "deposit-1")
            let transaction = try #require(result.transaction)
            #expect(!result.isReplay)
            #expect(result.response.status == 201)
            #expect(transaction.type == .deposit && transaction.amount == .of(1250) && transaction.currency == wallet.currency)
            #expect(
                transaction.entries == [
                    LedgerEntry(account: .external, amount: -1250),
                    LedgerEntry(account: .wallet(wallet.id, owner: .user(user.id), balanceAfter: 1250), amount: 1250),
                ])
            #expect(transaction.holdID == nil)
            let stored = try await context.service.wallets.wallet(wallet.id, ownedBy: .user(user.id))
            #expect(stored.balance == 1250 && stored.version == 1)
            #expect(stored.updatedAt == transaction.createdAt)
            #expect(try await context.service.wallets.transaction(transaction.id, visibleTo: .user(user.id)) == transaction)
            #expect(try await context.count("transactions") == 1)
            #expect(try await context.count("entries") == 2)
            let key = try #require(try await context.sql("SELECT response_status, response_body, idempotency_key FROM idempotency_keys").first)
            #expect(try key.decode(Int.self, "response_status") == 201)
            #expect(try key.decode([UInt8].self, "response_body") == result.response.body)
        }
    }

    @Test func aWithdrawalDebitsTheWallet() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user, balance: 1000)
            let result = try await context.execute(.withdrawal(wallet: wallet.id, amount: .of(1000)), by: user.id)
            #expect(
                result.transaction?.entries == [
                    LedgerEntry(account: .wallet(wallet.id, owner: .user(user.id), balanceAfter: 0), amount: -1000),
                    LedgerEntry(account: .external, amount: 1000),
                ])
            #expect(try await context.balance(of: wallet) == 0)
        }
    }

    @Test func aTransferDebitsTheSourceAndCreditsAnyonesWallet() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let source = try await context.makeWallet(for: alice, balance: 1000)
            let destination = try await context.makeWallet(for: bob, balance: 5)
            let result = try await context.execute(.transfer(from: source.id, to: destination.id, amount: .of(400)), by: alice.id)
            let transaction = try #require(result.transaction)
            #expect(transaction.type == .transfer && transaction.amount == .of(400))
            #expect(
                transaction.entries == [
                    LedgerEntry(account: .wallet(source.id, owner: .user(alice.id), balanceAfter: 600), amount: -400),
                    LedgerEntry(account: .wallet(destination.id, owner: .user(bob.id), balanceAfter: 405), amount: 400),
                ])
            #expect(try await context.balance(of: source) == 600)
            #expect(try await context.balance(of: destination) == 405)
            // The entries come back in the same order from a read.
            #expect(try await context.service.wallets.transaction(transaction.id, visibleTo: .user(bob.id)).entries == transaction.entries)
            let history = try await context.service.wallets.entries(of: destination.id, ownedBy: .user(bob.id))
            #expect(history.entries.map(\.amount) == [400, 5])
            #expect(history.entries.first?.transactionID == transaction.id)
            #expect(history.entries.first?.type == .transfer)
        }
    }

    /// Every business refusal: reached the money logic, moved nothing, and pinned under its key.
    @Test func everyRefusalMovesNothingAndIsPinned() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let dollars = try await context.makeWallet(for: alice, balance: 100)
            let euros = try await context.makeWallet(for: alice, currency: "EUR", balance: 100)
            let bobs = try await context.makeWallet(for: bob, balance: 100)
            let full = try await context.makeWallet(for: bob, balance: Wallet.maximumBalance - 10)
            let mineFull = try await context.makeWallet(for: alice, balance: Wallet.maximumBalance)
            let cases: [(MovementRequest, String)] = [
                (.withdrawal(wallet: dollars.id, amount: .of(101)), "insufficientFunds"),
                (.transfer(from: dollars.id, to: bobs.id, amount: .of(101)), "insufficientFunds"),
                (.transfer(from: dollars.id, to: euros.id, amount: .of(1)), "currencyMismatch"),
                (.transfer(from: dollars.id, to: dollars.id, amount: .of(1)), "sameWallet"),
                (.deposit(wallet: bobs.id, amount: .of(1)), "walletNotFound"),
                (.withdrawal(wallet: bobs.id, amount: .of(1)), "walletNotFound"),
                (.transfer(from: bobs.id, to: dollars.id, amount: .of(1)), "walletNotFound"),
                (.transfer(from: dollars.id, to: .generate(), amount: .of(1)), "walletNotFound"),
                (.deposit(wallet: .generate(), amount: .of(1)), "walletNotFound"),
                (.deposit(wallet: mineFull.id, amount: .of(1)), "balanceLimitExceeded"),
                (.transfer(from: dollars.id, to: full.id, amount: .of(11)), "balanceLimitExceeded"),
            ]
            let transactionsBefore = try await context.count("transactions")
            for (index, (request, expected)) in cases.enumerated() {
                let key = "refusal-\(index)"
                let first = try await context.execute(request, by: alice.id, key: key)
                #expect(first.refusal?.caseName == expected, "\(request)")
                #expect(first.response.status == (expected == "walletNotFound" ? 404 : 422))
                let replay = try await context.execute(request, by: alice.id, key: key)
                #expect(replay.isReplay && replay.outcome == nil)
                #expect(replay.response == first.response)
            }
            #expect(try await context.count("transactions") == transactionsBefore)
            #expect(try await context.balance(of: dollars) == 100)
            #expect(try await context.balance(of: bobs) == 100)
            #expect(try await context.balance(of: full) == Wallet.maximumBalance - 10)
            #expect(context.metrics.value(MovementMetrics.movementsLabel, [("type", "withdrawal"), ("outcome", "refused")]) == 2)
            #expect(context.metrics.value(MovementMetrics.replaysLabel) == Int64(cases.count))
        }
    }

    @Test func aRefusalReplayedAfterTheBalanceChangedIsStillTheRefusal() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user, balance: 50)
            let request = MovementRequest.withdrawal(wallet: wallet.id, amount: .of(100))
            let refused = try await context.execute(request, by: user.id, key: "too-early")
            #expect(refused.refusal?.caseName == "insufficientFunds")
            try await context.execute(.deposit(wallet: wallet.id, amount: .of(500)), by: user.id)
            let replay = try await context.execute(request, by: user.id, key: "too-early")
            #expect(replay.isReplay)
            #expect(replay.response == refused.response)
            #expect(try await context.balance(of: wallet) == 550)
            // A new key runs the money logic again, now with enough funds.
            #expect(try await context.execute(request, by: user.id, key: "in-time").transaction != nil)
            #expect(try await context.balance(of: wallet) == 450)
        }
    }

    @Test func aSuccessfulMovementIsReplayedByteForByteAndRunsOnce() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user)
            let request = MovementRequest.deposit(wallet: wallet.id, amount: .of(10))
            let first = try await context.execute(request, by: user.id, key: "once")
            for _ in 0..<3 {
                let replay = try await context.execute(request, by: user.id, key: "once")
                #expect(replay.isReplay && replay.response == first.response)
            }
            #expect(try await context.balance(of: wallet) == 10)
            #expect(try await context.count("transactions") == 1)
        }
    }

    @Test func aKeyReusedForAnotherRequestNamesTheFieldsThatDiffer() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user, balance: 1000)
            let other = try await context.makeWallet(for: user)
            try await context.execute(.deposit(wallet: wallet.id, amount: .of(100)), by: user.id, key: "k1")
            let reuses: [(MovementRequest, [String])] = [
                (.deposit(wallet: wallet.id, amount: .of(101)), ["amount"]),
                (.deposit(wallet: other.id, amount: .of(100)), ["wallet_id"]),
                (.withdrawal(wallet: wallet.id, amount: .of(100)), ["operation"]),
                (.transfer(from: wallet.id, to: other.id, amount: .of(100)), ["operation", "from_wallet_id", "to_wallet_id", "wallet_id"]),
            ]
            for (request, fields) in reuses {
                await #expect {
                    try await context.execute(request, by: user.id, key: "k1")
                } throws: { error in
                    guard case WalletError.idempotencyKeyReused(let mismatched) = error else { return false }
                    return mismatched == fields
                }
            }
            #expect(try await context.balance(of: wallet) == 1100)
            #expect(try await context.count("transactions") == 2)
            #expect(context.metrics.value(MovementMetrics.attemptsLabel, [("result", "rejected")]) == 4)
        }
    }

    @Test func keysAreScopedPerUser() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let alices = try await context.makeWallet(for: alice)
            let bobs = try await context.makeWallet(for: bob)
            let first = try await context.execute(.deposit(wallet: alices.id, amount: .of(1)), by: alice.id, key: "same-key")
            let second = try await context.execute(.deposit(wallet: bobs.id, amount: .of(2)), by: bob.id, key: "same-key")
            #expect(!first.isReplay && !second.isReplay)
            #expect(try await context.balance(of: alices) == 1)
            #expect(try await context.balance(of: bobs) == 2)
        }
    }

    @Test func theLedgerRefusesUpdatesAndTheDeletionOfTransactions() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            _ = try await context.makeWallet(for: user, balance: 10)
            for statement in ["UPDATE entries SET amount = 11", "UPDATE transactions SET amount = 11"] {
                await #expect {
                    try await context.sql(statement)
                } throws: { error in
                    (error as? MariaDBError)?.sqlState == "45000"
                }
            }
            // A transaction's entries keep it from being deleted.
            await #expect {
                try await context.sql("DELETE FROM transactions")
            } throws: { error in
                (error as? MariaDBError)?.number == 1451
            }
            #expect(try await context.count("transactions") == 1)
        }
    }

    @Test func anUnreachableDatabaseIsUnavailableAtOnce() async throws {
        var configuration = try TestDatabase.configuration()
        configuration.port = 1
        let pool = MariaDBConnectionPool(database: configuration, configuration: .init(size: 2), logger: WalletTestContext.logger)
        let service = WalletService(pool: pool, eventData: APIEventData(), logger: WalletTestContext.logger, metricsFactory: CountingMetrics())
        let started = ContinuousClock.now
        await #expect {
            try await service.movements.execute(
                .deposit(wallet: .generate(), amount: .of(1)),
                principal: .user(.generate()),
                idempotencyKey: IdempotencyKey("k")!,
                render: TestRenderer.render
            )
        } throws: { error in
            guard case WalletError.unavailable = error else { return false }
            return true
        }
        #expect(ContinuousClock.now - started < .seconds(3))
        await pool.shutdown()
    }
}
