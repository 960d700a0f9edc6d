/// A wallet as the service shows it after the run: its balance, held and available amounts, the transaction ids of
/// its history and, when the run placed holds, the ids of its active holds.
public struct ObservedWallet: Hashable, Sendable {
    public let balance: Int64
    /// The transaction id of every entry of the wallet's history, in the order read.
    public let transactionIDs: [String]
    /// `held` and `available` as read; nil when the answer had none.
    public let held: Int64?
    public let available: Int64?
    /// The ids listed by `GET /v1/wallets/{id}/holds?status=active`; nil when not read.
    public let activeHoldIDs: [String]?

    public init(balance: Int64, transactionIDs: [String], held: Int64? = nil, available: Int64? = nil, activeHoldIDs: [String]? = nil) {
        self.balance = balance
        self.transactionIDs = transactionIDs
        self.held = held
        self.available = available
        self.activeHoldIDs = activeHoldIDs
    }
}
