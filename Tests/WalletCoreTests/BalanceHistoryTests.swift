import Foundation
import MariaDB
import TestSupport
import Testing

@testable import WalletCore

/// Balances at an instant and statements against MariaDB, checked against a replay of the wallet's entries.
@Suite("Balance history against MariaDB")
struct BalanceHistoryTests {
    /// One entry of the wallet, as stored.
    struct StoredEntry {
        let id: Int64
        let transaction: TransactionID
        let amount: Int64
        let balanceAfter: Int64
        let createdAt: Date
    }

    /// The wallet's entries in id order.
    static func entries(of wallet: Wallet, _ context: WalletTestContext) async throws -> [StoredEntry] {
        try await context.sql(
            "SELECT id, transaction_id, amount, balance_after, created_at FROM entries WHERE wallet_id = '\(wallet.id)' ORDER BY id"
        ).map { row in
            StoredEntry(
                id: try row.decode(Int64.self, "id"),
                transaction: TransactionID(try row.decode(String.self, "transaction_id"))!,
                amount: try row.decode(Int64.self, "amount"),
                balanceAfter: try row.decode(Int64.self, "balance_after"),
                createdAt: try row.decode(Date.self, "created_at")
            )
        }
    }

    /// A history of deposits, withdrawals and transfers both ways on `wallet` (some with details), `count` long.
    static func makeHistory(of wallet: Wallet, with other: Wallet, by user: User, count: Int, _ context: WalletTestContext) async throws {
        var generator = SystemRandomNumberGenerator()
        for index in 0..<count {
            let amount = Amount.of(Int64.random(in: 1...90, using: &generator))
            switch index % 5 {
            case 0, 1: try await context.execute(.deposit(wallet: wallet.id, amount: .of(100)), by: user.id)
            case 2: try await context.execute(.withdrawal(wallet: wallet.id, amount: amount), by: user.id)
            case 3: try await context.execute(.transfer(from: other.id, to: wallet.id, amount: amount), by: user.id)
            default:
                let details = MovementDetails(reference: MovementReference("ord_\(index)"), description: MovementDescription("note \(index)"))
                try await context.execute(.deposit(wallet: wallet.id, amount: .of(7)), details: details, by: user.id)
            }
            if index % 7 == 6 { try await context.execute(.transfer(from: wallet.id, to: other.id, amount: amount), by: user.id) }
        }
    }

