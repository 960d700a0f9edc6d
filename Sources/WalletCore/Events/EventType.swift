/// What an event says happened; the raw value is the `type` the API shows and webhook endpoints subscribe to.
public enum EventType: String, Hashable, Sendable, CaseIterable {
    /// A wallet was created (data: the wallet).
    case walletCreated = "wallet.created"
    /// Money moved: a deposit, withdrawal, transfer, multi-leg transaction or capture (data: the transaction).
    case transactionCommitted = "transaction.committed"
    /// A reversal moved money back (data: the reversal, which names the transaction it reverses).
    case transactionReversed = "transaction.reversed"
    /// A hold was placed (data: the hold).
    case holdCreated = "hold.created"
    /// A hold was captured (data: the hold, which names the capture's transaction).
    case holdCaptured = "hold.captured"
    /// A hold was voided (data: the hold).
    case holdVoided = "hold.voided"
    /// A hold reached its time and was recorded as expired (data: the hold).
    case holdExpired = "hold.expired"
}
