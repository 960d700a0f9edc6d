public import Foundation

/// A wallet's balance at an instant: the `balance_after` of the last entry listed for the wallet at or before it.
public struct BalanceAtInstant: Hashable, Sendable {
    /// The wallet.
    public let walletID: WalletID
    /// The wallet's currency.
    public let currency: Currency
    /// The balance in minor units right after ``entryID``; 0 before the wallet's first entry.
    public let balance: Int64
    /// The instant asked for (within ``LedgerTime``).
    public let at: Date
    /// The entry whose `balance_after` is the balance; nil before the wallet's first entry.
    public let entryID: Int64?
    /// That entry's transaction; nil before the wallet's first entry.
    public let transactionID: TransactionID?
}
