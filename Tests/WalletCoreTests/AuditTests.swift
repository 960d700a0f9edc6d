import Foundation
import MariaDB
import Testing

@testable import WalletCore

@Suite("The ledger audit against MariaDB")
struct AuditTests {
    /// Two users, three currencies, every kind of movement (and a refusal).
    private func populate(_ context: WalletTestContext) async throws -> (Wallet, Wallet, Wallet) {
        let alice = try await context.makeUser()
        let bob = try await context.makeUser()
        let a = try await context.makeWallet(for: alice, balance: 1000)
        let b = try await context.makeWallet(for: bob, balance: 500)
        let euros = try await context.makeWallet(for: bob, currency: "EUR", balance: 70)
        _ = try await context.makeWallet(for: alice, currency: "JPY")
        try await context.execute(.transfer(from: a.id, to: b.id, amount: .of(300)), by: alice.id)
        try await context.execute(.transfer(from: b.id, to: a.id, amount: .of(50)), by: bob.id)
        try await context.execute(.withdrawal(wallet: a.id, amount: .of(100)), by: alice.id)
        try await context.execute(.withdrawal(wallet: euros.id, amount: .of(20)), by: bob.id)
        try await context.execute(.withdrawal(wallet: euros.id, amount: .of(2000)), by: bob.id)
        return (a, b, euros)
    }

    @Test func aSoundLedgerIsClean() async throws {
        try await WalletTestContext.run { context in
            _ = try await populate(context)
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
            #expect(report.walletCount == 4)
            #expect(report.transactionCount == 7)
            #expect(report.entryCount == 14, "every transaction has two legs")
            #expect(report.currencies.map(\.currency) == ["EUR", "JPY", "USD"])
            let dollars = try #require(report.currencies.last)
            #expect(dollars.walletCount == 2 && dollars.balances == 1400 && dollars.deposits == 1500 && dollars.withdrawals == 100)
            #expect(dollars.externalBalance == -1400 && dollars.entryTotal == 0)
            #expect(report.currencies[0].externalBalance == -50)
            #expect(report.currencies[0].balances == 50 && report.currencies[1].balances == 0)
            #expect(report.description.hasSuffix("ledger OK"))
        }
    }

    @Test func anEmptyDatabaseIsClean() async throws {
        try await WalletTestContext.run { context in
            let report = try await context.service.auditor.run()
            #expect(report.isClean && report.walletCount == 0 && report.currencies.isEmpty)
        }
    }

