import Foundation

/// The money logic of a movement: pure, no I/O. Given the request and the wallets, holds and transactions as read
/// in the transaction, it either refuses (a business refusal) or says which legs to write, which hold changes and
/// how each wallet's holds change.
struct MovementPlan: Equatable, Sendable {
    /// One side of a leg of the transaction.
    struct Posting: Equatable, Sendable {
        /// The wallet as the legs before this one left it (the optimistic check uses the version read); nil for
        /// the external account.
        let wallet: Wallet?
        /// Signed: negative for a debit.
        let amount: Int64
        /// The wallet's balance after this posting; nil for the external account.
        var balanceAfter: Int64? { wallet.map { $0.balance + amount } }
    }

    /// The ledger transaction a movement writes when money moves.
    struct Transaction: Equatable, Sendable {
        let type: TransactionType
        /// The sum of the legs; nil when they are in several currencies.
        let amount: Amount?
        /// The currency of every leg; nil when they are in several.
        let currency: Currency?
        /// Debit then credit of each leg, in leg order; each pair sums to zero.
        let postings: [Posting]
        /// The transaction a reversal reverses.
        var reverses: TransactionID? = nil
        /// A reversal's reason.
        var reason: MovementDescription? = nil
        /// How many legs: half the postings.
        var legs: Int { postings.count / 2 }
    }

    /// How a movement changes the holds of one wallet.
    struct HeldChange: Equatable, Sendable {
        /// The change of the stored `held` (the sum of holds whose status is active).
        var recorded: Int64 = 0
        /// The change of ``Wallet/held`` (the sum of active holds before their time).
        var current: Int64 = 0
    }

    /// What the movement does; ``MovementOperation/expire`` of an active hold that is not due is a plan that changes
    /// nothing.
    let operation: MovementOperation
    /// The transaction to write; nil when no money moves (placing, voiding or expiring a hold).
    let transaction: Transaction?
    /// The details the transaction records: the request's, and for a capture its hold's where the request has none.
    let details: MovementDetails
    /// The hold as the movement leaves it (placed or resolved), or as it is when the movement changes nothing.
    let hold: Hold?
    /// Whether ``hold`` is new (an insert) rather than changed (an update).
    var placesHold: Bool { operation == .hold }
    /// How the holds of each wallet change.
    let heldChanges: [WalletID: HeldChange]

    private init(
        operation: MovementOperation,
        transaction: Transaction? = nil,
        details: MovementDetails = .none,
        hold: Hold? = nil,
        heldChanges: [WalletID: HeldChange] = [:],
        wallets: [WalletID: Wallet]
    ) {
        // Money is conserved: every leg's debit and credit sum to zero, in one currency, and a hold never reserves
        // more than is there.
        var moved: [WalletID: Int64] = [:]
        if let transaction {
            precondition(!transaction.postings.isEmpty && transaction.postings.count.isMultiple(of: 2), "legs of a debit and a credit")
            precondition(transaction.legs <= TransferLeg.maximumCount, "at most \(TransferLeg.maximumCount) legs")
            for leg in stride(from: 0, to: transaction.postings.count, by: 2) {
                let (debit, credit) = (transaction.postings[leg], transaction.postings[leg + 1])
                precondition(debit.amount < 0 && debit.amount + credit.amount == 0, "a leg's debit comes first and its sides sum to zero")
                let currencies = Set([debit.wallet?.currency, credit.wallet?.currency].compactMap { $0 })
                precondition(currencies.count == 1, "a leg moves one currency")
                precondition(transaction.currency.map { currencies == [$0] } ?? true, "the transaction's currency")
            }
            let credits = transaction.postings.filter { $0.amount > 0 }.reduce(Int64(0)) { $0 + $1.amount }
            precondition(transaction.amount.map { $0.minorUnits == credits } ?? true, "the amount is the sum of the legs")
            precondition(transaction.postings.allSatisfy { $0.balanceAfter.map(Wallet.validBalances.contains) ?? true }, "balances stay within limits")
            for posting in transaction.postings {
                if let wallet = posting.wallet { moved[wallet.id, default: 0] += posting.amount }
            }
        }
        for id in Set(heldChanges.keys).union(moved.keys) {
            let wallet = wallets[id]!
            let held = wallet.held + (heldChanges[id]?.current ?? 0)
            precondition(held >= 0 && held <= wallet.balance + moved[id, default: 0], "available never goes below zero")
        }
        self.operation = operation
        self.transaction = transaction
        self.details = details
        self.hold = hold
        self.heldChanges = heldChanges
    }

