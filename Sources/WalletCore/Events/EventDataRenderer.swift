/// Writes the data of events: the changed object exactly as the API returns it to the event's owner.
///
/// The HTTP layer's representations implement it, so that an event and a read of the same object agree byte for
/// byte. It runs inside the change's transaction, on a database thread: it must be quick and must not block.
public protocol EventDataRenderer: Sendable {
    /// The wallet as its owner reads it.
    func data(of wallet: Wallet) -> [UInt8]
    /// The transaction as `viewer` reads it (another owner's legs without their balances).
    func data(of transaction: LedgerTransaction, viewer: PrincipalID) -> [UInt8]
    /// The hold as its wallet's owner reads it.
    func data(of hold: Hold) -> [UInt8]
}
