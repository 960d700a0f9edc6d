/// What the money logic made of a movement: what the caller's renderer turns into the response pinned under the
/// idempotency key.
public enum MovementOutcome: Sendable {
    /// The money moved: the committed transaction and its entries.
    case completed(LedgerTransaction)
    /// A business refusal (``WalletError/isBusinessRefusal``): nothing moved, and the refusal is pinned.
    case refused(WalletError)
}
