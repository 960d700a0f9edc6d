/// A wallet as the service shows it after the run: its balance and the transaction ids of its history.
public struct ObservedWallet: Hashable, Sendable {
    public let balance: Int64
    /// The transaction id of every entry of the wallet's history, in the order read.
    public let transactionIDs: [String]

    public init(balance: Int64, transactionIDs: [String]) {
        self.balance = balance
        self.transactionIDs = transactionIDs
    }
}
