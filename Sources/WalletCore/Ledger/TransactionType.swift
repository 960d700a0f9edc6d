/// What a ledger transaction did. The raw values are the names the API and the database use.
public enum TransactionType: String, Hashable, Sendable, CaseIterable {
    /// Money came in from outside: one entry, `+amount`.
    case deposit
    /// Money went out: one entry, `−amount`.
    case withdrawal
    /// Money moved between two wallets of one currency: two entries, `−amount` then `+amount`.
    case transfer
}