    /// The plan for `request` with `details` by `principal` at `now`, given `wallets`, `holds` and `transactions`
    /// (those it names, the wallets of those holds and transactions, that exist, by id, with ``Wallet/held`` as of
    /// `now`; a transaction with its reversals so far), or the business refusal. `newIDs` are the ids a new
    /// transaction and a new hold take (a hold's only when `request` places one).
    ///
    /// Checks, in order: the principal owns the wallet (for a transfer, the source; for a capture or void, the
    /// hold's wallet), the hold is active at `now`, a transfer's or capture's wallets differ and its destination
    /// exists, the currencies match, the source has the amount available (balance less holds; a capture draws on
    /// its own hold instead, up to its amount), and no balance would pass ``Wallet/maximumBalance``. A multi-leg
    /// transfer checks each leg so, in order, on the balances the legs before it left. A reversal checks
    /// ``reversal(of:amount:reason:by:wallets:transactions:)``'s rules.
    static func make(
        for request: MovementRequest,
        details: MovementDetails = .none,
        by principal: PrincipalID,
        wallets: [WalletID: Wallet],
        holds: [HoldID: Hold] = [:],
        transactions: [TransactionID: LedgerTransaction] = [:],
        at now: Date,
        newIDs: (transaction: TransactionID, hold: HoldID?)
    ) -> Result<MovementPlan, WalletError> {
        switch request {
        case .deposit(let id, let amount):
            guard let wallet = wallets[id], wallet.ownerID == principal else { return .failure(.walletNotFound) }
            guard wallet.balance <= Wallet.maximumBalance - amount.minorUnits else { return .failure(.balanceLimitExceeded) }
            let transaction = Transaction(
                type: .deposit, amount: amount, currency: wallet.currency,
                postings: [Posting(wallet: nil, amount: -amount.minorUnits), Posting(wallet: wallet, amount: amount.minorUnits)]
            )
            return .success(MovementPlan(operation: .deposit, transaction: transaction, details: details, wallets: wallets))
        case .withdrawal(let id, let amount):
            guard let wallet = wallets[id], wallet.ownerID == principal else { return .failure(.walletNotFound) }
            guard wallet.available >= amount.minorUnits else { return .failure(.insufficientFunds(available: wallet.available, amount: amount)) }
            let transaction = Transaction(
                type: .withdrawal, amount: amount, currency: wallet.currency,
                postings: [Posting(wallet: wallet, amount: -amount.minorUnits), Posting(wallet: nil, amount: amount.minorUnits)]
            )
            return .success(MovementPlan(operation: .withdrawal, transaction: transaction, details: details, wallets: wallets))
        case .transfer(let from, let to, let amount):
            guard let source = wallets[from], source.ownerID == principal else { return .failure(.walletNotFound) }
            return credit(to, from: source, amount: amount, drawingOn: nil, wallets: wallets).map { postings in
                let transaction = Transaction(type: .transfer, amount: amount, currency: source.currency, postings: postings)
                return MovementPlan(operation: .transfer, transaction: transaction, details: details, wallets: wallets)
            }
        case .multiLeg(let legs):
            return multiLeg(legs, by: principal, wallets: wallets).map { transaction in
                MovementPlan(operation: .multileg, transaction: transaction, details: details, wallets: wallets)
            }
        case .reversal(let original, let amount, let reason):
            return reversal(of: original, amount: amount, reason: reason, by: principal, wallets: wallets, transactions: transactions).map {
                transaction in
                MovementPlan(operation: .reversal, transaction: transaction, details: details, wallets: wallets)
            }
        case .placeHold(let id, let amount, let expiresIn):
            guard let wallet = wallets[id], wallet.ownerID == principal else { return .failure(.walletNotFound) }
            guard wallet.available >= amount.minorUnits else { return .failure(.insufficientFunds(available: wallet.available, amount: amount)) }
            guard let holdID = newIDs.hold else { preconditionFailure("placing a hold takes a new hold id") }
            let hold = Hold(
                id: holdID, walletID: wallet.id, amount: amount, currency: wallet.currency, status: .active, capturedAmount: 0,
                transactionID: nil, details: details, version: 0,
                expiresAt: now.addingTimeInterval(TimeInterval(expiresIn.seconds)), createdAt: now, resolvedAt: nil
            )
            let change = HeldChange(recorded: amount.minorUnits, current: amount.minorUnits)
            return .success(MovementPlan(operation: .hold, hold: hold, heldChanges: [wallet.id: change], wallets: wallets))
        case .captureHold(let id, let amount, let to):
            return activeHold(id, of: principal, wallets: wallets, holds: holds, at: now).flatMap { hold, wallet in
                let captured = amount ?? hold.amount
                guard captured <= hold.amount else { return .failure(.amountExceedsHold(held: hold.amount, amount: captured)) }
                let transaction: Result<Transaction, WalletError> =
                    if let to {
                        credit(to, from: wallet, amount: captured, drawingOn: hold, wallets: wallets).map {
                            Transaction(type: .transfer, amount: captured, currency: wallet.currency, postings: $0)
                        }
                    } else {
                        .success(
                            Transaction(
                                type: .withdrawal, amount: captured, currency: wallet.currency,
                                postings: [Posting(wallet: wallet, amount: -captured.minorUnits), Posting(wallet: nil, amount: captured.minorUnits)]
                            ))
                    }
                return transaction.map { transaction in
                    MovementPlan(
                        operation: .capture, transaction: transaction, details: details.filled(from: hold.details),
                        hold: hold.resolved(.captured, at: now, capturedAmount: captured.minorUnits, transactionID: newIDs.transaction),
                        heldChanges: [wallet.id: HeldChange(recorded: -hold.amount.minorUnits, current: -hold.amount.minorUnits)],
                        wallets: wallets
                    )
                }
            }
        case .voidHold(let id):
            return activeHold(id, of: principal, wallets: wallets, holds: holds, at: now).map { hold, wallet in
                MovementPlan(
                    operation: .void, hold: hold.resolved(.voided, at: now),
                    heldChanges: [wallet.id: HeldChange(recorded: -hold.amount.minorUnits, current: -hold.amount.minorUnits)],
                    wallets: wallets
                )
            }
        case .expireHold(let id):
            guard let hold = holds[id], wallets[hold.walletID] != nil else { return .failure(.holdNotFound) }
            // Resolved meanwhile (by a capture, a void or another sweeper): its state is the answer.
            switch hold.status {
            case .active: break
            case .captured: return .failure(.holdCaptured)
            case .voided: return .failure(.holdVoided)
            case .expired: return .failure(.holdExpired)
            }
            // Not yet due: nothing to record.
            guard hold.expiresAt <= now else { return .success(MovementPlan(operation: .expire, hold: hold, wallets: wallets)) }
            // Its amount stopped counting in Wallet.held at its time; only the stored sum still has it.
            return .success(
                MovementPlan(
                    operation: .expire, hold: hold.resolved(.expired, at: hold.expiresAt),
                    heldChanges: [hold.walletID: HeldChange(recorded: -hold.amount.minorUnits, current: 0)],
                    wallets: wallets
                ))
        }
    }

