/// One page of a user's wallets, in id order (which follows creation time to the millisecond).
public struct WalletPage: Hashable, Sendable {
    /// The wallets, in id order.
    public let wallets: [Wallet]
    /// The id to pass as `cursor` for the next page (the last wallet of this one), or nil on the last page.
    public let nextCursor: WalletID?
}
