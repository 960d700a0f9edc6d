/// A statement whose entries do not add up: an entry's `balance_after` is not the balance before it plus its
/// amount, or the entries do not lead from the opening to the closing balance. The ledger is broken (the audit
/// says where); the statement is cut off rather than sent wrong.
public struct StatementInconsistency: Error, Hashable, Sendable, CustomStringConvertible {
    /// The wallet.
    public let walletID: WalletID
    /// What does not add up.
    public let detail: String

    public var description: String { "the statement of \(walletID) does not add up: \(detail)" }
}
