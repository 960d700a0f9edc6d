import Foundation
import MariaDB

/// Reads committed transactions with every leg, their details, the hold a capture resolved and their reversals:
/// the one source of the transaction representation for single reads, searches and reversals.
enum TransactionReader {
    /// Every SQL statement of the reader.
    enum SQL {
        static let selectTransactions = MultiRowStatement(
            prefix: """
                SELECT t.id, t.type, t.amount, t.currency, t.legs, t.reverses, t.reference, t.description, t.metadata, t.reason,
                    t.created_at, h.id AS hold_id
                FROM transactions t LEFT JOIN holds h ON h.transaction_id = t.id
                WHERE t.id IN (
                """,
            row: "?", suffix: ")"
        )
        /// Every leg, in order, the external one with NULL wallet columns.
        static let selectEntries = MultiRowStatement(
            prefix: """
                SELECT e.transaction_id, e.wallet_id, e.amount, e.balance_after, w.owner_id AS wallet_owner
                FROM entries e LEFT JOIN wallets w ON w.id = e.wallet_id
                WHERE e.transaction_id IN (
                """,
            row: "?", suffix: ") ORDER BY e.id"
        )
        static let selectWalletIDs = "SELECT DISTINCT wallet_id FROM entries WHERE transaction_id = ? AND wallet_id IS NOT NULL ORDER BY wallet_id"
        /// The reversals of the transactions, oldest first (ids follow creation time).
        static let selectReversals = MultiRowStatement(
            prefix: "SELECT reverses, id, amount FROM transactions WHERE reverses IN (", row: "?", suffix: ") ORDER BY id"
        )
    }

    /// The wallets transaction `id` touches, in ascending order; none when there is no such transaction.
    static func walletIDs(of id: TransactionID, on connection: MariaDBConnection) throws -> [WalletID] {
        try connection.execute(SQL.selectWalletIDs, [.string(id.rawValue)]).rows.map { try $0.identifier(WalletID.self, "wallet_id") }
    }

    /// The transactions among `ids` that exist, by id, as `connection` sees them.
    static func transactions(_ ids: [TransactionID], on connection: MariaDBConnection) throws -> [TransactionID: LedgerTransaction] {
        var entries: [TransactionID: [LedgerEntry]] = [:]
        var reversals: [TransactionID: (ids: [TransactionID], amount: Int64)] = [:]
        var rows: [MariaDBRow] = []
        for chunk in MultiRowStatement.chunks(of: Array(Set(ids)).sorted()) {
            let parameters = chunk.map { MariaDBValue.string($0.rawValue) }
            rows += try connection.execute(SQL.selectTransactions.text(rows: chunk.count), parameters).rows
            for row in try connection.execute(SQL.selectEntries.text(rows: chunk.count), parameters).rows {
                entries[try row.identifier(TransactionID.self, "transaction_id"), default: []].append(try entry(from: row))
            }
            for row in try connection.execute(SQL.selectReversals.text(rows: chunk.count), parameters).rows {
                let original = try row.identifier(TransactionID.self, "reverses")
                reversals[original, default: ([], 0)].ids.append(try row.identifier(TransactionID.self, "id"))
                // A reversal of a transaction in several currencies has no amount: it is reversed whole, once.
                reversals[original]!.amount += try row.decode(Int64?.self, "amount") ?? 0
            }
        }
        var transactions: [TransactionID: LedgerTransaction] = [:]
        for row in rows {
            let id = try row.identifier(TransactionID.self, "id")
            var transaction = LedgerTransaction(
                id: id,
                type: try row.transactionType("type"),
                amount: try row.decode(Int64?.self, "amount") == nil ? nil : try row.amount("amount"),
                currency: try row.decode(String?.self, "currency") == nil ? nil : try row.currency("currency"),
                legs: Int(try row.decode(Int64.self, "legs")),
                createdAt: try row.decode(Date.self, "created_at"),
                holdID: try row.optionalIdentifier(HoldID.self, "hold_id"),
                reverses: try row.optionalIdentifier(TransactionID.self, "reverses"),
                details: try row.details(),
                reason: try row.optionalDescription("reason"),
                entries: entries[id] ?? []
            )
            transaction.reversalIDs = reversals[id]?.ids ?? []
            transaction.reversedAmount = reversals[id]?.amount ?? 0
            transactions[id] = transaction
        }
        return transactions
    }

    /// Decodes a row of ``SQL/selectEntries``.
    private static func entry(from row: MariaDBRow) throws -> LedgerEntry {
        let amount = try row.decode(Int64.self, "amount")
        guard try row.decode(String?.self, "wallet_id") != nil else { return LedgerEntry(account: .external, amount: amount) }
        let account = LedgerEntry.Account.wallet(
            try row.identifier(WalletID.self, "wallet_id"), owner: try row.principal("wallet_owner"),
            balanceAfter: try row.decode(Int64.self, "balance_after")
        )
        return LedgerEntry(account: account, amount: amount)
    }
}
