/// An optimistic conflict found inside a movement's transaction: the transaction must roll back and the whole
/// movement run again in a new one.
struct MovementConflict: Error, Sendable {
    /// Why the attempt cannot go on.
    enum Reason: Sendable {
        /// A wallet's `UPDATE … WHERE version = ?` matched no row: another movement committed since the read.
        case walletVersionChanged(WalletID)
        /// The idempotency key's row vanished between the duplicate-key error and its read (purged meanwhile).
        case idempotencyKeyVanished
    }

    let reason: Reason
}
