/// An optimistic conflict found inside a movement's transaction: the transaction must roll back and the whole
/// movement run again in a new one.
struct MovementConflict: Error, Sendable {
    /// Why the attempt cannot go on.
    enum Reason: Sendable {
        /// A wallet's `UPDATE … WHERE version = ?` matched no row: another movement committed since the read.
        case walletVersionChanged(WalletID)
        /// A hold's `UPDATE … WHERE version = ?` matched no row: another movement resolved it since the read.
        case holdVersionChanged(HoldID)
        /// A hold that the attempt captured or voided reached its `expires_at` before the attempt could commit.
        case holdReachedItsTime(HoldID)
        /// The idempotency key's row vanished between the duplicate-key error and its read (purged meanwhile).
        case idempotencyKeyVanished
    }

    let reason: Reason
}
