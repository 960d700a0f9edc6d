public import Foundation
import MariaDB

/// Wallets and their ledger, read side: creating wallets, listing and reading them, a transaction, a history page.
///
/// Every read is owner-checked: another principal's wallet answers exactly like an unknown one.
public struct WalletStore: Sendable {
    /// Every SQL statement of the read side.
    enum SQL {
        static let insertWallet = """
            INSERT INTO wallets (id, owner_id, owner_ref, currency, balance, version, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0, ?, ?)
            """
        /// The columns of a wallet `w`, its `held` as of the instant of the one `?` parameter: the stored sum of its
        /// active holds less those past their time that the sweeper has not marked yet (the `holds_wallet_active`
        /// index finds them; a wallet without holds costs no lookup).
        /// The columns of a wallet `w` as stored: `held` still counts its holds past their time that the sweeper
        /// has not marked yet.
        static let storedWalletColumns = "w.id, w.owner_id, w.owner_ref, w.currency, w.balance, w.held, w.version, w.created_at, w.updated_at"
        static let walletColumns = """
            w.id, w.owner_id, w.owner_ref, w.currency, w.balance, CAST(w.held - IF(w.held = 0, 0, (SELECT COALESCE(SUM(h.amount), 0) \
            FROM holds h WHERE h.wallet_id = w.id AND h.status = 'active' AND h.expires_at <= ?)) AS SIGNED) AS held, \
            w.version, w.created_at, w.updated_at
            """
        /// Keyset pagination on the `(owner_id, id)` index; the first page passes the empty string.
        static let selectWalletPage = "SELECT \(walletColumns) FROM wallets w WHERE w.owner_id = ? AND w.id > ? ORDER BY w.id LIMIT ?"
        /// The same on the `(owner_id, owner_ref, id)` index, for one reference.
        static let selectWalletPageByReference = """
            SELECT \(walletColumns) FROM wallets w WHERE w.owner_id = ? AND w.owner_ref = ? AND w.id > ? ORDER BY w.id LIMIT ?
            """
        static let selectWallet = "SELECT \(walletColumns) FROM wallets w WHERE w.id = ?"
        static let selectOwner = "SELECT owner_id FROM wallets WHERE id = ?"
        /// Newest first, strictly older than the cursor: the keyset `(wallet_id, id)` index serves it directly.
        static let selectEntryPage = """
            SELECT \(WalletEntry.columns)
            FROM entries e
            JOIN transactions t ON t.id = e.transaction_id
            WHERE e.wallet_id = ? AND e.id < ?
            ORDER BY e.id DESC
            LIMIT ?
            """
    }

    let database: WalletDatabase
    let outbox: EventOutbox

    init(database: WalletDatabase, outbox: EventOutbox) {
        self.database = database
        self.outbox = outbox
    }

    /// Opens an empty wallet in `currency` for `owner`, with the owner's `reference` for it when given, and writes
    /// its `wallet.created` event in the same transaction.
    public func create(owner: PrincipalID, reference: OwnerReference? = nil, currency: Currency, now: Date = Date()) async throws -> Wallet {
        let createdAt = now.atMicrosecondPrecision
        let wallet = Wallet(
            id: .generate(at: createdAt),
            ownerID: owner,
            ownerReference: reference,
            currency: currency,
            balance: 0,
            held: 0,
            version: 0,
            createdAt: createdAt,
            updatedAt: createdAt
        )
        let events = outbox.events(ofCreated: wallet)
        try await database.withTransaction(.repeatableRead) { connection in
            try connection.execute(
                SQL.insertWallet,
                [
                    .string(wallet.id.rawValue), .string(owner.rawValue), reference.map { .string($0.rawValue) } ?? .null,
                    .string(currency.code), .date(createdAt), .date(createdAt),
                ]
            )
            try EventOutbox.insert(events, on: connection)
        }
        return wallet
    }

