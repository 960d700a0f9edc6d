public import Foundation

/// A wallet: a balance in one currency, owned by one principal (a user or an application).
public struct Wallet: Hashable, Sendable {
    /// The largest balance a wallet may hold, 2^53−1 minor units (the same as ``Amount/maximumMinorUnits``).
    public static let maximumBalance: Int64 = Amount.maximumMinorUnits
    /// Every valid balance, in minor units.
    public static let validBalances: ClosedRange<Int64> = 0...maximumBalance

    /// The wallet's id (`wal_…`).
    public let id: WalletID
    /// The owner: the only principal who may read the wallet or move money out of it.
    public let ownerID: PrincipalID
    /// The owner's own reference for the customer the wallet is for, if it gave one.
    public let ownerReference: OwnerReference?
    /// The currency of the balance and of every amount that touches the wallet.
    public let currency: Currency
    /// The balance in minor units, within ``validBalances``.
    public let balance: Int64
    /// The number of movements applied so far; each movement bumps it by one.
    public let version: Int64
    /// When the wallet was created.
    public let createdAt: Date
    /// When the balance last changed (the creation time until then).
    public let updatedAt: Date
}

extension Wallet: IdentifierKind {
    /// Wallet ids start with `wal_`.
    public static let identifierPrefix = "wal"
}
