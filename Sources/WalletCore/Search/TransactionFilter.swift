public import Foundation

/// What a transaction search keeps of the caller's transactions; every filter is optional and they combine.
public struct TransactionFilter: Hashable, Sendable {
    /// Only transactions with an entry on this wallet (one of the caller's).
    public var walletID: WalletID?
    /// Only transactions of this type.
    public var type: TransactionType?
    /// Only transactions with this reference of the caller's.
    public var reference: MovementReference?
    /// Only transactions listed strictly after this instant.
    public var createdAfter: Date?
    /// Only transactions listed strictly before this instant.
    public var createdBefore: Date?

    public init(
        walletID: WalletID? = nil,
        type: TransactionType? = nil,
        reference: MovementReference? = nil,
        createdAfter: Date? = nil,
        createdBefore: Date? = nil
    ) {
        self.walletID = walletID
        self.type = type
        self.reference = reference
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
    }
}
