public import Foundation

/// One line of a wallet's history: its entry in a ledger transaction, with the transaction's details.
public struct WalletEntry: Hashable, Sendable {
    /// The entry's id (`entry_id`), its position in the ledger: increases with every entry of the wallet (the
    /// keyset of pagination).
    public let sequence: Int64
    /// The transaction this entry belongs to.
    public let transactionID: TransactionID
    /// What the transaction did.
    public let type: TransactionType
    /// The signed amount in minor units: negative for a debit, positive for a credit.
    public let amount: Int64
    /// The wallet's balance right after this entry.
    public let balanceAfter: Int64
    /// When the transaction committed.
    public let createdAt: Date
    /// The transaction's reference, description and metadata.
    public let details: MovementDetails
}
