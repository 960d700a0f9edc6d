/// What a `201 Created` for a money movement says: the transaction's id and its entries.
public struct Acknowledgement: Hashable, Sendable {
    /// One entry of the transaction: its effect on one wallet.
    public struct Entry: Hashable, Sendable {
        public let walletID: String
        /// Signed minor units: negative for a debit.
        public let amount: Int64
        public let balanceAfter: Int64

        public init(walletID: String, amount: Int64, balanceAfter: Int64) {
            self.walletID = walletID
            self.amount = amount
            self.balanceAfter = balanceAfter
        }
    }

    public let transactionID: String
    public let entries: [Entry]

    public init(transactionID: String, entries: [Entry]) {
        self.transactionID = transactionID
        self.entries = entries
    }
}
