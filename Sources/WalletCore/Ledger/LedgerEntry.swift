/// One wallet's part in a ledger transaction.
public struct LedgerEntry: Hashable, Sendable {
    /// The wallet touched.
    public let walletID: WalletID
    /// The signed amount in minor units: negative for a debit, positive for a credit.
    public let amount: Int64
    /// The wallet's balance right after this entry.
    public let balanceAfter: Int64
}
