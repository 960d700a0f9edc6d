import Foundation
import MariaDB
import TestSupport
import Testing

@testable import WalletCore

/// Every statement of the search, of balances at an instant and of statements, explained on a ledger of realistic
/// shape (many principals, wallets in two currencies, deposits, withdrawals and transfers, some with references):
/// none may read `entries` or `transactions` whole (`type` ALL, or `index`: the whole of an index), and the
/// paged reads must take their order from the index (no filesort), so that each costs a page, not a history.
@Suite("Query plans of the read side")
struct QueryPlanTests {
    /// The tables whose full scans are refused, by the names (and aliases) the statements give them.
    static let guardedTables: Set<String> = ["entries", "e", "transactions", "t"]

    /// One explained statement: its plan rows, as `(table, type, key, extra)`.
    struct Plan: CustomStringConvertible {
        let name: String
        let rows: [(table: String, type: String, key: String?, extra: String)]

        var description: String {
            "\(name): " + rows.map { "\($0.table) \($0.type) \($0.key ?? "-") [\($0.extra)]" }.joined(separator: "; ")
        }
    }

    static func explain(_ name: String, _ sql: String, _ parameters: [MariaDBValue], _ context: WalletTestContext) async throws -> Plan {
        let rows = try await context.pool.withConnection { connection in
            try connection.execute("EXPLAIN " + sql, parameters).rows.map { row in
                (
                    table: try row.decode(String?.self, "table") ?? "",
                    type: try row.decode(String?.self, "type") ?? "",
                    key: try row.decode(String?.self, "key"),
                    extra: try row.decode(String?.self, "Extra") ?? ""
                )
            }
        }
        return Plan(name: name, rows: rows)
    }

