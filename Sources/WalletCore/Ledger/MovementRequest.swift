/// A money movement a principal asks for. Amounts are validated by ``Amount``; ownership, currencies and balances are
/// checked by the money logic inside the movement's transaction.
public enum MovementRequest: Hashable, Sendable {
    /// Money into the caller's wallet.
    case deposit(wallet: WalletID, amount: Amount)
    /// Money out of the caller's wallet.
    case withdrawal(wallet: WalletID, amount: Amount)
    /// Money from the caller's wallet to any wallet of the same currency.
    case transfer(from: WalletID, to: WalletID, amount: Amount)

    /// The names of the canonical request fields, in canonical order: what ``WalletError/idempotencyKeyReused(mismatchedFields:)``
    /// reports. `operation` stands for the route; the others are the HTTP contract's path id and body fields.
    public static let fieldNames = ["operation", "wallet_id", "from_wallet_id", "to_wallet_id", "amount"]

    /// What the movement does.
    public var type: TransactionType {
        switch self {
        case .deposit: .deposit
        case .withdrawal: .withdrawal
        case .transfer: .transfer
        }
    }

    /// The amount to move.
    public var amount: Amount {
        switch self {
        case .deposit(_, let amount), .withdrawal(_, let amount), .transfer(_, _, let amount): amount
        }
    }

    /// The wallets the movement names, each once, in ascending id order (the order they are locked in).
    var walletIDs: [WalletID] {
        switch self {
        case .deposit(let wallet, _), .withdrawal(let wallet, _): [wallet]
        case .transfer(let from, let to, _): from == to ? [from] : [min(from, to), max(from, to)]
        }
    }

    /// The request's fields by name (see ``fieldNames``): what its idempotency fingerprint covers.
    var fields: [String: String] {
        switch self {
        case .deposit(let wallet, let amount), .withdrawal(let wallet, let amount):
            ["operation": type.rawValue, "wallet_id": wallet.rawValue, "amount": amount.description]
        case .transfer(let from, let to, let amount):
            ["operation": type.rawValue, "from_wallet_id": from.rawValue, "to_wallet_id": to.rawValue, "amount": amount.description]
        }
    }
}
