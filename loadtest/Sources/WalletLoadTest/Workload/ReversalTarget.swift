/// A transaction this run got `201` for (a deposit, withdrawal, transfer, capture or multi-leg transfer) that a
/// reversal may aim at.
public struct ReversalTarget: Hashable, Sendable {
    /// The transaction's id (`txn_…`).
    public let transactionID: String
    /// The wallet index whose owner reverses it: a wallet the money comes back out of (a destination of the
    /// original's legs; for a withdrawal, its source).
    public let reverser: Int
    /// The original's amount: all a reversal can take back (the sum of the legs of a multi-leg one).
    public let amount: Int64
    /// The original's legs (debit and credit pairs): more than one means it is reversed whole, once.
    public let legCount: Int
    /// How many entries the original (and so each reversal of it) puts in wallet histories.
    public let walletEntryCount: Int

    public init(transactionID: String, reverser: Int, amount: Int64, legCount: Int, walletEntryCount: Int) {
        precondition(amount > 0 && legCount >= 1, "a reversible transaction moved money")
        self.transactionID = transactionID
        self.reverser = reverser
        self.amount = amount
        self.legCount = legCount
        self.walletEntryCount = walletEntryCount
    }

    /// Whether the original has several legs (and so is reversed whole, at most once).
    public var isMultiLeg: Bool { legCount > 1 }
}
