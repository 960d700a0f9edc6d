/// The money logic of a movement: pure, no I/O. Given the request and the wallets as read in the transaction, it
/// either refuses (a business refusal) or says which balances change and which entries to write.
struct MovementPlan: Equatable, Sendable {
    /// One wallet's change: its entry, and the version it was read at (the optimistic check).
    struct Posting: Equatable, Sendable {
        let wallet: Wallet
        /// Signed: negative for a debit.
        let amount: Int64
        var balanceAfter: Int64 { wallet.balance + amount }
    }

    let type: TransactionType
    let amount: Amount
    let currency: Currency
    /// In entry order: for a transfer, the debit then the credit.
    let postings: [Posting]

    private init(type: TransactionType, amount: Amount, currency: Currency, postings: [Posting]) {
        // Money is conserved: a transfer's entries sum to zero, a deposit's or withdrawal's to ±amount, and every
        // balance stays within its limits.
        let total = postings.reduce(Int64(0)) { $0 + $1.amount }
        switch type {
        case .deposit: precondition(postings.count == 1 && total == amount.minorUnits, "a deposit credits its amount")
        case .withdrawal: precondition(postings.count == 1 && total == -amount.minorUnits, "a withdrawal debits its amount")
        case .transfer: precondition(postings.count == 2 && total == 0, "a transfer's entries sum to zero")
        }
        precondition(postings.allSatisfy { Wallet.validBalances.contains($0.balanceAfter) }, "balances stay within limits")
        precondition(postings.allSatisfy { $0.wallet.currency == currency }, "every wallet is in the movement's currency")
        self.type = type
        self.amount = amount
        self.currency = currency
        self.postings = postings
    }

    /// The plan for `request` by `principal`, given `wallets` (the wallets it names that exist, by id), or the
    /// business refusal.
    ///
    /// Checks, in order: the principal owns the wallet (for a transfer, the source), a transfer's wallets
    /// differ, its destination exists, the currencies match, the source holds the amount, and no balance would
    /// pass ``Wallet/maximumBalance``.
    static func make(for request: MovementRequest, by principal: PrincipalID, wallets: [WalletID: Wallet]) -> Result<MovementPlan, WalletError> {
        let amount = request.amount
        switch request {
        case .deposit(let id, _):
            guard let wallet = wallets[id], wallet.ownerID == principal else { return .failure(.walletNotFound) }
            guard wallet.balance <= Wallet.maximumBalance - amount.minorUnits else { return .failure(.balanceLimitExceeded) }
            let credit = Posting(wallet: wallet, amount: amount.minorUnits)
            return .success(MovementPlan(type: .deposit, amount: amount, currency: wallet.currency, postings: [credit]))
        case .withdrawal(let id, _):
            guard let wallet = wallets[id], wallet.ownerID == principal else { return .failure(.walletNotFound) }
            guard wallet.balance >= amount.minorUnits else { return .failure(.insufficientFunds(balance: wallet.balance, amount: amount)) }
            let debit = Posting(wallet: wallet, amount: -amount.minorUnits)
            return .success(MovementPlan(type: .withdrawal, amount: amount, currency: wallet.currency, postings: [debit]))
        case .transfer(let from, let to, _):
            guard let source = wallets[from], source.ownerID == principal else { return .failure(.walletNotFound) }
            guard from != to else { return .failure(.sameWallet) }
            guard let destination = wallets[to] else { return .failure(.walletNotFound) }
            guard source.currency == destination.currency else {
                return .failure(.currencyMismatch(source: source.currency, destination: destination.currency))
            }
            guard source.balance >= amount.minorUnits else { return .failure(.insufficientFunds(balance: source.balance, amount: amount)) }
            guard destination.balance <= Wallet.maximumBalance - amount.minorUnits else { return .failure(.balanceLimitExceeded) }
            let debit = Posting(wallet: source, amount: -amount.minorUnits)
            let credit = Posting(wallet: destination, amount: amount.minorUnits)
            return .success(MovementPlan(type: .transfer, amount: amount, currency: source.currency, postings: [debit, credit]))
        }
    }
}
