import Foundation
import MariaDB

extension WalletEntry {
    /// The columns of a history line, from entries `e` joined to their transactions `t`.
    static let columns = "e.id, e.transaction_id, t.type, e.amount, e.balance_after, e.created_at, t.reference, t.description, t.metadata"
}

extension MariaDBRow {
    /// Decodes a row of ``WalletEntry/columns``.
    func walletEntry() throws(MariaDBError) -> WalletEntry {
        WalletEntry(
            sequence: try decode(Int64.self, "id"),
            transactionID: try identifier(TransactionID.self, "transaction_id"),
            type: try transactionType("type"),
            amount: try decode(Int64.self, "amount"),
            balanceAfter: try decode(Int64.self, "balance_after"),
            createdAt: try decode(Date.self, "created_at"),
            details: try details()
        )
    }
}
