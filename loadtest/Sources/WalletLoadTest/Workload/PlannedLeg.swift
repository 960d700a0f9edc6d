/// One leg of a planned multi-leg transfer: `amount` from wallet index `source` to wallet index `destination`.
public struct PlannedLeg: Hashable, Sendable {
    /// The wallet index the leg debits: a wallet of the transfer's sender.
    public let source: Int
    /// The wallet index the leg credits.
    public let destination: Int
    /// Minor units, from the ``AmountRange``.
    public let amount: Int64

    public init(source: Int, destination: Int, amount: Int64) {
        precondition(source != destination, "a leg moves money between two wallets")
        precondition(amount > 0, "a leg moves a positive amount")
        self.source = source
        self.destination = destination
        self.amount = amount
    }
}