    /// The hold `id` and its wallet when the hold is on `principal`'s wallet and active at `now`; else its refusal.
    private static func activeHold(
        _ id: HoldID, of principal: PrincipalID, wallets: [WalletID: Wallet], holds: [HoldID: Hold], at now: Date
    ) -> Result<(Hold, Wallet), WalletError> {
        guard let hold = holds[id], let wallet = wallets[hold.walletID], wallet.ownerID == principal else { return .failure(.holdNotFound) }
        switch hold.asOf(now).status {
        case .active:
            // Paired with the check that placed it: an active hold's amount is in the wallet's held, and held is
            // in the balance.
            precondition(wallet.held >= hold.amount.minorUnits && wallet.balance >= wallet.held, "an active hold is reserved in its wallet")
            return .success((hold, wallet))
        case .captured: return .failure(.holdCaptured)
        case .voided: return .failure(.holdVoided)
        case .expired: return .failure(.holdExpired)
        }
    }

    /// The postings of a transfer of `amount` from `source` to wallet `to`: drawing on `hold` (a capture) or on the
    /// source's available balance; or the refusal.
    private static func credit(
        _ to: WalletID, from source: Wallet, amount: Amount, drawingOn hold: Hold?, wallets: [WalletID: Wallet]
    ) -> Result<[Posting], WalletError> {
        guard to != source.id else { return .failure(.sameWallet) }
        guard let destination = wallets[to] else { return .failure(.walletNotFound) }
        guard source.currency == destination.currency else {
            return .failure(.currencyMismatch(source: source.currency, destination: destination.currency))
        }
        if hold == nil, source.available < amount.minorUnits {
            return .failure(.insufficientFunds(available: source.available, amount: amount))
        }
        guard destination.balance <= Wallet.maximumBalance - amount.minorUnits else { return .failure(.balanceLimitExceeded) }
        return .success([Posting(wallet: source, amount: -amount.minorUnits), Posting(wallet: destination, amount: amount.minorUnits)])
    }