    /// A page of `owner`'s wallets (those with `reference` only, when given): up to `pageSize` in id order, after
    /// the wallet id `cursor` when given.
    public func wallets(
        ownedBy owner: PrincipalID,
        reference: OwnerReference? = nil,
        pageSize: PageSize,
        after cursor: WalletID? = nil
    ) async throws -> WalletPage {
        // One more than asked for tells whether there is a next page.
        let rows = try await database.withCausalReads { connection in
            let now = MariaDBValue.date(Date())
            let after = MariaDBValue.string(cursor?.rawValue ?? "")
            let limit = MariaDBValue.int(Int64(pageSize.value + 1))
            let result =
                if let reference {
                    try connection.execute(SQL.selectWalletPageByReference, [now, .string(owner.rawValue), .string(reference.rawValue), after, limit])
                } else {
                    try connection.execute(SQL.selectWalletPage, [now, .string(owner.rawValue), after, limit])
                }
            return try result.rows.map(Self.wallet(from:))
        }
        let page = Array(rows.prefix(pageSize.value))
        return WalletPage(wallets: page, nextCursor: rows.count > pageSize.value ? page.last?.id : nil)
    }

    /// The wallet `id`; throws ``WalletError/walletNotFound`` when there is none or it is not `owner`'s.
    public func wallet(_ id: WalletID, ownedBy owner: PrincipalID) async throws -> Wallet {
        let wallet = try await database.withCausalReads { connection in
            try connection.execute(SQL.selectWallet, [.date(Date()), .string(id.rawValue)]).first.map(Self.wallet(from:))
        }
        guard let wallet, wallet.ownerID == owner else { throw WalletError.walletNotFound }
        return wallet
    }

    /// The transaction `id`, every leg, if it touches one of `viewer`'s wallets; else
    /// ``WalletError/transactionNotFound``. What the viewer may see of the other legs is the renderer's concern.
    public func transaction(_ id: TransactionID, visibleTo viewer: PrincipalID) async throws -> LedgerTransaction {
        let transaction = try await database.withCausalReads { connection in
            try TransactionReader.transactions([id], on: connection)[id]
        }
        guard let transaction, transaction.entries.contains(where: { $0.owner == viewer }) else { throw WalletError.transactionNotFound }
        return transaction
    }

    /// One page of the history of wallet `id`, newest first, starting after `cursor` (from the newest entry when
    /// nil); throws ``WalletError/walletNotFound`` when the wallet is not `owner`'s.
    ///
    /// Following ``EntryPage/nextCursor`` visits every entry that existed when the first page was read exactly once,
    /// even while new entries arrive: a wallet's entries are written while its row is locked, so their sequence
    /// numbers grow in commit order and no entry can appear below a cursor after it was handed out.
    public func entries(
        of id: WalletID,
        ownedBy owner: PrincipalID,
        pageSize: PageSize = .default,
        after cursor: EntryCursor? = nil
    ) async throws -> EntryPage {
        let page: EntryPage? = try await database.withCausalReads { connection in
            guard let ownerRow = try connection.execute(SQL.selectOwner, [.string(id.rawValue)]).first,
                try ownerRow.principal("owner_id") == owner
            else { return nil }
            // One row more than the page shows whether an older page exists.
            let rows = try connection.execute(
                SQL.selectEntryPage,
                [.string(id.rawValue), .int(cursor?.lastSequence ?? .max), .int(Int64(pageSize.value + 1))]
            ).rows
            let entries = try rows.prefix(pageSize.value).map { try $0.walletEntry() }
            let hasOlder = rows.count > pageSize.value
            return EntryPage(entries: entries, nextCursor: hasOlder ? entries.last.map { EntryCursor(lastSequence: $0.sequence) } : nil)
        }
        guard let page else { throw WalletError.walletNotFound }
        return page
    }

    /// Decodes a row of ``SQL/walletColumns``.
    static func wallet(from row: MariaDBRow) throws -> Wallet {
        Wallet(
            id: try row.identifier(WalletID.self, "id"),
            ownerID: try row.principal("owner_id"),
            ownerReference: try row.decode("owner_ref", as: "an owner reference") { (text: String?) -> OwnerReference?? in
                guard let text else { return .some(nil) }
                return OwnerReference(text).map { .some($0) }
            },
            currency: try row.currency("currency"),
            balance: try row.decode(Int64.self, "balance"),
            held: try row.decode(Int64.self, "held"),
            version: try row.decode(Int64.self, "version"),
            createdAt: try row.decode(Date.self, "created_at"),
            updatedAt: try row.decode(Date.self, "updated_at")
        )
    }
}
