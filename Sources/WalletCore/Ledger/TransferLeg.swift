/// One leg of a multi-leg transfer: `amount` from the caller's wallet `from` to wallet `to` of the same currency.
public struct TransferLeg: Hashable, Sendable {
    /// The most legs one transaction may have.
    public static let maximumCount = 64

    public let from: WalletID
    public let to: WalletID
    public let amount: Amount

    public init(from: WalletID, to: WalletID, amount: Amount) {
        self.from = from
        self.to = to
        self.amount = amount
    }
}
