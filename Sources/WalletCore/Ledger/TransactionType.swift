/// What a ledger transaction did. The raw values are the names the API and the database use.
public enum TransactionType: String, Hashable, Sendable, CaseIterable {
    /// Money came in from outside: the external account `−amount`, the wallet `+amount`.
    case deposit
    /// Money went out: the wallet `−amount`, the external account `+amount` (also a capture without a destination).
    case withdrawal
    /// Money moved between two wallets of one currency: `−amount` then `+amount` (also a capture to a wallet).
    case transfer
    /// Money moved back along the legs of another transaction (``LedgerTransaction/reverses``), each leg's credit
    /// debited and its debit credited.
    case reversal
}
