import Foundation
import MariaDB

/// One attempt at a batch of money movements: everything that runs inside one REPEATABLE READ transaction, in order.
///
/// 1. Claim each movement's idempotency key (before any other work; many per statement). A key that answered an
///    identical request before gives that movement its stored answer; a reused key, or one still running without
///    an answer, gives it its error. Either way it does nothing more. A key whose row lock is not granted in time
///    ends the whole attempt (``IdempotencyKeyBusy``): the lock wait timeout may have rolled the transaction back.
/// 2. Read the wallets the claimed movements name (a plain consistent read).
/// 3. Run the money logic (``MovementPlan``) for each claimed movement in order, on the balances the earlier ones
///    left: a business refusal moves nothing.
/// 4. Write each changed wallet once with `UPDATE … WHERE id = ? AND version = ?` (the version read in step 2), in
///    ascending id order; a row not matched is a ``MovementConflict`` and the caller retries the whole batch in a
///    new transaction. A wallet's version grows by one per movement that touched it.
/// 5. Insert the transactions and their entries, in movement order (so entry ids follow it).
/// 6. Render each outcome and store every response under its key; the caller's transaction then commits.
///
/// A batch of one is a single movement; larger batches come from the ``WalletBatchScheduler`` and share the
/// statements of steps 2 to 6 and one commit. Separate from the retry loop and from the scheduling so that either
/// can change without touching the money.
enum MovementTransaction {
    /// Every SQL statement a movement runs on wallets and the ledger.
    enum SQL {
        static let selectWallets = MultiRowStatement(
            prefix: "SELECT \(WalletStore.SQL.walletColumns) FROM wallets WHERE id IN (", row: "?", suffix: ")")
        static let updateWallet = "UPDATE wallets SET balance = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?"
        static let insertTransactions = MultiRowStatement(
            prefix: "INSERT INTO transactions (id, type, amount, currency, principal_id, idempotency_key, created_at) VALUES ",
            row: "(?, ?, ?, ?, ?, ?, ?)"
        )
        static let insertEntries = MultiRowStatement(
            prefix: "INSERT INTO entries (transaction_id, wallet_id, amount, balance_after, created_at) VALUES ",
            row: "(?, ?, ?, ?, ?)"
        )
    }

    /// Runs `commands` on `connection`, which is inside a transaction, as of `now` (already truncated to the
    /// microsecond), and returns each command's answer in order: its result, or the error of its key.
    ///
    /// Throws ``MovementConflict`` or a transient ``MariaDBError`` when the whole batch must be retried,
    /// ``IdempotencyKeyBusy`` when a key stayed locked, and any other ``MariaDBError`` when it failed.
    static func run(
        _ commands: [MovementCommand],
        at now: Date,
        on connection: MariaDBConnection
    ) throws -> [Result<MovementResult, WalletError>] {
        var answers = [Result<MovementResult, WalletError>?](repeating: nil, count: commands.count)
        var claimed: [Int] = []
        for (index, claim) in try IdempotencyRecords.claim(commands, at: now, on: connection).enumerated() {
            switch claim {
            case .success(.claimed): claimed.append(index)
            case .success(.answered(let response)): answers[index] = .success(MovementResult(response: response, isReplay: true, outcome: nil))
            case .failure(let error): answers[index] = .failure(error)
            }
        }
        if !claimed.isEmpty {
            let outcomes = try move(claimed.map { commands[$0] }, at: now, on: connection)
            var responses: [StoredResponse] = []
            for (index, outcome) in zip(claimed, outcomes) {
                let response = commands[index].render(outcome)
                responses.append(response)
                answers[index] = .success(MovementResult(response: response, isReplay: false, outcome: outcome))
            }
            try IdempotencyRecords.store(responses, for: claimed.map { commands[$0] }, at: now, on: connection)
        }
        return answers.map { $0! }
    }

