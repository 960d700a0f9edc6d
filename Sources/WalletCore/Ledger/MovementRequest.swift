/// A money movement a principal asks for. Amounts are validated by ``Amount``; ownership, currencies, balances and
/// holds are checked by the money logic inside the movement's transaction.
public enum MovementRequest: Hashable, Sendable {
    /// Money into the caller's wallet.
    case deposit(wallet: WalletID, amount: Amount)
    /// Money out of the caller's wallet.
    case withdrawal(wallet: WalletID, amount: Amount)
    /// Money from the caller's wallet to any wallet of the same currency.
    case transfer(from: WalletID, to: WalletID, amount: Amount)
    /// 1 to ``TransferLeg/maximumCount`` transfers in one transaction, applied in order: all or none.
    case multiLeg([TransferLeg])
    /// Money back along the legs of transaction `original`: `amount` of a single-leg one (all that is left when
    /// nil), or a multi-leg one whole.
    case reversal(of: TransactionID, amount: Amount?, reason: MovementDescription?)
    /// A hold of `amount` on the caller's wallet, for `expiresIn`.
    case placeHold(wallet: WalletID, amount: Amount, expiresIn: HoldExpiry)
    /// The capture of the caller's hold: `amount` (the whole hold when nil) to wallet `to`, or out of the ledger
    /// when nil; the rest of the hold is released.
    case captureHold(HoldID, amount: Amount?, to: WalletID?)
    /// The release of the caller's hold.
    case voidHold(HoldID)
    /// The sweeper's record that a hold reached its time. Runs without an idempotency key
    /// (``MoneyMovements/expire(_:on:placedBy:)``); clients cannot ask for it.
    case expireHold(HoldID)

    /// What the movement does.
    public var operation: MovementOperation {
        switch self {
        case .deposit: .deposit
        case .withdrawal: .withdrawal
        case .transfer: .transfer
        case .multiLeg: .multileg
        case .reversal: .reversal
        case .placeHold: .hold
        case .captureHold: .capture
        case .voidHold: .void
        case .expireHold: .expire
        }
    }

    /// The hold the movement resolves; nil for the others.
    var holdID: HoldID? {
        switch self {
        case .captureHold(let hold, _, _), .voidHold(let hold), .expireHold(let hold): hold
        default: nil
        }
    }

    /// The transaction a reversal moves money back along; nil for the others.
    var reversedTransactionID: TransactionID? {
        if case .reversal(let original, _, _) = self { return original }
        return nil
    }

    /// The wallets the request names itself, each once, in ascending id order (the order they are locked in). A
    /// movement on a hold also touches the hold's wallet, and a reversal the wallets of the transaction it
    /// reverses, which the request does not name.
    var walletIDs: [WalletID] {
        switch self {
        case .deposit(let wallet, _), .withdrawal(let wallet, _), .placeHold(let wallet, _, _): [wallet]
        case .transfer(let from, let to, _): Set([from, to]).sorted()
        case .multiLeg(let legs): Set(legs.flatMap { [$0.from, $0.to] }).sorted()
        case .captureHold(_, _, let to): to.map { [$0] } ?? []
        case .voidHold, .expireHold, .reversal: []
        }
    }

    /// The request's fields as (name, value) pairs in canonical order: what its idempotency fingerprint covers and
    /// what ``WalletError/idempotencyKeyReused(mismatchedFields:)`` names. `operation` stands for the route; the
    /// others are the HTTP contract's path ids and body fields (`legs[2].amount`). A text counts by its SHA-256,
    /// so that every fingerprint stays small.
    func fields(details: MovementDetails) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = [("operation", operation.rawValue)]
        func add(_ name: String, _ value: String?) {
            if let value { fields.append((name, value)) }
        }
        switch self {
        case .deposit(let wallet, let amount), .withdrawal(let wallet, let amount):
            add("wallet_id", wallet.rawValue)
            add("amount", amount.description)
        case .transfer(let from, let to, let amount):
            add("from_wallet_id", from.rawValue)
            add("to_wallet_id", to.rawValue)
            add("amount", amount.description)
        case .multiLeg(let legs):
            for (index, leg) in legs.enumerated() {
                add("legs[\(index)].from_wallet_id", leg.from.rawValue)
                add("legs[\(index)].to_wallet_id", leg.to.rawValue)
                add("legs[\(index)].amount", leg.amount.description)
            }
        case .reversal(let original, let amount, let reason):
            add("transaction_id", original.rawValue)
            add("amount", amount?.description)
            add("reason", reason.map { RequestFingerprint.digest(of: $0.rawValue) })
        case .placeHold(let wallet, let amount, let expiresIn):
            add("wallet_id", wallet.rawValue)
            add("amount", amount.description)
            add("expires_in_seconds", expiresIn.description)
        case .captureHold(let hold, let amount, let to):
            // (The order of the fields from before multi-leg transactions, so that earlier keys still match.)
            add("hold_id", hold.rawValue)
            add("to_wallet_id", to?.rawValue)
            add("amount", amount?.description)
        case .voidHold(let hold), .expireHold(let hold):
            add("hold_id", hold.rawValue)
        }
        add("description", details.description.map { RequestFingerprint.digest(of: $0.rawValue) })
        add("reference", details.reference?.rawValue)
        for (key, value) in details.metadata.sorted { add("metadata.\(key)", RequestFingerprint.digest(of: value)) }
        return fields
    }
}