    @Test func theBalanceAtAnInstantIsTheReplayOfTheHistoryUpToIt() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let owner = PrincipalID.user(user.id)
            let wallet = try await context.makeWallet(for: user)
            let other = try await context.makeWallet(for: user, balance: 100_000)
            let balances = context.service.balances
            let empty = try await balances.balance(of: wallet.id, ownedBy: owner, at: Date())
            #expect(empty.balance == 0 && empty.entryID == nil && empty.transactionID == nil && empty.currency.code == "USD")
            try await Self.makeHistory(of: wallet, with: other, by: user, count: 30, context)
            let entries = try await Self.entries(of: wallet, context)
            #expect(entries.count > 30)
            let microsecond = 0.000_001
            var instants = [Date.distantPast, LedgerTime.earliest, entries[0].createdAt - 1, Date.distantFuture, Date()]
            for entry in entries { instants += [entry.createdAt - microsecond, entry.createdAt, entry.createdAt + microsecond] }
            var generator = SystemRandomNumberGenerator()
            let span = entries.last!.createdAt.timeIntervalSince(entries[0].createdAt)
            for _ in 0..<30 { instants.append(entries[0].createdAt + Double.random(in: 0...span, using: &generator)) }
            for instant in instants {
                let at = LedgerTime.clamped(instant).atMicrosecondPrecision
                let upTo = entries.filter { $0.createdAt <= at }
                let read = try await balances.balance(of: wallet.id, ownedBy: owner, at: instant)
                #expect(read.balance == upTo.reduce(0) { $0 + $1.amount }, "the replay up to \(at)")
                #expect(read.entryID == upTo.last?.id && read.transactionID == upTo.last?.transaction)
                #expect(read.balance == upTo.last?.balanceAfter ?? 0, "the balance_after of the entry it names")
                #expect(read.at == at && read.walletID == wallet.id)
            }
            #expect(try await balances.balance(of: wallet.id, ownedBy: owner, at: Date()).balance == (try await context.balance(of: wallet)))
            await #expect {
                try await balances.balance(of: wallet.id, ownedBy: .user(try await context.makeUser().id), at: Date())
            } throws: { ($0 as? WalletError)?.caseName == "walletNotFound" }
        }
    }

    @Test func aStatementOpensWithTheBalanceBeforeItListsEveryEntryInItAndClosesWithTheirSum() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let owner = PrincipalID.user(user.id)
            let wallet = try await context.makeWallet(for: user)
            let other = try await context.makeWallet(for: user, balance: 100_000)
            try await Self.makeHistory(of: wallet, with: other, by: user, count: 25, context)
            let entries = try await Self.entries(of: wallet, context)
            // Pages of 4, so that every statement but the smallest takes several.
            let balances = BalanceHistory(database: WalletDatabase(pool: context.pool), statementPageSize: 4)
            let first = entries[0].createdAt
            let last = entries.last!.createdAt
            let periods = [
                (first, last + 0.000_001), (first - 60, first), (entries[5].createdAt, entries[20].createdAt),
                (entries[3].createdAt + 0.000_001, last), (last + 0.000_001, last + 60), (first - 3_600, last + 3_600),
            ]
            for (from, to) in periods {
                let period = try StatementPeriod(from: from, to: to)
                let statement = try await balances.statement(of: wallet.id, ownedBy: owner, period: period)
                var listed: [WalletEntry] = []
                var pages = 0
                try await balances.forEachPage(of: statement) { page in
                    #expect(page.count <= 4)
                    listed += page
                    pages += 1
                }
                let inPeriod = entries.filter { $0.createdAt >= period.from && $0.createdAt < period.to }
                #expect(listed.map(\.sequence) == inPeriod.map(\.id), "every entry of [\(period.from), \(period.to)), in order")
                #expect(pages == (inPeriod.count + 3) / 4)
                #expect(statement.openingBalance == entries.filter { $0.createdAt < period.from }.reduce(0) { $0 + $1.amount })
                #expect(statement.openingBalance + listed.reduce(0) { $0 + $1.amount } == statement.closingBalance)
                #expect(statement.closingBalance == entries.filter { $0.createdAt < period.to }.reduce(0) { $0 + $1.amount })
                #expect(listed.allSatisfy { entry in entry.details.reference == nil || entry.details.description != nil })
            }
        }
    }

    @Test func aStatementIsTheLedgerAsOfItsFirstReadWhileMovementsGoOn() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user, balance: 1_000)
            let balances = BalanceHistory(database: WalletDatabase(pool: context.pool), statementPageSize: 2)
            for _ in 0..<5 { try await context.execute(.withdrawal(wallet: wallet.id, amount: .of(10)), by: user.id) }
            let period = try StatementPeriod(from: Date() - 3_600, to: Date() + 3_600)
            let statement = try await balances.statement(of: wallet.id, ownedBy: .user(user.id), period: period)
            #expect(statement.openingBalance == 0 && statement.closingBalance == 950)
            var listed: [WalletEntry] = []
            try await balances.forEachPage(of: statement) { page in
                listed += page
                // Movements that commit while the statement is sent are in the next statement, not in this one.
                try await context.execute(.deposit(wallet: wallet.id, amount: .of(5)), by: user.id)
            }
            #expect(listed.count == 6 && listed.reduce(0) { $0 + $1.amount } == 950)
            #expect(try await context.balance(of: wallet) == 950 + 5 * 3)
        }
    }

    @Test func aPeriodRunsForwardAndAtMostNinetyTwoDays() throws {
        let from = Date(timeIntervalSince1970: 1_717_200_000)
        #expect(throws: StatementPeriod.Violation.empty) { try StatementPeriod(from: from, to: from) }
        #expect(throws: StatementPeriod.Violation.empty) { try StatementPeriod(from: from, to: from - 1) }
        #expect(throws: StatementPeriod.Violation.tooLong) { try StatementPeriod(from: from, to: from + 92 * 86_400 + 0.000_001) }
        #expect(try StatementPeriod(from: from, to: from + 92 * 86_400).to == from + 92 * 86_400)
        let clamped = try StatementPeriod(from: .distantPast, to: LedgerTime.earliest + 60)
        #expect(clamped.from == LedgerTime.earliest, "clamped into the ledger's range")
        #expect(throws: StatementPeriod.Violation.empty, "both ends past the ledger's range are one instant") {
            try StatementPeriod(from: LedgerTime.latest + 1, to: LedgerTime.latest + 2)
        }
    }
}