    /// Records an issue for each full scan of a guarded table in `plan`, for a filesort when `ordered`, and when
    /// the first table is not read through `drivingKey`.
    static func expectIndexed(_ plan: Plan, drivingKey: String, ordered: Bool = true) {
        #expect(plan.rows.first?.key == drivingKey, "\(plan)")
        for row in plan.rows where guardedTables.contains(row.table) {
            #expect(row.type != "ALL" && row.type != "index", "a full scan: \(plan)")
        }
        if ordered { #expect(!plan.rows.contains { $0.extra.contains("filesort") }, "sorted after reading: \(plan)") }
    }

    /// 24 principals with three wallets each and about 900 transactions between them: enough that a full scan is
    /// never the cheap plan. Returns a busy user's wallets.
    static func makeLedger(_ context: WalletTestContext) async throws -> (owner: PrincipalID, wallets: [Wallet]) {
        var allUsers: [User] = []
        var allWallets: [[Wallet]] = []
        for _ in 0..<24 {
            let user = try await context.makeUser()
            allUsers.append(user)
            allWallets.append([
                try await context.makeWallet(for: user, balance: 1_000_000),
                try await context.makeWallet(for: user, balance: 1_000_000),
                try await context.makeWallet(for: user, currency: "EUR", balance: 1_000_000),
            ])
        }
        let (users, wallets) = (allUsers, allWallets)
        // Four writers at once, each with its share of the movements.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    var generator = SystemRandomNumberGenerator()
                    for index in 0..<200 {
                        let from = Int.random(in: 0..<users.count, using: &generator)
                        let to = Int.random(in: 0..<users.count, using: &generator)
                        let amount = Amount.of(Int64.random(in: 1...500, using: &generator))
                        switch index % 4 {
                        case 0:
                            try await context.execute(
                                .deposit(wallet: wallets[from][index % 3].id, amount: .of(100)),
                                details: MovementDetails(reference: MovementReference("ord_\(writer)_\(index % 10)")), by: users[from].id)
                        case 1: try await context.execute(.withdrawal(wallet: wallets[from][2].id, amount: amount), by: users[from].id)
                        case 2: try await context.execute(.transfer(from: wallets[from][0].id, to: wallets[from][1].id, amount: amount), by: users[from].id)
                        default:
                            if from != to { try await context.execute(.transfer(from: wallets[from][1].id, to: wallets[to][0].id, amount: amount), by: users[from].id) }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        try await context.sql("ANALYZE TABLE entries, transactions, wallets")
        return (.user(users[0].id), wallets[0])
    }

    @Test func noReadOfTheSearchBalancesOrStatementsScansTheLedger() async throws {
        try await WalletTestContext.run { context in
            let (owner, wallets) = try await Self.makeLedger(context)
            #expect(try await context.count("entries") > 1_500)
            let listed = try await context.sql(
                "SELECT id, created_at FROM entries WHERE listed_owner_id = '\(owner.rawValue)' ORDER BY created_at, id"
            )
            let middle = listed[listed.count / 2]
            let cursor = TransactionSearch.UpperBound(createdAt: try middle.decode(Date.self, "created_at"), entryID: try middle.decode(Int64.self, "id"))
            let instant = cursor.createdAt
            var explained = 0
            for wallet in [nil, wallets[0].id] {
                for type in [nil, TransactionType.transfer] {
                    for reference in [nil, MovementReference("ord_0_1")] {
                        for after in [nil, instant - 3_600] {
                            for before in [nil, instant + 60] {
                                for bound in [TransactionSearch.UpperBound.none, cursor] {
                                    let filter = TransactionFilter(walletID: wallet, type: type, reference: reference, createdAfter: after, createdBefore: before)
                                    let query = TransactionSearch.pageQuery(visibleTo: owner, matching: filter, before: bound, limit: 21)
                                    let plan = try await Self.explain("search \(filter) below \(bound)", query.sql, query.parameters, context)
                                    Self.expectIndexed(plan, drivingKey: wallet == nil ? "entries_listed_owner" : "entries_listed_wallet")
                                    explained += 1
                                }
                            }
                        }
                    }
                }
            }
            #expect(explained == 64)

            let wallet = MariaDBValue.string(wallets[0].id.rawValue)
            let cursorEntry = try await Self.explain(
                "cursor entry", TransactionSearch.SQL.selectCursorEntry, [.int(cursor.entryID), .string(owner.rawValue)], context
            )
            Self.expectIndexed(cursorEntry, drivingKey: "PRIMARY", ordered: false)
            let ids = try await context.sql("SELECT transaction_id FROM entries WHERE listed_owner_id = '\(owner.rawValue)' LIMIT 16")
                .map { MariaDBValue.string(try $0.decode(String.self, "transaction_id")) }
            #expect(ids.count == 16)
            for (name, statement) in [
                ("transactions", TransactionReader.SQL.selectTransactions), ("legs", TransactionReader.SQL.selectEntries),
                ("reversals", TransactionReader.SQL.selectReversals),
            ] {
                let plan = try await Self.explain("reader: \(name)", statement.text(rows: 16), ids, context)
                for row in plan.rows where Self.guardedTables.contains(row.table) {
                    #expect(row.type != "ALL" && row.type != "index", "a full scan: \(plan)")
                }
            }
            let balanceAt = try await Self.explain("balance at", BalanceHistory.SQL.selectBalanceAt, [wallet, .date(instant)], context)
            Self.expectIndexed(balanceAt, drivingKey: "entries_listed_wallet")
            #expect(balanceAt.rows.count == 1, "one index range read: \(balanceAt)")
            let bounds = try await Self.explain(
                "statement bounds", BalanceHistory.SQL.selectStatementBounds, [wallet, .date(instant + 60), wallet, .date(instant - 3_600)], context
            )
            #expect(bounds.rows.filter { $0.table == "entries" }.count == 2 && bounds.rows.filter { $0.table == "entries" }.allSatisfy { $0.key == "entries_listed_wallet" }, "\(bounds)")
            for row in bounds.rows where Self.guardedTables.contains(row.table) {
                #expect(row.type != "ALL" && row.type != "index" && !row.extra.contains("filesort"), "\(bounds)")
            }
            let statementPage = try await Self.explain(
                "statement page", BalanceHistory.SQL.selectStatementPage, [wallet, .int(0), .int(cursor.entryID), .int(500)], context
            )
            Self.expectIndexed(statementPage, drivingKey: "entries_wallet")
            let history = try await Self.explain("history page", WalletStore.SQL.selectEntryPage, [wallet, .int(.max), .int(21)], context)
            Self.expectIndexed(history, drivingKey: "entries_wallet")
        }
    }

    /// The audit reads every change, but each change's events by their subject: grouping all events by the JSON of
    /// their data, as it once did, took longer than 10 minutes on 230,000 events.
    @Test func theEventAuditLooksUpEachChangesEventsBySubject() async throws {
        try await WalletTestContext.run { context in
            _ = try await Self.makeLedger(context)
            try await context.sql("ANALYZE TABLE events, holds")
            let since = MariaDBValue.date(Date(timeIntervalSince1970: 0))
            for (name, statement) in [
                ("transaction events", LedgerAuditor.EventSQL.transactionEventMismatches),
                ("hold events", LedgerAuditor.EventSQL.holdEventMismatches),
            ] {
                let plan = try await Self.explain(name, statement, [since, .int(1_001)], context)
                let events = plan.rows.filter { $0.table == "ev" }
                #expect(events.count == 1 && events.allSatisfy { $0.type == "ref" && $0.key == "events_subject" }, "\(plan)")
            }
            let orphans = try await Self.explain("events of nothing", LedgerAuditor.EventSQL.eventsOfNothing, [.int(1_001)], context)
            for row in orphans.rows where ["t", "h", "w"].contains(row.table) {
                #expect(row.type == "eq_ref" && row.key == "PRIMARY", "\(orphans)")
            }
        }
    }
}
