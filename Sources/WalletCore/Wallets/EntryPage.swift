/// One page of a wallet's history, newest first.
public struct EntryPage: Hashable, Sendable {
    /// The entries, newest first.
    public let entries: [WalletEntry]
    /// The cursor of the next (older) page, or nil when this page holds the oldest entry.
    public let nextCursor: EntryCursor?
}
