import Foundation
import MariaDB

/// One attempt at a batch of money movements: everything that runs inside one REPEATABLE READ transaction, in order.
///
/// 1. Claim each movement's idempotency key (before any other work; many per statement). A key that answered an
///    identical request before gives that movement its stored answer; a reused key, or one still running without
///    an answer, gives it its error. Either way it does nothing more. A key whose row lock is not granted in time
///    ends the whole attempt (``IdempotencyKeyBusy``): the lock wait timeout may have rolled the transaction back.
///    The sweeper's expiries have no key and claim nothing.
/// 2. Read the holds the claimed movements name and the transactions their reversals reverse, then the wallets of
///    those and the wallets the movements name, each with its holds as of now (a plain consistent read).
/// 3. Run the money logic (``MovementPlan``) for each claimed movement in order, on the balances and holds the
///    earlier ones left: a business refusal moves nothing.
/// 4. Write each changed wallet once with `UPDATE … WHERE id = ? AND version = ?` (the version read in step 2), in
///    ascending id order; a row not matched is a ``MovementConflict`` and the caller retries the whole batch in a
///    new transaction. A wallet's version grows by one per movement that touched it. Every change of a wallet's
///    holds is such a movement, so a movement that read the wallet read its holds as they still are.
/// 5. Insert the transactions and their entries, in movement order (so entry ids follow it), at the batch's time
///    (the clock's, or the last `updated_at` of its wallets when that is later), then the new holds,
///    and update each changed hold once with `UPDATE … WHERE id = ? AND version = ?` (a conflict, as for wallets).
///    A hold captured or voided whose time has come by now is a conflict too: the retry refuses it as expired.
/// 6. Insert the events of what was done (``EventOutbox``), in movement order, many per statement.
/// 7. Render each outcome and store every response under its key; the caller's transaction then commits.
///
/// A batch of one is a single movement; larger batches come from the ``WalletBatchScheduler`` and share the
/// statements of steps 2 to 7 and one commit. Separate from the retry loop and from the scheduling so that either
/// can change without touching the money.
enum MovementTransaction {
    /// Every SQL statement a movement runs on wallets, holds and the ledger.
    enum SQL {
        /// The wallets as stored: a plain read, so that a wallet without holds costs no subquery.
        static let selectWallets = MultiRowStatement(
            prefix: "SELECT \(WalletStore.SQL.storedWalletColumns) FROM wallets w WHERE w.id IN (", row: "?", suffix: ")")
        /// What the active holds past their time (the one `?` before the ids) still reserve, per wallet; the
        /// `holds_wallet_active` index serves it.
        static let selectHeldPastTime = MultiRowStatement(
            prefix: "SELECT wallet_id, CAST(SUM(amount) AS SIGNED) AS amount FROM holds WHERE status = 'active' AND expires_at <= ? AND wallet_id IN (",
            row: "?", suffix: ") GROUP BY wallet_id")
        static let updateWallet = "UPDATE wallets SET balance = ?, held = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?"
        static let selectHolds = MultiRowStatement(prefix: "SELECT \(HoldStore.SQL.holdColumns) FROM holds WHERE id IN (", row: "?", suffix: ")")
        static let insertHolds = MultiRowStatement(
            prefix: "INSERT INTO holds (id, wallet_id, principal_id, idempotency_key, amount, currency, status, captured_amount, "
                + "transaction_id, reference, description, metadata, version, expires_at, created_at, resolved_at) VALUES ",
            row: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        static let updateHold = """
            UPDATE holds SET status = ?, captured_amount = ?, transaction_id = ?, version = ?, resolved_at = ? WHERE id = ? AND version = ?
            """
        static let insertTransactions = MultiRowStatement(
            prefix: "INSERT INTO transactions (id, type, amount, currency, legs, reverses, reference, description, metadata, reason, "
                + "principal_id, idempotency_key, created_at) VALUES ",
            row: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        static let insertEntries = MultiRowStatement(
            prefix: "INSERT INTO entries (transaction_id, wallet_id, amount, balance_after, created_at, listed_wallet_id, listed_owner_id) VALUES ",
            row: "(?, ?, ?, ?, ?, ?, ?)"
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
        outbox: EventOutbox,
        on connection: MariaDBConnection
    ) throws -> [Result<MovementResult, WalletError>] {
        var answers = [Result<MovementResult, WalletError>?](repeating: nil, count: commands.count)
        let keyed = commands.indices.filter { commands[$0].idempotencyKey != nil }
        var claimed = commands.indices.filter { commands[$0].idempotencyKey == nil }
        for (index, claim) in zip(keyed, try IdempotencyRecords.claim(keyed.map { commands[$0] }, at: now, on: connection)) {
            switch claim {
            case .success(.claimed): claimed.append(index)
            case .success(.answered(let response)): answers[index] = .success(MovementResult(response: response, isReplay: true, outcome: nil))
            case .failure(let error): answers[index] = .failure(error)
            }
        }
        claimed.sort()
        if !claimed.isEmpty {
            let outcomes = try move(claimed.map { commands[$0] }, at: now, outbox: outbox, on: connection)
            var stored: [(MovementCommand, StoredResponse)] = []
            for (index, outcome) in zip(claimed, outcomes) {
                let response = commands[index].render(outcome)
                if commands[index].idempotencyKey != nil { stored.append((commands[index], response)) }
                answers[index] = .success(MovementResult(response: response, isReplay: false, outcome: outcome))
            }
            if !stored.isEmpty {
                try IdempotencyRecords.store(stored.map(\.1), for: stored.map(\.0), at: now, on: connection)
            }
        }
        return answers.map { $0! }
    }

    /// Steps 2 to 6 for the claimed `commands`: their outcomes, in order.
    private static func move(
        _ commands: [MovementCommand], at now: Date, outbox: EventOutbox, on connection: MariaDBConnection
    ) throws -> [MovementOutcome] {
        var holds = try readHolds(Array(Set(commands.compactMap(\.request.holdID))).sorted(), on: connection)
        let holdVersionsRead = holds.mapValues(\.version)
        // The transactions reversals reverse, with their reversals so far, as the batch leaves them.
        var originals = try TransactionReader.transactions(commands.compactMap(\.request.reversedTransactionID), on: connection)
        let walletIDs = Set(commands.flatMap(\.walletIDs)).union(holds.values.map(\.walletID))
            .union(originals.values.flatMap { $0.entries.compactMap(\.walletID) })
        // The wallets as the batch has left them so far, and their stored `held` (which still counts holds past
        // their time until they are recorded as expired).
        var (wallets, recordedHeld) = try readWallets(walletIDs.sorted(), at: now, on: connection)
        let walletVersionsRead = wallets.mapValues(\.version)
        // The time the batch records: never before the last movement of a wallet it touches (another instance's
        // clock may run ahead), so that entry times never decrease along a wallet's history.
        let recordedAt = max(now, wallets.values.map(\.updatedAt).max() ?? now)
        var outcomes: [MovementOutcome] = []
        var transactions: [(LedgerTransaction, MovementCommand)] = []
        var placedHolds: [(Hold, MovementCommand)] = []
        var changedHolds: Set<HoldID> = []
        var events: [Event] = []
        for command in commands {
            let newIDs = (
                transaction: TransactionID.generate(at: now), hold: command.request.operation == .hold ? HoldID.generate(at: now) : nil
            )
            let plan: MovementPlan
            switch MovementPlan.make(
                for: command.request, details: command.details, by: command.principal, wallets: wallets, holds: holds,
                transactions: originals, at: now, newIDs: newIDs)
            {
            case .failure(let refusal):
                outcomes.append(.refused(refusal))
                continue
            case .success(let made):
                plan = made
            }
            var touched = Set(plan.heldChanges.keys)
            var entries: [LedgerEntry] = []
            for posting in plan.transaction?.postings ?? [] {
                guard let wallet = posting.wallet else {
                    entries.append(LedgerEntry(account: .external, amount: posting.amount))
                    continue
                }
                touched.insert(wallet.id)
                wallets[wallet.id] = wallets[wallet.id]!.moved(by: posting.amount)
                // Paired with the plan's running balances: the legs apply in order.
                assert(wallets[wallet.id]!.balance == posting.balanceAfter, "a posting's balance after is the wallet's running balance")
                entries.append(
                    LedgerEntry(account: .wallet(wallet.id, owner: wallet.ownerID, balanceAfter: wallets[wallet.id]!.balance), amount: posting.amount))
            }
            for (id, change) in plan.heldChanges {
                wallets[id] = wallets[id]!.changed(heldBy: change.current)
                recordedHeld[id]! += change.recorded
            }
            for id in touched { wallets[id] = wallets[id]!.touched(at: recordedAt) }
            // A hold is placed or changed (an expiry that is not yet due changes nothing, and tells nothing).
            let holdChanged = plan.hold.map { plan.placesHold || $0.version != holds[$0.id]?.version } ?? false
            if let hold = plan.hold, holdChanged {
                holds[hold.id] = hold
                if plan.placesHold { placedHolds.append((hold, command)) } else { changedHolds.insert(hold.id) }
            }
            if let planned = plan.transaction {
                let transaction = LedgerTransaction(
                    id: newIDs.transaction, type: planned.type, amount: planned.amount, currency: planned.currency,
                    legs: planned.legs, createdAt: recordedAt, holdID: plan.operation == .capture ? plan.hold?.id : nil,
                    reverses: planned.reverses, details: plan.details, reason: planned.reason, entries: entries
                )
                if let original = planned.reverses {
                    originals[original]!.reversalIDs.append(transaction.id)
                    originals[original]!.reversedAmount += planned.amount?.minorUnits ?? 0
                }
                transactions.append((transaction, command))
                outcomes.append(.completed(transaction))
                let captured = plan.operation == .capture ? plan.hold : nil
                events += outbox.events(ofCommitted: transaction, capturing: captured, holdOwner: captured.map { wallets[$0.walletID]!.ownerID })
            } else if let hold = plan.hold {
                outcomes.append(.held(hold.asOf(now)))
                if holdChanged {
                    events += outbox.events(of: hold.asOf(now), by: plan.operation, owner: wallets[hold.walletID]!.ownerID, at: recordedAt)
                }
            }
        }
        guard !transactions.isEmpty || !placedHolds.isEmpty || !changedHolds.isEmpty else {
            // Paired with the outbox: nothing done, nothing to tell.
            assert(events.isEmpty, "events only of what was done")
            return outcomes
        }
        for (id, versionRead) in walletVersionsRead.sorted(by: { $0.key < $1.key }) {
            let wallet = wallets[id]!
            guard wallet.version != versionRead else { continue }
            let updated = try connection.execute(
                SQL.updateWallet,
                [
                    .int(wallet.balance), .int(recordedHeld[id]!), .int(wallet.version), .date(recordedAt),
                    .string(id.rawValue), .int(versionRead),
                ]
            )
            guard updated.affectedRows == 1 else { throw MovementConflict(reason: .walletVersionChanged(id)) }
        }
        try insert(transactions, at: recordedAt, on: connection)
        try insert(placedHolds, on: connection)
        for id in changedHolds.sorted() {
            let hold = holds[id]!
            let updated = try connection.execute(
                SQL.updateHold,
                [
                    .string(hold.status.rawValue), .int(hold.capturedAmount), hold.transactionID.map { .string($0.rawValue) } ?? .null,
                    .int(hold.version), hold.resolvedAt.map { .date($0) } ?? .null, .string(id.rawValue), .int(holdVersionsRead[id]!),
                ]
            )
            guard updated.affectedRows == 1 else { throw MovementConflict(reason: .holdVersionChanged(id)) }
        }
        try EventOutbox.insert(events, on: connection)
        // A capture or void decided while its hold was active must not commit after the hold's time, when reads
        // already show it expired: past it, the attempt is retried, and the retry finds the hold expired. (What is
        // left is the time the commit itself takes.)
        let clock = Date()
        for id in changedHolds.sorted() where holds[id]!.status != .expired && holds[id]!.expiresAt <= clock {
            throw MovementConflict(reason: .holdReachedItsTime(id))
        }
        return outcomes
    }

    /// The holds that exist among `ids`, by id, as stored in the transaction's snapshot.
    private static func readHolds(_ ids: [HoldID], on connection: MariaDBConnection) throws -> [HoldID: Hold] {
        var holds: [HoldID: Hold] = [:]
        for chunk in MultiRowStatement.chunks(of: ids) {
            let result = try connection.execute(SQL.selectHolds.text(rows: chunk.count), chunk.map { .string($0.rawValue) })
            for row in result.rows {
                let hold = try HoldStore.hold(from: row)
                holds[hold.id] = hold
            }
        }
        return holds
    }

    /// The wallets that exist among `ids`, by id, as of the transaction's snapshot, with their holds as of `now`,
    /// and each one's stored `held`. Only wallets that hold something cost a second statement, which finds their
    /// holds past their time.
    private static func readWallets(
        _ ids: [WalletID], at now: Date, on connection: MariaDBConnection
    ) throws -> (wallets: [WalletID: Wallet], recordedHeld: [WalletID: Int64]) {
        var wallets: [WalletID: Wallet] = [:]
        for chunk in MultiRowStatement.chunks(of: ids) {
            let result = try connection.execute(SQL.selectWallets.text(rows: chunk.count), chunk.map { .string($0.rawValue) })
            for row in result.rows {
                let wallet = try WalletStore.wallet(from: row)
                wallets[wallet.id] = wallet
            }
        }
        let recordedHeld = wallets.mapValues(\.held)
        let holding = wallets.values.filter { $0.held > 0 }.map(\.id).sorted()
        for chunk in MultiRowStatement.chunks(of: holding) {
            let result = try connection.execute(
                SQL.selectHeldPastTime.text(rows: chunk.count), [.date(now)] + chunk.map { .string($0.rawValue) })
            for row in result.rows {
                let id = try row.identifier(WalletID.self, "wallet_id")
                let pastTime = try row.decode(Int64.self, "amount")
                // Paired with the sweeper, which lowers the stored `held` by exactly these amounts.
                assert(pastTime <= recordedHeld[id]!, "holds past their time are among those the stored held counts")
                wallets[id] = wallets[id]!.changed(heldBy: -pastTime)
            }
        }
        return (wallets, recordedHeld)
    }

    /// Inserts the transactions, then their entries, in order.
    private static func insert(_ transactions: [(LedgerTransaction, MovementCommand)], at now: Date, on connection: MariaDBConnection) throws {
        for chunk in MultiRowStatement.chunks(of: transactions) {
            try connection.execute(
                SQL.insertTransactions.text(rows: chunk.count),
                chunk.flatMap { transaction, command -> [MariaDBValue] in
                    [
                        .string(transaction.id.rawValue), .string(transaction.type.rawValue),
                        transaction.amount.map { .int($0.minorUnits) } ?? .null, transaction.currency.map { .string($0.code) } ?? .null,
                        .int(Int64(transaction.legs)), transaction.reverses.map { .string($0.rawValue) } ?? .null,
                    ] + transaction.details.columnValues + [
                        transaction.reason.map { .string($0.rawValue) } ?? .null, .string(command.principal.rawValue),
                        .string(command.idempotencyKey?.rawValue ?? ""), .date(now),
                    ]
                }
            )
        }
        let entries = transactions.flatMap { transaction, _ in
            zip(transaction.entries, transaction.listings).map { (transaction.id, $0, $1) }
        }
        for chunk in MultiRowStatement.chunks(of: entries) {
            try connection.execute(
                SQL.insertEntries.text(rows: chunk.count),
                chunk.flatMap { transactionID, entry, listing -> [MariaDBValue] in
                    [
                        .string(transactionID.rawValue), entry.walletID.map { .string($0.rawValue) } ?? .null, .int(entry.amount),
                        entry.balanceAfter.map { .int($0) } ?? .null, .date(now),
                        listing.wallet.map { .string($0.rawValue) } ?? .null, listing.owner.map { .string($0.rawValue) } ?? .null,
                    ]
                }
            )
        }
    }

    /// Inserts the holds placed, in order.
    private static func insert(_ holds: [(Hold, MovementCommand)], on connection: MariaDBConnection) throws {
        for chunk in MultiRowStatement.chunks(of: holds) {
            try connection.execute(
                SQL.insertHolds.text(rows: chunk.count),
                chunk.flatMap { hold, command -> [MariaDBValue] in
                    [
                        .string(hold.id.rawValue), .string(hold.walletID.rawValue), .string(command.principal.rawValue),
                        .string(command.idempotencyKey?.rawValue ?? ""), .int(hold.amount.minorUnits), .string(hold.currency.code),
                        .string(hold.status.rawValue), .int(hold.capturedAmount), hold.transactionID.map { .string($0.rawValue) } ?? .null,
                    ] + hold.details.columnValues + [
                        .int(hold.version), .date(hold.expiresAt),
                        .date(hold.createdAt), hold.resolvedAt.map { .date($0) } ?? .null,
                    ]
                }
            )
        }
    }
}

extension MovementDetails {
    /// The values of the `reference`, `description` and `metadata` columns.
    fileprivate var columnValues: [MariaDBValue] {
        [
            reference.map { .string($0.rawValue) } ?? .null, description.map { .string($0.rawValue) } ?? .null,
            metadata.storedText.map { .string($0) } ?? .null,
        ]
    }
}

extension Wallet {
    /// The wallet with what its holds reserve changed by `amount` (signed).
    fileprivate func changed(heldBy amount: Int64) -> Wallet {
        with(balance: balance, held: held + amount, version: version, updatedAt: updatedAt)
    }

    /// The wallet after one more movement touched it at `now`: its next version.
    fileprivate func touched(at now: Date) -> Wallet {
        with(balance: balance, held: held, version: version + 1, updatedAt: now)
    }

    private func with(balance: Int64, held: Int64, version: Int64, updatedAt: Date) -> Wallet {
        Wallet(
            id: id, ownerID: ownerID, ownerReference: ownerReference, currency: currency, balance: balance, held: held, version: version,
            createdAt: createdAt, updatedAt: updatedAt
        )
    }
}
