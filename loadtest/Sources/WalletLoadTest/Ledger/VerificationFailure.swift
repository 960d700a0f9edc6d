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
    /// The sum of the balances is not the funding plus deposits minus withdrawals and captures out of the ledger, with
    /// what reversals of them brought back in or took out.
    case moneyNotConserved(expected: Int64, actual: Int64)
    /// An acknowledged transaction whose legs do not sum to zero.
    case legsDoNotSumToZero(transactionID: String, sum: Int64)
    /// An acknowledged capture's transaction as `GET /v1/transactions/{id}` shows it differs from the answer.
    case transactionReadBackMismatch(transactionID: String, detail: String)
    /// An acknowledged capture's transaction that could not be read back.
    case transactionUnreadable(transactionID: String, reason: String)
    /// Two keys acknowledged with the same hold.
    case holdSharedByKeys(holdID: String, keys: [String])
    /// A hold's answer (placed or voided) that does not match the request that was sent.
    case holdDisagreesWithRequest(key: String, detail: String)
    /// More than one capture or void acknowledged for one hold.
    case holdResolvedTwice(holdID: String, keys: [String])
    /// A hold read back in a state the acknowledged answers do not allow.
    case holdStateMismatch(holdID: String, detail: String)
    /// A hold that could not be read back.
    case holdUnreadable(holdID: String, reason: String)
    /// A capture or void refused with a code its hold's final state contradicts, or one this workload never causes.
    case holdRefusalUnexplained(key: String, code: String, holdID: String, detail: String)
    /// A capture or void of a hold this run placed, answered with another error (such as `404 hold_not_found`).
    case holdMovementRejected(key: String, holdID: String, answer: String)
    /// A wallet's `held` is not the sum of its active holds as read back.
    case heldMismatch(walletID: String, expected: String, actual: Int64?)
    /// A wallet's `available` is not `balance − held`, or is negative.
    case availableMismatch(walletID: String, balance: Int64, held: Int64, available: Int64?)
    /// A wallet's active holds as listed differ from its holds read back active.
    case activeHoldsDisagree(walletID: String, missing: [String], extra: [String])
    /// An acknowledged reversal whose legs are not its original's legs reversed (for the amount asked, or at most
    /// the original's), or whose original this run never acknowledged.
    case reversalDisagreesWithOriginal(key: String, transactionID: String, detail: String)
    /// The acknowledged reversals of one transaction take back more than it moved, a multi-leg one was reversed
    /// more than once, or a whole reversal did not take back all that was left.
    case reversalsExceedOriginal(transactionID: String, keys: [String], detail: String)
    /// A reversed transaction read back with a `reversed_amount` or `reversal_ids` other than its acknowledged
    /// reversals.
    case reversalReadBackMismatch(transactionID: String, detail: String)
    /// A reversal refused with a code the acknowledged reversals of its original do not explain, or one this
    /// workload never causes (`reversal_forbidden`, `not_reversible`, …), or answered with another error.
    case reversalRefusalUnexplained(key: String, code: String, transactionID: String, detail: String)
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
            "total money: expected funding + deposits - withdrawals - captures out = \(expected), sum of balances = \(actual)"
        case .legsDoNotSumToZero(let id, let sum):
            "transaction \(id): its legs sum to \(sum), not 0"
        case .transactionReadBackMismatch(let id, let detail):
            "transaction \(id): read back differs from its acknowledgement: \(detail)"
        case .transactionUnreadable(let id, let reason):
            "transaction \(id): could not be read back: \(reason)"
        case .holdSharedByKeys(let id, let keys):
            "hold \(id) acknowledged for \(keys.count) different keys: \(Self.list(keys))"
        case .holdDisagreesWithRequest(let key, let detail):
            "key \(key): the hold in the answer does not match the request: \(detail)"
        case .holdResolvedTwice(let id, let keys):
            "hold \(id): \(keys.count) captures or voids acknowledged, at most one may be: \(Self.list(keys))"
        case .holdStateMismatch(let id, let detail):
            "hold \(id): \(detail)"
        case .holdUnreadable(let id, let reason):
            "hold \(id): could not be read back: \(reason)"
        case .holdRefusalUnexplained(let key, let code, let id, let detail):
            "key \(key): refusal \(code) for hold \(id): \(detail)"
        case .holdMovementRejected(let key, let id, let answer):
            "key \(key): a capture or void of hold \(id), which this run placed, was answered \(answer)"
        case .heldMismatch(let wallet, let expected, let actual):
            "wallet \(wallet): held \(actual.map { "\($0)" } ?? "missing"), expected \(expected) (its active holds as read back)"
        case .availableMismatch(let wallet, let balance, let held, let available):
            "wallet \(wallet): available \(available.map { "\($0)" } ?? "missing"), expected balance \(balance) - held \(held) = \(balance - held) (never negative)"
        case .activeHoldsDisagree(let wallet, let missing, let extra):
            "wallet \(wallet): its active-hold listing lacks \(missing.count) hold(s) read back active (\(Self.list(missing))) "
                + "and has \(extra.count) hold(s) not read back active (\(Self.list(extra)))"
        case .reversalDisagreesWithOriginal(let key, let id, let detail):
            "key \(key): the reversal of \(id) does not move its legs back: \(detail)"
        case .reversalsExceedOriginal(let id, let keys, let detail):
            "transaction \(id): \(detail) (reversals acknowledged for \(Self.list(keys)))"
        case .reversalReadBackMismatch(let id, let detail):
            "transaction \(id): read back differs from its acknowledged reversals: \(detail)"
        case .reversalRefusalUnexplained(let key, let code, let id, let detail):
            "key \(key): reversal of \(id) answered \(code): \(detail)"
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
