/// A claim waited for an idempotency key's row lock, held by a concurrent request with the same key, past its
/// limit (1205).
///
/// The server has rolled back the claim's statement, or with `innodb_rollback_on_timeout=ON` the whole
/// transaction: the transaction cannot go on either way. The ``BatchRunner`` rolls it back and answers the key's
/// movement ``WalletError/idempotencyKeyInUse``; in a batch, where the key is not known, it runs each movement
/// alone to find out.
struct IdempotencyKeyBusy: Error, Sendable {}
