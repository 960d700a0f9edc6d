import HTTPTypes
public import WalletCore

extension WalletError {
    /// How long a client should wait before retrying after contention or while the database is away.
    static let retryAfterSeconds = 1

    /// The problem answer of this error; nil for a database failure, which is the service's fault (a 500).
    public var problem: Problem? {
        switch self {
        case .insufficientFunds(let balance, let amount):
            return Problem(
                .unprocessableContent,
                code: "insufficient_funds",
                title: "Insufficient funds",
                detail: "The balance is \(balance); \(amount.minorUnits) cannot be taken from it."
            )
        case .currencyMismatch(let source, let destination):
            return Problem(
                .unprocessableContent,
                code: "currency_mismatch",
                title: "Currency mismatch",
                detail: "The source wallet holds \(source.code) and the destination \(destination.code); transfers need one currency."
            )
        case .sameWallet:
            return Problem(
                .unprocessableContent,
                code: "same_wallet",
                title: "Same wallet",
                detail: "A transfer needs two different wallets."
            )
        case .walletNotFound:
            return Problem(.notFound, code: "wallet_not_found", title: "Wallet not found", detail: "No such wallet is visible to you.")
        case .balanceLimitExceeded:
            return Problem(
                .unprocessableContent,
                code: "balance_limit_exceeded",
                title: "Balance limit exceeded",
                detail: "The balance would pass \(Wallet.maximumBalance) minor units."
            )
        case .transactionNotFound:
            return Problem(.notFound, code: "not_found", title: "Not found", detail: "No such transaction is visible to you.")
        case .emailTaken:
            return Problem(.conflict, code: "email_taken", title: "Email taken", detail: "A user with this email address exists already.")
        case .applicationNameTaken:
            return Problem(.conflict, code: "application_name_taken", title: "Application name taken", detail: "An application with this name exists already.")
        case .applicationNotFound:
            return Problem(.notFound, code: "application_not_found", title: "Application not found", detail: "No application has this name.")
        case .apiKeyNotFound:
            return Problem(.notFound, code: "api_key_not_found", title: "API key not found", detail: "No such API key belongs to this application.")
        case .apiKeyLimitReached:
            return Problem(
                .unprocessableContent,
                code: "api_key_limit_reached",
                title: "API key limit reached",
                detail: "An application may have \(APIKeyStore.maximumLiveKeysPerApplication) keys that work at once; revoke one first."
            )
        case .idempotencyKeyReused(let fields):
            return Problem(
                .unprocessableContent,
                code: "idempotency_key_reused",
                title: "Idempotency key reused",
                detail: "This Idempotency-Key was used for a different request (differing: \(fields.joined(separator: ", "))). "
                    + "Use a new key for a new request.",
                invalidParameters: fields.map { .init(name: $0, reason: "differs from the request first sent with this key") }
            )
        case .idempotencyKeyInUse:
            return Problem(
                .conflict,
                code: "idempotency_key_in_use",
                title: "Idempotency key in use",
                detail: "A request with this Idempotency-Key is still running; retry after a moment to get its answer.",
                headers: Self.retryAfter
            )
        case .contention:
            return Problem(
                .serviceUnavailable,
                code: "contention",
                title: "Contention",
                detail: "The wallets were too busy to update right now; nothing was done. Retry with the same Idempotency-Key.",
                headers: Self.retryAfter
            )
        case .unavailable:
            return .unavailable("The database cannot be reached right now; nothing was done.", retryAfterSeconds: Self.retryAfterSeconds)
        case .databaseFailure:
            return nil
        }
    }

    private static var retryAfter: HTTPFields {
        var headers = HTTPFields()
        headers[.retryAfter] = String(retryAfterSeconds)
        return headers
    }
}
