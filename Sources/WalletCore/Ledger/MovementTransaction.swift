import Foundation
import MariaDB

/// One attempt at a money movement: everything that runs inside one REPEATABLE READ transaction, in order.
///
/// 1. Claim the idempotency key (before any other work); a duplicate ends here with the stored answer.
/// 2. Read the wallets the request names (a plain consistent read).
/// 3. Run the money logic (``MovementPlan``): a business refusal skips to step 6, moving nothing.
/// 4. Write each wallet with `UPDATE … WHERE id = ? AND version = ?`, in ascending id order; a row not matched is a
///    ``MovementConflict`` and the caller retries the whole movement in a new transaction.
/// 5. Insert the transaction and its entries.
/// 6. Render the outcome and store the response under the key; the caller's transaction then commits.
///
/// Separate from the retry loop and from any queueing so that either can be changed without touching the money.
enum MovementTransaction {
    /// Every SQL statement a movement runs on wallets and the ledger.
    enum SQL {
        static let selectOneWallet = "SELECT \(WalletStore.SQL.walletColumns) FROM wallets WHERE id = ?"
        static let selectTwoWallets = "SELECT \(WalletStore.SQL.walletColumns) FROM wallets WHERE id IN (?, ?)"
        static let updateWallet = "UPDATE wallets SET balance = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?"
        static let insertTransaction = """
            INSERT INTO transactions (id, type, amount, currency, user_id, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """
        /// Entries in one statement, in entry order (so their ids follow it): one row for a deposit or withdrawal,
        /// two for a transfer.
        static let insertEntries: [Int: String] = [1: insertEntriesStatement(rows: 1), 2: insertEntriesStatement(rows: 2)]

        private static func insertEntriesStatement(rows: Int) -> String {
            "INSERT INTO entries (transaction_id, wallet_id, amount, balance_after, created_at) VALUES "
                + Array(repeating: "(?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
        }
    }

    /// Runs `command` on `connection`, which is inside a transaction, as of `now` (already truncated to the
    /// microsecond). Throws ``MovementConflict`` or a transient ``MariaDBError`` when the attempt must be retried.
    static func run(_ command: MovementCommand, at now: Date, on connection: MariaDBConnection) throws -> MovementResult {
        if case .answered(let response) = try IdempotencyRecords.claim(for: command, at: now, on: connection) {
            return MovementResult(response: response, isReplay: true, outcome: nil)
        }
        let wallets = try readWallets(command.request.walletIDs, on: connection)
        let outcome: MovementOutcome
        switch MovementPlan.make(for: command.request, by: command.actingUser, wallets: wallets) {
        case .failure(let refusal):
            outcome = .refused(refusal)
        case .success(let plan):
            outcome = .completed(try apply(plan, for: command, at: now, on: connection))
        }
        let response = command.render(outcome)
        try IdempotencyRecords.store(response, for: command, on: connection)
        return MovementResult(response: response, isReplay: false, outcome: outcome)
    }

    /// The wallets that exist among `ids`, by id, as of the transaction's snapshot.
    private static func readWallets(_ ids: [WalletID], on connection: MariaDBConnection) throws -> [WalletID: Wallet] {
        let result =
            ids.count == 1
            ? try connection.execute(SQL.selectOneWallet, [.string(ids[0].rawValue)])
            : try connection.execute(SQL.selectTwoWallets, [.string(ids[0].rawValue), .string(ids[1].rawValue)])
        var wallets: [WalletID: Wallet] = [:]
        for row in result.rows {
            let wallet = try WalletStore.wallet(from: row)
            wallets[wallet.id] = wallet
        }
        return wallets
    }

    /// Writes the plan: the wallets (optimistically, in ascending id order), the transaction, its entries.
    private static func apply(
        _ plan: MovementPlan,
        for command: MovementCommand,
        at now: Date,
        on connection: MariaDBConnection
    ) throws -> LedgerTransaction {
        for posting in plan.postings.sorted(by: { $0.wallet.id < $1.wallet.id }) {
            let updated = try connection.execute(
                SQL.updateWallet,
                [.int(posting.balanceAfter), .date(now), .string(posting.wallet.id.rawValue), .int(posting.wallet.version)]
            )
            guard updated.affectedRows == 1 else {
                throw MovementConflict(reason: .walletVersionChanged(posting.wallet.id))
            }
        }
        let transaction = LedgerTransaction(
            id: .generate(at: now),
            type: plan.type,
            amount: plan.amount,
            currency: plan.currency,
            createdAt: now,
            entries: plan.postings.map { LedgerEntry(walletID: $0.wallet.id, amount: $0.amount, balanceAfter: $0.balanceAfter) }
        )
        try connection.execute(
            SQL.insertTransaction,
            [
                .string(transaction.id.rawValue), .string(plan.type.rawValue), .int(plan.amount.minorUnits), .string(plan.currency.code),
                .string(command.actingUser.rawValue), .string(command.idempotencyKey.rawValue), .date(now),
            ]
        )
        guard let insertEntries = SQL.insertEntries[transaction.entries.count] else {
            preconditionFailure("a movement has one or two entries")
        }
        try connection.execute(
            insertEntries,
            transaction.entries.flatMap { entry -> [MariaDBValue] in
                [.string(transaction.id.rawValue), .string(entry.walletID.rawValue), .int(entry.amount), .int(entry.balanceAfter), .date(now)]
            }
        )
        return transaction
    }
}
