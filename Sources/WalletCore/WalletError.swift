public import MariaDB

/// Everything the wallet core refuses or fails with, for callers to switch on.
///
/// Business refusals (``isBusinessRefusal``) are outcomes of the money logic: a money movement does not throw them
/// but hands them to its renderer as ``MovementOutcome/refused(_:)`` and pins the rendered response under the
/// idempotency key. Reads throw ``walletNotFound`` and ``transactionNotFound`` (which a reversal refuses with);
/// user creation throws ``emailTaken``.
/// The other cases are thrown and never stored, so a client may retry them with the same idempotency key.
public enum WalletError: Error, Sendable, CustomStringConvertible {
    /// The source wallet's available balance (its balance less its active holds) is `available` minor units, less
    /// than the amount.
    case insufficientFunds(available: Int64, amount: Amount)
    /// A transfer between wallets of different currencies.
    case currencyMismatch(source: Currency, destination: Currency)
    /// A transfer from a wallet to itself.
    case sameWallet
    /// No such wallet, or (for anything but a transfer's destination) it belongs to another user.
    case walletNotFound
    /// The movement would push a balance past ``Wallet/maximumBalance``.
    case balanceLimitExceeded
    /// No such hold, or it is on another principal's wallet.
    case holdNotFound
    /// A capture asked for more than the hold reserves (`held` minor units).
    case amountExceedsHold(held: Amount, amount: Amount)
    /// The hold was captured already: a hold is captured at most once.
    case holdCaptured
    /// The hold was voided.
    case holdVoided
    /// The hold reached its `expires_at`.
    case holdExpired
    /// No such transaction, or it touches none of the caller's wallets.
    case transactionNotFound
    /// Leg `index` (from 0) of a multi-leg transfer was refused for `refusal`, on its field `field`
    /// (`from_wallet_id`, `to_wallet_id` or `amount`); no leg moved.
    indirect case refusedLeg(index: Int, field: String, refusal: WalletError)
    /// A reversal asked for more than is left to reverse of the transaction (`reversible` minor units).
    case amountExceedsReversible(reversible: Int64)
    /// A reversal of a multi-leg transaction named an amount: such a transaction is reversed whole.
    case reversalMustBeWhole
    /// The transaction is a reversal, which is not reversed itself.
    case notReversible
    /// The caller may see the transaction but does not own the wallets its money would come back out of.
    case reversalForbidden
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
    /// The event cursor is older than the feed's retention: events after it were purged, so following it would
    /// miss some. Start again from the beginning of what is kept.
    case cursorExpired
    /// No such webhook endpoint, or it belongs to another principal.
    case webhookEndpointNotFound
    /// The principal has ``WebhookEndpoint/maximumPerOwner`` webhook endpoints; delete one first.
    case webhookEndpointLimitReached
    /// No such event is kept, or it is another principal's.
    case eventNotFound
    /// A redelivery found no endpoint of the caller's that is enabled and subscribed to the event's type.
    case noWebhookEndpoint
    /// The idempotency key was used before for a different request; `mismatchedFields` names the request fields
    /// that differ (``MovementRequest/fields(details:)``), in canonical order.
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
        case .insufficientFunds, .currencyMismatch, .sameWallet, .walletNotFound, .balanceLimitExceeded, .holdNotFound,
            .amountExceedsHold, .holdCaptured, .holdVoided, .holdExpired, .transactionNotFound, .refusedLeg, .amountExceedsReversible,
            .reversalMustBeWhole, .notReversible, .reversalForbidden:
            true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .insufficientFunds(let available, let amount): "insufficient funds: \(available) available, the amount is \(amount)"
        case .holdNotFound: "hold not found"
        case .amountExceedsHold(let held, let amount): "the hold reserves \(held), less than \(amount)"
        case .holdCaptured: "the hold was captured already"
        case .holdVoided: "the hold was voided"
        case .holdExpired: "the hold has expired"
        case .currencyMismatch(let source, let destination): "currency mismatch: \(source) to \(destination)"
        case .sameWallet: "the source and destination are the same wallet"
        case .walletNotFound: "wallet not found"
        case .balanceLimitExceeded: "the balance would exceed \(Wallet.maximumBalance)"
        case .transactionNotFound: "transaction not found"
        case .refusedLeg(let index, let field, let refusal): "leg \(index) (\(field)): \(refusal)"
        case .amountExceedsReversible(let reversible): "only \(reversible) is left to reverse"
        case .reversalMustBeWhole: "a multi-leg transaction is reversed whole"
        case .notReversible: "a reversal is not reversed"
        case .reversalForbidden: "the money would come back out of wallets that are not yours"
        case .emailTaken: "the email address is taken"
        case .applicationNameTaken: "an application with this name exists already"
        case .applicationNotFound: "no such application"
        case .apiKeyNotFound: "no such API key"
        case .apiKeyLimitReached: "the application has \(APIKeyStore.maximumLiveKeysPerApplication) live API keys already"
        case .idempotencyKeyReused(let fields): "the idempotency key was used for another request (differs in \(fields.joined(separator: ", ")))"
        case .cursorExpired: "the cursor is older than the event retention"
        case .webhookEndpointNotFound: "no such webhook endpoint"
        case .webhookEndpointLimitReached: "the principal has \(WebhookEndpoint.maximumPerOwner) webhook endpoints already"
        case .eventNotFound: "no such event"
        case .noWebhookEndpoint: "no enabled webhook endpoint is subscribed to the event's type"
        case .idempotencyKeyInUse: "another request with this idempotency key is in progress"
        case .contention: "too much contention on the wallets; nothing was committed"
        case .unavailable(let error): "the database is unavailable: \(error)"
        case .databaseFailure(let error): "database failure: \(error)"
        }
    }
}
