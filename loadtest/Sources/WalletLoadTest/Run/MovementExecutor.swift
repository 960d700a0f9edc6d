/// Sends one attempt of a money movement and reports how it ended: over HTTP, or in-process through WalletCore.
public protocol MovementExecutor: Sendable {
    /// One attempt of `movement` under its key. Never throws: every failure is an answer.
    func attempt(_ movement: PlannedMovement) async -> MovementAnswer
}

/// Reads a wallet back after the run, for the verification.
public protocol LedgerReader: Sendable {
    /// The balance and the transaction ids of the history of the wallet with workload index `index`.
    func read(walletAt index: Int) async throws -> ObservedWallet
}
