/// One way the ledger differs from what the acknowledged answers promise.
public enum VerificationFailure: Hashable, Sendable, CustomStringConvertible {
    /// A wallet's balance is not the sum of its acknowledged entries.
    case balanceMismatch(walletID: String, expected: Int64, actual: Int64)
    /// Acknowledged transactions absent from a wallet's history.
    case missingTransactions(walletID: String, transactionIDs: [String])
    /// Transactions in a wallet's history that no acknowledged key accounts for.
    case extraTransactions(walletID: String, transactionIDs: [String])
    /// A transaction listed more than once in one wallet's history.
    case repeatedEntries(walletID: String, transactionID: String, count: Int)
    /// A transaction with another number of entries than its kind writes.
    case entryCountMismatch(transactionID: String, kind: MovementKind, expected: Int, actual: Int)
    /// One key answered with two different outcomes (two transactions, or a transaction and a refusal).
    case keyAnsweredDifferently(key: String, first: String, second: String)
    /// Two keys acknowledged with the same transaction.
    case transactionSharedByKeys(transactionID: String, keys: [String])
    /// An acknowledgement whose entries do not match the request that was sent.
    case entriesDisagreeWithRequest(key: String, detail: String)
    /// A balance below zero, read or acknowledged.
    case negativeBalance(walletID: String, balance: Int64)
    /// The sum of the balances is not the funding plus deposits minus withdrawals.
    case moneyNotConserved(expected: Int64, actual: Int64)
    /// A key that never got a definite answer, even when resent after the run.
    case unresolved(key: String, lastAnswer: String)
    /// A wallet that could not be read.
    case unreadable(walletID: String, reason: String)
    /// A ledger check of the service's own (the direct mode's audit) failed.
    case auditFailed(String)

    public var description: String {
        switch self {
        case .balanceMismatch(let wallet, let expected, let actual):
            "wallet \(wallet): balance expected \(expected), actual \(actual) (off by \(actual - expected))"
        case .missingTransactions(let wallet, let ids):
            "wallet \(wallet): \(ids.count) acknowledged transaction(s) missing from its history: \(Self.list(ids))"
        case .extraTransactions(let wallet, let ids):
            "wallet \(wallet): \(ids.count) transaction(s) in its history that no acknowledged key accounts for: \(Self.list(ids))"
        case .repeatedEntries(let wallet, let id, let count):
            "wallet \(wallet): transaction \(id) appears \(count) times in its history"
        case .entryCountMismatch(let id, let kind, let expected, let actual):
            "transaction \(id) (\(kind.rawValue)): \(actual) entries across the histories, expected \(expected)"
        case .keyAnsweredDifferently(let key, let first, let second):
            "duplicate key \(key): answered with \(first) and with \(second)"
        case .transactionSharedByKeys(let id, let keys):
            "transaction \(id) acknowledged for \(keys.count) different keys: \(Self.list(keys))"
        case .entriesDisagreeWithRequest(let key, let detail):
            "key \(key): the acknowledged entries do not match the request: \(detail)"
        case .negativeBalance(let wallet, let balance):
            "wallet \(wallet): negative balance \(balance)"
        case .moneyNotConserved(let expected, let actual):
            "total money: expected funding + deposits - withdrawals = \(expected), sum of balances = \(actual)"
        case .unresolved(let key, let last):
            "key \(key): no definite answer even after resending (last: \(last))"
        case .unreadable(let wallet, let reason):
            "wallet \(wallet): could not be read: \(reason)"
        case .auditFailed(let report):
            "ledger audit failed: \(report)"
        }
    }

    /// The most ids named in one failure.
    static let maximumListedIDs = 20

    private static func list(_ ids: [String]) -> String {
        let shown = ids.prefix(maximumListedIDs).joined(separator: ", ")
        return ids.count > maximumListedIDs ? shown + ", … (\(ids.count - maximumListedIDs) more)" : shown
    }
}
