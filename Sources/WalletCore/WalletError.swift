public import MariaDB

/// Everything the wallet core refuses or fails with, for callers to switch on.
///
/// Business refusals (``isBusinessRefusal``) are outcomes of the money logic: a money movement does not throw them
/// but hands them to its renderer as ``MovementOutcome/refused(_:)`` and pins the rendered response under the
/// idempotency key. Reads throw ``walletNotFound`` and ``transactionNotFound``; user creation throws ``emailTaken``.
/// The other cases are thrown and never stored, so a client may retry them with the same idempotency key.
public enum WalletError: Error, Sendable, CustomStringConvertible {
    /// The source wallet holds less than the amount (`balance` minor units).
    case insufficientFunds(balance: Int64, amount: Amount)
    /// A transfer between wallets of different currencies.
    case currencyMismatch(source: Currency, destination: Currency)
    /// A transfer from a wallet to itself.
    case sameWallet
    /// No such wallet, or (for anything but a transfer's destination) it belongs to another user.
    case walletNotFound
    /// The movement would push a balance past ``Wallet/maximumBalance``.
    case balanceLimitExceeded
    /// No such transaction, or it touches none of the caller's wallets.
    case transactionNotFound
    /// Another user already has this email address.
    case emailTaken
    /// Another application already has this name.
    case applicationNameTaken
    /// No application has this name or id.
    case applicationNotFound
    /// No such API key, or it belongs to another application.
    case apiKeyNotFound
    /// The application has ``APIKeyStore/maximumLiveKeysPerApplication`` keys that still work; revoke one first.
    case apiKeyLimitReached
    /// The idempotency key was used before for a different request; `mismatchedFields` names the request fields
    /// that differ (``MovementRequest/fieldNames``), in canonical order.
    case idempotencyKeyReused(mismatchedFields: [String])
    /// Another request with this idempotency key is still running; retry later with the same key.
    case idempotencyKeyInUse
    /// Concurrent movements on the same wallets kept conflicting until the retry budget ran out, or too many
    /// movements were already queued for a wallet. Nothing was committed; retry later with the same key.
    case contention
    /// The database cannot be reached (connection refused or lost, no pooled connection in time, pool shut down).
    case unavailable(MariaDBError)
    /// The database failed in an unexpected way (a bug or a broken schema, not the client's doing).
    case databaseFailure(MariaDBError)

    /// True for the refusals of the money logic, which a movement pins under its idempotency key and replays.
    public var isBusinessRefusal: Bool {
        switch self {
        case .insufficientFunds, .currencyMismatch, .sameWallet, .walletNotFound, .balanceLimitExceeded: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .insufficientFunds(let balance, let amount): "insufficient funds: the wallet holds \(balance), the amount is \(amount)"
        case .currencyMismatch(let source, let destination): "currency mismatch: \(source) to \(destination)"
        case .sameWallet: "the source and destination are the same wallet"
        case .walletNotFound: "wallet not found"
        case .balanceLimitExceeded: "the balance would exceed \(Wallet.maximumBalance)"
        case .transactionNotFound: "transaction not found"
        case .emailTaken: "the email address is taken"
        case .applicationNameTaken: "an application with this name exists already"
        case .applicationNotFound: "no such application"
        case .apiKeyNotFound: "no such API key"
        case .apiKeyLimitReached: "the application has \(APIKeyStore.maximumLiveKeysPerApplication) live API keys already"
        case .idempotencyKeyReused(let fields): "the idempotency key was used for another request (differs in \(fields.joined(separator: ", ")))"
        case .idempotencyKeyInUse: "another request with this idempotency key is in progress"
        case .contention: "too much contention on the wallets; nothing was committed"
        case .unavailable(let error): "the database is unavailable: \(error)"
        case .databaseFailure(let error): "database failure: \(error)"
        }
    }
}
