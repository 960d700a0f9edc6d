import Foundation
import MariaDB

/// Finds the transactions that touch a principal's wallets, newest first, keyset-paged, every filter combinable.
///
/// Each page is one range read of an index, newest first, stopping after the page: `entries_listed_owner` (each
/// transaction listed once per owner, on the last entry it writes on the owner's wallets) or, with a wallet filter,
/// `entries_listed_wallet` (once per wallet). Both are ordered by `(created_at, id)`. The type and reference filters
/// are checked on the transaction, found by its primary key; the page's transactions are then read whole by
/// ``TransactionReader``.
public struct TransactionSearch: Sendable {
    /// Every SQL statement of the search.
    enum SQL {
        /// Where a cursor's page starts: the time of the entry it names, if that entry is on one of the viewer's
        /// wallets (a primary key read).
        static let selectCursorEntry = """
            SELECT e.created_at FROM entries e JOIN wallets w ON w.id = e.wallet_id WHERE e.id = ? AND w.owner_id = ?
            """

        /// The listed entries of one page: the viewer's (or one wallet's) entries that list a transaction, strictly
        /// between the lower time bound and the `(created_at, id)` upper bound, newest first. STRAIGHT_JOIN keeps
        /// the index range the driving table whatever the table statistics, so that the order comes from the index.
        static func page(byWallet: Bool, type: Bool, reference: Bool) -> String {
            let joinsTransactions = type || reference
            var text = "SELECT e.id, e.transaction_id FROM entries e"
            if joinsTransactions { text += " STRAIGHT_JOIN transactions t ON t.id = e.transaction_id" }
            text += byWallet ? " WHERE e.listed_wallet_id = ?" : " WHERE e.listed_owner_id = ?"
            text += " AND e.created_at > ? AND (e.created_at < ? OR (e.created_at = ? AND e.id < ?))"
            if type { text += " AND t.type = ?" }
            if reference { text += " AND t.reference = ?" }
            return text + " ORDER BY e.created_at DESC, e.id DESC LIMIT ?"
        }
    }

    /// Where a page ends (exclusive): entries before this time, or at it with a smaller id.
    struct UpperBound: Hashable, Sendable, Comparable {
        let createdAt: Date
        let entryID: Int64

        /// No bound: every entry lies before it.
        static let none = UpperBound(createdAt: LedgerTime.latest, entryID: .max)

        static func < (lhs: UpperBound, rhs: UpperBound) -> Bool {
            (lhs.createdAt, lhs.entryID) < (rhs.createdAt, rhs.entryID)
        }
    }

    let database: WalletDatabase

    /// Up to `pageSize` of `viewer`'s transactions that match `filter`, newest first, older than the entry that
    /// `cursor` names when given. Throws ``WalletError/walletNotFound`` when the filter's wallet is not `viewer`'s.
    ///
    /// Following ``TransactionPage/nextCursor`` visits every matching transaction exactly once: a transaction is
    /// listed on one entry per owner (and per wallet), and the pages follow that entry's `(created_at, id)`.
    public func transactions(
        visibleTo viewer: PrincipalID,
        matching filter: TransactionFilter,
        pageSize: PageSize = .default,
        after cursor: EntryCursor? = nil
    ) async throws -> TransactionPage {
        try await database.withCausalReads { connection in
            if let wallet = filter.walletID {
                let owner = try connection.execute(WalletStore.SQL.selectOwner, [.string(wallet.rawValue)]).first
                guard let owner, try owner.principal("owner_id") == viewer else { throw WalletError.walletNotFound }
            }
            var bound = UpperBound.none
            if let cursor {
                let row = try connection.execute(SQL.selectCursorEntry, [.int(cursor.lastSequence), .string(viewer.rawValue)]).first
                // A cursor that names no entry of the viewer's starts no page: nothing is older than it.
                guard let row else { return TransactionPage(transactions: [], nextCursor: nil) }
                bound = UpperBound(createdAt: try row.decode(Date.self, "created_at"), entryID: cursor.lastSequence)
            }
            let query = Self.pageQuery(visibleTo: viewer, matching: filter, before: bound, limit: pageSize.value + 1)
            let rows = try connection.execute(query.sql, query.parameters).rows
            let listed = try rows.prefix(pageSize.value).map { row in
                (entry: try row.decode(Int64.self, "id"), transaction: try row.identifier(TransactionID.self, "transaction_id"))
            }
            let transactions = try TransactionReader.transactions(listed.map(\.transaction), on: connection)
            let page = try listed.map { listed in
                guard let transaction = transactions[listed.transaction] else {
                    throw MariaDBError(kind: .decoding, message: "entry \(listed.entry) lists \(listed.transaction), which is not there")
                }
                return transaction
            }
            // One row more than the page shows whether an older page exists.
            let hasOlder = rows.count > pageSize.value
            return TransactionPage(transactions: page, nextCursor: hasOlder ? listed.last.map { EntryCursor(lastSequence: $0.entry) } : nil)
        }
    }

    /// The statement and parameters of one page: `limit` listed entries of `viewer`'s transactions matching
    /// `filter`, below `bound`. Bounds outside ``LedgerTime`` are clamped into it.
    static func pageQuery(
        visibleTo viewer: PrincipalID,
        matching filter: TransactionFilter,
        before bound: UpperBound,
        limit: Int
    ) -> (sql: String, parameters: [MariaDBValue]) {
        // An exclusive `created_before` is the bound (created_before, 0): entry ids start at 1.
        let upper = filter.createdBefore.map { min(bound, UpperBound(createdAt: LedgerTime.clamped($0), entryID: 0)) } ?? bound
        // Entries are written at the time of their movement, never at the earliest instant: `>` it keeps them all.
        let lower = filter.createdAfter.map(LedgerTime.clamped) ?? LedgerTime.earliest
        var parameters: [MariaDBValue] = [
            .string(filter.walletID?.rawValue ?? viewer.rawValue),
            .date(lower), .date(upper.createdAt), .date(upper.createdAt), .int(upper.entryID),
        ]
        if let type = filter.type { parameters.append(.string(type.rawValue)) }
        if let reference = filter.reference { parameters.append(.string(reference.rawValue)) }
        parameters.append(.int(Int64(limit)))
        let sql = SQL.page(byWallet: filter.walletID != nil, type: filter.type != nil, reference: filter.reference != nil)
        return (sql, parameters)
    }
}
