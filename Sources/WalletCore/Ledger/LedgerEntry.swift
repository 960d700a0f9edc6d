/// One leg of a ledger transaction: an account and the signed amount it moved.
public struct LedgerEntry: Hashable, Sendable {
    /// What a leg moves money in or out of.
    public enum Account: Hashable, Sendable {
        /// A wallet, its owner, and the wallet's balance right after this leg.
        case wallet(WalletID, owner: PrincipalID, balanceAfter: Int64)
        /// The external account of the transaction's currency: the world outside the ledger. It has no balance of
        /// its own that movements update; the audit derives it.
        case external
    }

    /// The account touched.
    public let account: Account
    /// The signed amount in minor units: negative for a debit, positive for a credit.
    public let amount: Int64

    /// The wallet touched; nil for the external account.
    public var walletID: WalletID? {
        if case .wallet(let id, _, _) = account { return id }
        return nil
    }

    /// The wallet's owner; nil for the external account.
    public var owner: PrincipalID? {
        if case .wallet(_, let owner, _) = account { return owner }
        return nil
    }

    /// The wallet's balance after the leg; nil for the external account.
    public var balanceAfter: Int64? {
        if case .wallet(_, _, let balanceAfter) = account { return balanceAfter }
        return nil
    }
}
