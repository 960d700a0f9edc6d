/// One page of a transaction search, newest first.
public struct TransactionPage: Hashable, Sendable {
    /// The transactions, newest first by the time and id of the entry that lists them.
    public let transactions: [LedgerTransaction]
    /// The cursor of the next (older) page, or nil when this page holds the oldest match.
    public let nextCursor: EntryCursor?
}
