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
    /// The sum of the wallet's active holds that have not reached their `expires_at`, as of the read: money that
    /// is in ``balance`` but not available to movements out of the wallet. At most ``balance``.
    public let held: Int64
    /// The number of movements applied so far; each movement bumps it by one.
    public let version: Int64
    /// When the wallet was created.
    public let createdAt: Date
    /// When a movement last changed the wallet (the creation time until then).
    public let updatedAt: Date

    /// What movements out of the wallet may take: the balance less what holds reserve. Never negative.
    public var available: Int64 { balance - held }
}

extension Wallet: IdentifierKind {
    /// Wallet ids start with `wal_`.
    public static let identifierPrefix = "wal"
}
