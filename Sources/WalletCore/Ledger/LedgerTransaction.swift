public import Foundation

/// A committed, immutable money movement and its entries: one per wallet touched, debits first.
public struct LedgerTransaction: Hashable, Sendable {
    /// The transaction's id (`txn_…`).
    public let id: TransactionID
    /// What the movement did.
    public let type: TransactionType
    /// The amount moved, in minor units of ``currency``.
    public let amount: Amount
    /// The currency of every wallet touched.
    public let currency: Currency
    /// When the movement committed its changes (the same instant as its entries and the wallets' `updatedAt`).
    public let createdAt: Date
    /// The entries: for a transfer, the source's debit then the destination's credit.
    public let entries: [LedgerEntry]
}

extension LedgerTransaction: IdentifierKind {
    /// Transaction ids start with `txn_`.
    public static let identifierPrefix = "txn"
}
