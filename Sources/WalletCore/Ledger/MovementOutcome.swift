/// What the money logic made of a movement: what the caller's renderer turns into the response pinned under the
/// idempotency key.
public enum MovementOutcome: Sendable {
    /// The money moved: the committed transaction and its entries (a deposit, withdrawal, transfer or capture).
    case completed(LedgerTransaction)
    /// A hold was placed, voided or expired: the hold as the movement left it.
    case held(Hold)
    /// A business refusal (``WalletError/isBusinessRefusal``): nothing moved, and the refusal is pinned.
    case refused(WalletError)
}