    /// Steps 2 to 5 for the claimed `commands`: their outcomes, in order.
    private static func move(_ commands: [MovementCommand], at now: Date, on connection: MariaDBConnection) throws -> [MovementOutcome] {
        var wallets = try readWallets(Array(Set(commands.flatMap(\.request.walletIDs))).sorted(), on: connection)
        let versionsRead = wallets.mapValues(\.version)
        var outcomes: [MovementOutcome] = []
        var transactions: [(LedgerTransaction, MovementCommand)] = []
        for command in commands {
            switch MovementPlan.make(for: command.request, by: command.principal, wallets: wallets) {
            case .failure(let refusal):
                outcomes.append(.refused(refusal))
            case .success(let plan):
                for posting in plan.postings {
                    wallets[posting.wallet.id] = posting.wallet.moved(by: posting.amount, at: now)
                }
                let transaction = LedgerTransaction(
                    id: .generate(at: now),
                    type: plan.type,
                    amount: plan.amount,
                    currency: plan.currency,
                    createdAt: now,
                    entries: plan.postings.map { LedgerEntry(walletID: $0.wallet.id, amount: $0.amount, balanceAfter: $0.balanceAfter) }
                )
                transactions.append((transaction, command))
                outcomes.append(.completed(transaction))
            }
        }
        guard !transactions.isEmpty else { return outcomes }
        for (id, versionRead) in versionsRead.sorted(by: { $0.key < $1.key }) {
            let wallet = wallets[id]!
            guard wallet.version != versionRead else { continue }
            let updated = try connection.execute(
                SQL.updateWallet,
                [.int(wallet.balance), .int(wallet.version), .date(now), .string(id.rawValue), .int(versionRead)]
            )
            guard updated.affectedRows == 1 else { throw MovementConflict(reason: .walletVersionChanged(id)) }
        }
        try insert(transactions, at: now, on: connection)
        return outcomes
    }

    /// The wallets that exist among `ids`, by id, as of the transaction's snapshot.
    private static func readWallets(_ ids: [WalletID], on connection: MariaDBConnection) throws -> [WalletID: Wallet] {
        var wallets: [WalletID: Wallet] = [:]
        for chunk in MultiRowStatement.chunks(of: ids) {
            let result = try connection.execute(SQL.selectWallets.text(rows: chunk.count), chunk.map { .string($0.rawValue) })
            for row in result.rows {
                let wallet = try WalletStore.wallet(from: row)
                wallets[wallet.id] = wallet
            }
        }
        return wallets
    }

    /// Inserts the transactions, then their entries, in order.
    private static func insert(_ transactions: [(LedgerTransaction, MovementCommand)], at now: Date, on connection: MariaDBConnection) throws {
        for chunk in MultiRowStatement.chunks(of: transactions) {
            try connection.execute(
                SQL.insertTransactions.text(rows: chunk.count),
                chunk.flatMap { transaction, command -> [MariaDBValue] in
                    [
                        .string(transaction.id.rawValue), .string(transaction.type.rawValue), .int(transaction.amount.minorUnits),
                        .string(transaction.currency.code), .string(command.principal.rawValue),
                        .string(command.idempotencyKey.rawValue), .date(now),
                    ]
                }
            )
        }
        let entries = transactions.flatMap { transaction, _ in transaction.entries.map { (transaction.id, $0) } }
        for chunk in MultiRowStatement.chunks(of: entries) {
            try connection.execute(
                SQL.insertEntries.text(rows: chunk.count),
                chunk.flatMap { transactionID, entry -> [MariaDBValue] in
                    [.string(transactionID.rawValue), .string(entry.walletID.rawValue), .int(entry.amount), .int(entry.balanceAfter), .date(now)]
                }
            )
        }
    }
}

extension Wallet {
    /// The wallet after one movement of `amount` (signed) at `now`: new balance, next version.
    fileprivate func moved(by amount: Int64, at now: Date) -> Wallet {
        Wallet(
            id: id, ownerID: ownerID, ownerReference: ownerReference, currency: currency, balance: balance + amount, version: version + 1,
            createdAt: createdAt, updatedAt: now
        )
    }
}
