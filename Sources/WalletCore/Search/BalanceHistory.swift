public import Foundation
import MariaDB

/// A wallet's balance over time: at an instant, and statements of a period (opening balance, every entry,
/// closing balance), read in pages so that no connection is held while a statement is sent.
///
/// Every read is owner-checked: another principal's wallet answers exactly like an unknown one.
public struct BalanceHistory: Sendable {
    /// Entries per page of a statement unless told otherwise: each page is one short pooled query, and a page's
    /// rows stay small in memory.
    public static let defaultStatementPageSize = 500

    /// Every SQL statement of balances over time.
    enum SQL {
        static let selectWallet = "SELECT owner_id, currency FROM wallets WHERE id = ?"
        /// The last entry listed for the wallet at or before an instant: one range read of `entries_listed_wallet`,
        /// newest first (entries' times never decrease along a wallet's history, and the index appends the id).
        static let selectBalanceAt = """
            SELECT id, transaction_id, balance_after FROM entries
            WHERE listed_wallet_id = ? AND created_at <= ? ORDER BY created_at DESC, id DESC LIMIT 1
            """
        /// The last entries listed for the wallet before the end and before the start of a period, in one statement
        /// so that both come from one snapshot.
        static let selectStatementBounds = """
            (SELECT 'closing' AS bound, id, balance_after FROM entries
                WHERE listed_wallet_id = ? AND created_at < ? ORDER BY created_at DESC, id DESC LIMIT 1)
            UNION ALL
            (SELECT 'opening' AS bound, id, balance_after FROM entries
                WHERE listed_wallet_id = ? AND created_at < ? ORDER BY created_at DESC, id DESC LIMIT 1)
            """
        /// A page of a statement's entries, oldest first, on the `(wallet_id, id)` index.
        static let selectStatementPage = """
            SELECT \(WalletEntry.columns) FROM entries e JOIN transactions t ON t.id = e.transaction_id
            WHERE e.wallet_id = ? AND e.id > ? AND e.id <= ? ORDER BY e.id LIMIT ?
            """
    }

    let database: WalletDatabase
    /// Entries per page of a statement.
    let statementPageSize: Int

    init(database: WalletDatabase, statementPageSize: Int = Self.defaultStatementPageSize) {
        precondition(statementPageSize > 0, "a page holds at least one entry")
        self.database = database
        self.statementPageSize = statementPageSize
    }

    /// The balance of wallet `id` at `instant` (clamped into ``LedgerTime``); throws ``WalletError/walletNotFound``
    /// when the wallet is not `owner`'s.
    public func balance(of id: WalletID, ownedBy owner: PrincipalID, at instant: Date) async throws -> BalanceAtInstant {
        let at = LedgerTime.clamped(instant).atMicrosecondPrecision
        return try await database.withCausalReads { connection in
            let currency = try Self.currency(of: id, ownedBy: owner, on: connection)
            let row = try connection.execute(SQL.selectBalanceAt, [.string(id.rawValue), .date(at)]).first
            return BalanceAtInstant(
                walletID: id,
                currency: currency,
                balance: try row?.decode(Int64.self, "balance_after") ?? 0,
                at: at,
                entryID: try row?.decode(Int64.self, "id"),
                transactionID: try row?.identifier(TransactionID.self, "transaction_id")
            )
        }
    }

    /// The statement of wallet `id` for `period`, its entries still to be read with ``forEachPage(of:_:)``; throws
    /// ``WalletError/walletNotFound`` when the wallet is not `owner`'s.
    public func statement(of id: WalletID, ownedBy owner: PrincipalID, period: StatementPeriod) async throws -> Statement {
        try await database.withCausalReads { connection in
            let currency = try Self.currency(of: id, ownedBy: owner, on: connection)
            let rows = try connection.execute(
                SQL.selectStatementBounds,
                [.string(id.rawValue), .date(period.to), .string(id.rawValue), .date(period.from)]
            ).rows
            var bounds: [String: (id: Int64, balance: Int64)] = [:]
            for row in rows {
                bounds[try row.decode(String.self, "bound")] = (try row.decode(Int64.self, "id"), try row.decode(Int64.self, "balance_after"))
            }
            return Statement(
                walletID: id,
                currency: currency,
                period: period,
                openingBalance: bounds["opening"]?.balance ?? 0,
                closingBalance: bounds["closing"]?.balance ?? 0,
                openingEntryID: bounds["opening"]?.id ?? 0,
                closingEntryID: bounds["closing"]?.id ?? 0
            )
        }
    }

    /// Reads the entries of `statement`, oldest first, a page at a time, and hands each page to
    /// `body` with no connection held. Checks that every entry's `balance_after` is the balance before it plus its
    /// amount and that they lead to the closing balance; throws ``StatementInconsistency`` where they do not.
    public func forEachPage(of statement: Statement, _ body: ([WalletEntry]) async throws -> Void) async throws {
        var lastEntryID = statement.openingEntryID
        var balance = statement.openingBalance
        // Each page moves lastEntryID up by at least one, towards closingEntryID.
        while lastEntryID < statement.closingEntryID {
            let after = lastEntryID
            let pageSize = Int64(statementPageSize)
            let page = try await database.withCausalReads { connection in
                try connection.execute(
                    SQL.selectStatementPage,
                    [.string(statement.walletID.rawValue), .int(after), .int(statement.closingEntryID), .int(pageSize)]
                ).rows.map { try $0.walletEntry() }
            }
            guard let last = page.last else { break }
            for entry in page {
                guard balance + entry.amount == entry.balanceAfter else {
                    throw StatementInconsistency(
                        walletID: statement.walletID,
                        detail: "entry \(entry.sequence) moves \(entry.amount) from \(balance) to \(entry.balanceAfter)"
                    )
                }
                balance = entry.balanceAfter
            }
            lastEntryID = last.sequence
            try await body(page)
        }
        guard lastEntryID == statement.closingEntryID, balance == statement.closingBalance else {
            throw StatementInconsistency(
                walletID: statement.walletID,
                detail: "the entries end at entry \(lastEntryID) with \(balance), the closing entry is \(statement.closingEntryID) with \(statement.closingBalance)"
            )
        }
    }

    /// The currency of wallet `id`; throws ``WalletError/walletNotFound`` when it is not `owner`'s.
    private static func currency(of id: WalletID, ownedBy owner: PrincipalID, on connection: MariaDBConnection) throws -> Currency {
        guard let row = try connection.execute(SQL.selectWallet, [.string(id.rawValue)]).first, try row.principal("owner_id") == owner else {
            throw WalletError.walletNotFound
        }
        return try row.currency("currency")
    }
}
