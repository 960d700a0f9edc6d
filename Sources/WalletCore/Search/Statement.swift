/// A wallet's statement of a period, before its entries are read: the opening balance (after the last entry
/// before the period), the closing balance (after the last entry in it), and the entries between, by id.
///
/// Both balances are read in one statement, so they come from one snapshot: the period's entries are then exactly
/// the wallet's entries with ids in `(openingEntryID, closingEntryID]` (a wallet's entries are written while its
/// row is locked, so its later entries all have greater ids), however many movements commit while it is read.
public struct Statement: Hashable, Sendable {
    /// The wallet.
    public let walletID: WalletID
    /// The wallet's currency.
    public let currency: Currency
    /// The period.
    public let period: StatementPeriod
    /// The balance when the period starts, in minor units.
    public let openingBalance: Int64
    /// The balance when the period ends.
    public let closingBalance: Int64
    /// The last entry of the wallet before the period; 0 when there is none.
    let openingEntryID: Int64
    /// The last entry of the wallet in the period or before it; 0 when there is none.
    let closingEntryID: Int64
}
