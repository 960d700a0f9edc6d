public import Foundation

/// A committed, immutable money movement and its legs, which sum to zero per currency: a deposit debits the
/// external account and credits the wallet, a withdrawal the reverse, a transfer debits one wallet and credits
/// another (per leg, for a multi-leg transfer), a reversal moves money back along the legs of the one it reverses.
/// Entries come in leg order, debit then credit.
public struct LedgerTransaction: Hashable, Sendable {
    /// The transaction's id (`txn_…`).
    public let id: TransactionID
    /// What the movement did.
    public let type: TransactionType
    /// The amount moved (the sum of the legs), in minor units of ``currency``; nil when the legs are in several
    /// currencies.
    public let amount: Amount?
    /// The currency of every leg; nil when the legs are in several currencies.
    public let currency: Currency?
    /// How many legs (debit and credit pairs) the transaction has.
    public let legs: Int
    /// When the movement committed its changes (the same instant as its entries and the wallets' `updatedAt`).
    public let createdAt: Date
    /// The hold whose capture this is; nil for the others.
    public let holdID: HoldID?
    /// The transaction a reversal moves money back along; nil for the others.
    public let reverses: TransactionID?
    /// The caller's reference, description and metadata.
    public let details: MovementDetails
    /// A reversal's reason; nil for the others.
    public let reason: MovementDescription?
    /// The legs, debit then credit each, in leg order.
    public let entries: [LedgerEntry]
    /// The reversals of this transaction, oldest first, as of the read (none in the response of the movement that
    /// wrote it).
    public var reversalIDs: [TransactionID] = []
    /// What the reversals moved back, in total.
    public var reversedAmount: Int64 = 0
}

extension LedgerTransaction: IdentifierKind {
    /// Transaction ids start with `txn_`.
    public static let identifierPrefix = "txn"
}