    @Test func aBalanceChangedBehindTheLedgersBackIsNamed() async throws {
        try await WalletTestContext.run { context in
            let (a, b, _) = try await populate(context)
            try await context.sql("UPDATE wallets SET balance = balance + 5 WHERE id = '\(a.id)'")
            let report = try await context.service.auditor.run()
            #expect(!report.isClean)
            #expect(report.walletProblems.map(\.walletID) == [a.id.rawValue])
            #expect(
                report.walletProblems.first?.reasons == [
                    .balanceDiffersFromEntries(balance: 655, entryTotal: 650),
                    .balanceDiffersFromLatestEntry(balance: 655, latestBalanceAfter: 650),
                ])
            #expect(report.unbalancedCurrencies.map(\.currency) == ["USD"])
            #expect(report.transactionProblems.isEmpty)
            #expect(report.description.contains("wallet \(a.id): balance 655 but its entries sum to 650"))
            #expect(!report.walletProblems.contains { $0.walletID == b.id.rawValue })
        }
    }

    @Test func aForgedEntryBreaksTheChainAndItsTransaction() async throws {
        try await WalletTestContext.run { context in
            let (a, _, _) = try await populate(context)
            let transaction = try #require(try await context.sql("SELECT id FROM transactions WHERE type = 'withdrawal' LIMIT 1").first)
                .decode(String.self, "id")
            // An entry slipped into the ledger (inserts are allowed, updates are not), with the balance to match.
            try await context.sql(
                "INSERT INTO entries (transaction_id, wallet_id, amount, balance_after, created_at) "
                    + "VALUES ('\(transaction)', '\(a.id)', 10, 99, NOW(6))"
            )
            try await context.sql("UPDATE wallets SET balance = 99 WHERE id = '\(a.id)'")
            let report = try await context.service.auditor.run()
            #expect(!report.isClean)
            let problem = try #require(report.walletProblems.first { $0.walletID == a.id.rawValue })
            #expect(problem.reasons.contains(.balanceDiffersFromEntries(balance: 99, entryTotal: 660)))
            #expect(problem.reasons.contains { if case .balanceChainBroken = $0 { true } else { false } })
            #expect(report.transactionProblems.map(\.transactionID) == [transaction])
        }
    }

    @Test func aNegativeBalanceIsNamed() async throws {
        try await WalletTestContext.run { context in
            let (a, _, _) = try await populate(context)
            // The CHECK constraint refuses it; only with checks off can it get in.
            try await context.pool.withConnection { connection in
                try connection.query("SET SESSION check_constraint_checks = OFF")
                try connection.query("UPDATE wallets SET balance = -1 WHERE id = '\(a.id)'")
                try connection.query("SET SESSION check_constraint_checks = ON")
            }
            let report = try await context.service.auditor.run()
            #expect(report.walletProblems.first?.reasons.first == .negativeBalance(balance: -1))
        }
    }

    @Test func aLegMissingUnbalancesItsTransactionAndCurrency() async throws {
        try await WalletTestContext.run { context in
            _ = try await populate(context)
            let deposit = try #require(try await context.sql("SELECT id FROM transactions WHERE type = 'deposit' AND currency = 'EUR'").first)
                .decode(String.self, "id")
            try await context.sql("DELETE FROM entries WHERE transaction_id = '\(deposit)' AND wallet_id IS NULL")
            let report = try await context.service.auditor.run()
            #expect(report.transactionProblems.map(\.transactionID) == [deposit])
            #expect(report.transactionProblems.first?.entryCount == 1 && report.transactionProblems.first?.entryTotal == 70)
            #expect(report.unbalancedCurrencies.map(\.currency) == ["EUR"])
            #expect(report.unbalancedCurrencies.first?.entryTotal == 70)
            #expect(report.walletProblems.isEmpty, "the wallet's own chain is intact")
        }
    }

    @Test func aLegInTheWrongDirectionIsNamed() async throws {
        try await WalletTestContext.run { context in
            let (a, _, _) = try await populate(context)
            // A "withdrawal" whose money came from outside instead: both legs swapped in sign still sum to zero.
            let withdrawal = try #require(
                try await context.sql("SELECT id FROM transactions WHERE type = 'withdrawal' AND currency = 'USD'").first
            ).decode(String.self, "id")
            try await context.sql("DELETE FROM entries WHERE transaction_id = '\(withdrawal)'")
            try await context.sql(
                "INSERT INTO entries (transaction_id, wallet_id, amount, balance_after, created_at) VALUES "
                    + "('\(withdrawal)', NULL, -100, NULL, NOW(6)), ('\(withdrawal)', '\(a.id)', 100, 850, NOW(6))")
            let report = try await context.service.auditor.run()
            #expect(report.transactionProblems.map(\.transactionID) == [withdrawal])
        }
    }

    @Test func heldThatIsNotTheSumOfActiveHoldsIsNamed() async throws {
        try await WalletTestContext.run { context in
            let (a, _, _) = try await populate(context)
            let owner = try #require(a.ownerID.user)
            try await context.execute(.placeHold(wallet: a.id, amount: .of(40), expiresIn: .default), by: owner)
            #expect(try await context.service.auditor.run().isClean)
            try await context.sql("UPDATE wallets SET held = 45 WHERE id = '\(a.id)'")
            let report = try await context.service.auditor.run()
            #expect(report.walletProblems.first?.reasons == [.heldDiffersFromHolds(held: 45, activeHolds: 40)])
            // Holds reserving more than the balance: available would be negative.
            try await context.sql("UPDATE wallets SET held = 4000 WHERE id = '\(a.id)'")
            try await context.sql("UPDATE holds SET amount = 4000 WHERE wallet_id = '\(a.id)'")
            let overdrawn = try await context.service.auditor.run()
            #expect(overdrawn.walletProblems.first?.reasons == [.holdsExceedBalance(balance: 650, unexpiredHolds: 4000)])
        }
    }

    @Test func aChangeMissingAnEventAndAnEventOfNothingAreNamed() async throws {
        try await WalletTestContext.run { context in
            let (a, _, _) = try await populate(context)
            let owner = try #require(a.ownerID.user)
            try await context.execute(.placeHold(wallet: a.id, amount: .of(40), expiresIn: .default), by: owner)
            #expect(try await context.service.auditor.run().eventProblems.isEmpty)
            let transfer = try #require(try await context.sql("SELECT id FROM transactions WHERE type = 'transfer' ORDER BY id LIMIT 1").first)
                .decode(String.self, "id")
            let hold = try #require(try await context.sql("SELECT id FROM holds").first).decode(String.self, "id")
            // A transfer between two owners has one event for each: one goes. The hold loses its only one.
            try await context.sql("DELETE FROM events WHERE subject_id = '\(transfer)' ORDER BY sequence LIMIT 1")
            try await context.sql("DELETE FROM events WHERE subject_id = '\(hold)'")
            try await context.sql(
                "INSERT INTO events (id, owner_id, type, data, created_at) VALUES ('evt_forged', '\(a.ownerID)', 'transaction.committed', '{\"id\":\"txn_none\"}', NOW(6))")
            let problems = try await context.service.auditor.run().eventProblems
            #expect(
                Set(problems.map(\.description)) == [
                    "\(transfer) has 1 events, not 2", "\(hold) has 0 events, not 1", "event evt_forged names nothing that exists",
                ], "\(problems)")
        }
    }
}
