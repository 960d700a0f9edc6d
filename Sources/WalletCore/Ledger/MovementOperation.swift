/// What a money movement does, as metrics label it and as the `operation` of its idempotency fingerprint.
public enum MovementOperation: String, Hashable, Sendable, CaseIterable {
    case deposit, withdrawal, transfer
    /// A transfer of several legs in one transaction.
    case multileg
    /// Moving money back along a transaction's legs.
    case reversal
    /// Placing a hold.
    case hold
    /// Capturing a hold.
    case capture
    /// Voiding a hold.
    case void
    /// Recording that a hold reached its time (the sweeper's; no client asks for it).
    case expire
}
