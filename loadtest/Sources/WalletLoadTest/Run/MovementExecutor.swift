/// Sends one attempt of a money movement and reports how it ended: over HTTP, or in-process through WalletCore.
public protocol MovementExecutor: Sendable {
    /// One attempt of `movement` under its key. Never throws: every failure is an answer.
    func attempt(_ movement: PlannedMovement) async -> MovementAnswer
}

/// Reads the ledger back after the run, for the verification, as the owner of the wallet concerned.
public protocol LedgerReader: Sendable {
    /// The balance, held and available amounts and the transaction ids of the history of the wallet with workload
    /// index `index`; with `includingActiveHolds`, also the ids of its active holds.
    func read(walletAt index: Int, includingActiveHolds: Bool) async throws -> ObservedWallet
    /// A hold on the wallet with workload index `index`.
    func readHold(_ holdID: String, ownerOfWalletAt index: Int) async throws -> HoldState
    /// A transaction touching the wallet with workload index `index`, with what its reversals moved back.
    func readTransaction(_ transactionID: String, ownerOfWalletAt index: Int) async throws -> TransactionReading
}