    /// The transaction of the transfers `legs`, each checked as a transfer on the balances the legs before it
    /// left; or the first leg's refusal, naming the leg and its field.
    private static func multiLeg(_ legs: [TransferLeg], by principal: PrincipalID, wallets: [WalletID: Wallet]) -> Result<Transaction, WalletError> {
        precondition((1...TransferLeg.maximumCount).contains(legs.count), "1 to \(TransferLeg.maximumCount) legs")
        var running = wallets
        var postings: [Posting] = []
        for (index, leg) in legs.enumerated() {
            guard let source = running[leg.from], source.ownerID == principal else {
                return .failure(.refusedLeg(index: index, field: "from_wallet_id", refusal: .walletNotFound))
            }
            switch credit(leg.to, from: source, amount: leg.amount, drawingOn: nil, wallets: running) {
            case .failure(let refusal):
                let field =
                    switch refusal {
                    case .insufficientFunds, .balanceLimitExceeded: "amount"
                    default: "to_wallet_id"
                    }
                return .failure(.refusedLeg(index: index, field: field, refusal: refusal))
            case .success(let leg):
                postings += leg
                for posting in leg { running[posting.wallet!.id] = posting.wallet!.moved(by: posting.amount) }
            }
        }
        return .success(totalled(type: .transfer, postings: postings))
    }

    /// The reversal of `originalID`, moving money back along its legs: `amount` (what is left when nil) of a
    /// single-leg transaction, or a multi-leg one whole. Refused when the transaction is not visible to
    /// `principal`, is a reversal itself, has its money coming back out of wallets that are not `principal`'s
    /// (the destinations of its legs; for a withdrawal, its source), asks for more than is left, or a wallet lacks
    /// the money at its leg's turn.
    private static func reversal(
        of originalID: TransactionID, amount: Amount?, reason: MovementDescription?, by principal: PrincipalID,
        wallets: [WalletID: Wallet], transactions: [TransactionID: LedgerTransaction]
    ) -> Result<Transaction, WalletError> {
        guard let original = transactions[originalID], original.entries.contains(where: { $0.owner == principal }) else {
            return .failure(.transactionNotFound)
        }
        guard original.type != .reversal else { return .failure(.notReversible) }
        precondition(original.entries.count == 2 * original.legs, "a stored transaction has a debit and a credit per leg")
        let legs = stride(from: 0, to: original.entries.count, by: 2).map { (debit: original.entries[$0], credit: original.entries[$0 + 1]) }
        // The money comes back out of each leg's destination; a withdrawal's went out of the ledger, and its
        // source's owner may take it back in (as they may deposit).
        guard legs.allSatisfy({ ($0.credit.owner ?? $0.debit.owner) == principal }) else { return .failure(.reversalForbidden) }
        let backs: [Int64]
        if original.legs > 1 {
            guard amount == nil else { return .failure(.reversalMustBeWhole) }
            guard original.reversalIDs.isEmpty else { return .failure(.amountExceedsReversible(reversible: 0)) }
            backs = legs.map(\.credit.amount)
        } else {
            let reversible = original.amount!.minorUnits - original.reversedAmount
            let back = amount?.minorUnits ?? reversible
            guard reversible > 0, back <= reversible else { return .failure(.amountExceedsReversible(reversible: reversible)) }
            backs = [back]
        }
        var running = wallets
        var postings: [Posting] = []
        for (leg, back) in zip(legs, backs) {
            let payer = leg.credit.walletID.map { running[$0]! }
            let payee = leg.debit.walletID.map { running[$0]! }
            if let payer, payer.available < back {
                return .failure(.insufficientFunds(available: payer.available, amount: Amount(minorUnits: back)!))
            }
            if let payee, payee.balance > Wallet.maximumBalance - back { return .failure(.balanceLimitExceeded) }
            postings += [Posting(wallet: payer, amount: -back), Posting(wallet: payee, amount: back)]
            if let payer { running[payer.id] = payer.moved(by: -back) }
            if let payee { running[payee.id] = payee.moved(by: back) }
        }
        var transaction = totalled(type: .reversal, postings: postings, currency: original.currency)
        transaction.reverses = originalID
        transaction.reason = reason
        return .success(transaction)
    }

    /// A transaction of `postings` with their total as its amount when they are in one currency (`currency`, or
    /// their wallets'), else with neither.
    private static func totalled(type: TransactionType, postings: [Posting], currency: Currency? = nil) -> Transaction {
        let currencies = Set(postings.compactMap(\.wallet?.currency))
        let total = postings.filter { $0.amount > 0 }.reduce(Int64(0)) { $0 + $1.amount }
        guard currencies.count == 1, let amount = Amount(minorUnits: total) else {
            return Transaction(type: type, amount: nil, currency: nil, postings: postings)
        }
        return Transaction(type: type, amount: amount, currency: currency ?? currencies.first!, postings: postings)
    }
}

extension Wallet {
    /// The wallet with its balance changed by `amount` (signed): how a leg leaves it for the legs after it.
    func moved(by amount: Int64) -> Wallet {
        Wallet(
            id: id, ownerID: ownerID, ownerReference: ownerReference, currency: currency, balance: balance + amount, held: held,
            version: version, createdAt: createdAt, updatedAt: updatedAt
        )
    }
}
