import Foundation
import MariaDB

/// Holds, read side: one hold, a wallet's holds page by page, and what the sweeper expires next. Placing,
/// capturing, voiding and expiring are money movements (``MoneyMovements``).
///
/// Every read is owner-checked: a hold on another principal's wallet answers exactly like an unknown one, and every
/// hold is shown as of the read (``Hold/asOf(_:)``): active until its `expires_at`, expired from then on.
public struct HoldStore: Sendable {
    /// Every SQL statement of the read side.
    enum SQL {
        static let holdColumns = """
            id, wallet_id, amount, currency, status, captured_amount, transaction_id, reference, description, metadata, version, expires_at, created_at, resolved_at
            """
        static let selectHold = """
            SELECT \(holdColumns), (SELECT owner_id FROM wallets w WHERE w.id = holds.wallet_id) AS wallet_owner FROM holds WHERE id = ?
            """
        static let selectWalletOfHold = "SELECT wallet_id FROM holds WHERE id = ?"
        /// Newest first, strictly older than the cursor, on the `(wallet_id, id)` index, with a status filter.
        static func selectPage(filter: String) -> String {
            "SELECT \(holdColumns) FROM holds WHERE wallet_id = ? AND id < ?\(filter) ORDER BY id DESC LIMIT ?"
        }
        /// The status filters of a page: as of the instant of their `?`, where one is needed.
        static let statusFilters: [HoldStatus: String] = [
            .active: " AND status = 'active' AND expires_at > ?",
            .expired: " AND (status = 'expired' OR (status = 'active' AND expires_at <= ?))",
            .captured: " AND status = 'captured'",
            .voided: " AND status = 'voided'",
        ]
        /// Active holds past their time, oldest due first, on the `(status, expires_at)` index.
        static let selectDue = "SELECT id, wallet_id, principal_id FROM holds WHERE status = 'active' AND expires_at <= ? ORDER BY expires_at LIMIT ?"
    }

    /// Sorts after every hold id in the binary collation: the cursor of the first page.
    private static let afterEveryID = "~"

    let database: WalletDatabase

    /// The hold `id` as of now if it is on one of `viewer`'s wallets; else ``WalletError/holdNotFound``.
    public func hold(_ id: HoldID, visibleTo viewer: PrincipalID) async throws -> Hold {
        let now = Date()
        let hold: Hold? = try await database.withCausalReads { connection in
            guard let row = try connection.execute(SQL.selectHold, [.string(id.rawValue)]).first,
                try row.principal("wallet_owner") == viewer
            else { return nil }
            return try Self.hold(from: row)
        }
        guard let hold else { throw WalletError.holdNotFound }
        return hold.asOf(now)
    }

    /// One page of the holds of wallet `id`, newest first, those with `status` (as of now) only when given,
    /// starting after `cursor`; throws ``WalletError/walletNotFound`` when the wallet is not `owner`'s.
    public func holds(
        of id: WalletID,
        ownedBy owner: PrincipalID,
        status: HoldStatus? = nil,
        pageSize: PageSize = .default,
        after cursor: HoldID? = nil
    ) async throws -> HoldPage {
        let now = Date()
        let rows: [Hold]? = try await database.withCausalReads { connection in
            guard let ownerRow = try connection.execute(WalletStore.SQL.selectOwner, [.string(id.rawValue)]).first,
                try ownerRow.principal("owner_id") == owner
            else { return nil }
            var parameters: [MariaDBValue] = [.string(id.rawValue), .string(cursor?.rawValue ?? Self.afterEveryID)]
            let filter = status.map { SQL.statusFilters[$0]! } ?? ""
            if filter.contains("?") { parameters.append(.date(now)) }
            // One row more than the page shows whether an older page exists.
            parameters.append(.int(Int64(pageSize.value + 1)))
            return try connection.execute(SQL.selectPage(filter: filter), parameters).rows.map(Self.hold(from:))
        }
        guard let rows else { throw WalletError.walletNotFound }
        let page = rows.prefix(pageSize.value).map { $0.asOf(now) }
        return HoldPage(holds: page, nextCursor: rows.count > pageSize.value ? page.last?.id : nil)
    }

    /// The wallet of hold `id`, or nil when there is no such hold: where a movement on the hold waits its turn.
    func walletID(of id: HoldID) async throws -> WalletID? {
        try await database.findCausallyOnMiss { connection in
            try connection.execute(SQL.selectWalletOfHold, [.string(id.rawValue)]).first.map { try $0.identifier(WalletID.self, "wallet_id") }
        }
    }

    /// Up to `limit` active holds whose time came by `now`, oldest due first, with their wallets and placers.
    func due(at now: Date, limit: Int) async throws -> [(hold: HoldID, wallet: WalletID, placer: PrincipalID)] {
        try await database.withConnection { connection in
            try connection.execute(SQL.selectDue, [.date(now), .int(Int64(limit))]).rows.map { row in
                (try row.identifier(HoldID.self, "id"), try row.identifier(WalletID.self, "wallet_id"), try row.principal("principal_id"))
            }
        }
    }

    /// Decodes a row of ``SQL/holdColumns``, as stored.
    static func hold(from row: MariaDBRow) throws -> Hold {
        Hold(
            id: try row.identifier(HoldID.self, "id"),
            walletID: try row.identifier(WalletID.self, "wallet_id"),
            amount: try row.amount("amount"),
            currency: try row.currency("currency"),
            status: try row.decode("status", as: "a hold status") { (name: String) in HoldStatus(rawValue: name) },
            capturedAmount: try row.decode(Int64.self, "captured_amount"),
            transactionID: try row.decode(String?.self, "transaction_id") == nil ? nil : try row.identifier(TransactionID.self, "transaction_id"),
            details: try row.details(),
            version: try row.decode(Int64.self, "version"),
            expiresAt: try row.decode(Date.self, "expires_at"),
            createdAt: try row.decode(Date.self, "created_at"),
            resolvedAt: try row.decode(Date?.self, "resolved_at")
        )
    }
}
