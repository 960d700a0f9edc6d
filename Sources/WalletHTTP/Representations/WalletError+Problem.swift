import HTTPTypes
public import WalletCore

extension WalletError {
    /// How long a client should wait before retrying after contention or while the database is away.
    static let retryAfterSeconds = 1

    /// The problem answer of this error; nil for a database failure, which is the service's fault (a 500).
    public var problem: Problem? {
        switch self {
        case .insufficientFunds(let available, let amount):
            return Problem(
                .unprocessableContent,
                code: "insufficient_funds",
                title: "Insufficient funds",
                detail: "The available balance (the balance less active holds) is \(available); \(amount.minorUnits) cannot be taken from it."
            )
        case .cursorExpired:
            return Problem(
                .gone,
                code: "cursor_expired",
                title: "Cursor expired",
                detail: "Events after this cursor are past the retention and were purged; read the feed again from its beginning (no cursor).",
                invalidParameters: [.init(name: "after", reason: "is older than the event retention")]
            )
        case .webhookEndpointNotFound:
            return Problem(.notFound, code: "webhook_endpoint_not_found", title: "Webhook endpoint not found", detail: "No such webhook endpoint is yours.")
        case .webhookEndpointLimitReached:
            return Problem(
                .unprocessableContent,
                code: "webhook_endpoint_limit_reached",
                title: "Webhook endpoint limit reached",
                detail: "You have \(WebhookEndpoint.maximumPerOwner) webhook endpoints, the most allowed; delete one first."
            )
        case .eventNotFound:
            return Problem(.notFound, code: "event_not_found", title: "Event not found", detail: "No such event of yours is kept.")
        case .noWebhookEndpoint:
            return Problem(
                .unprocessableContent,
                code: "no_webhook_endpoint",
                title: "No webhook endpoint",
                detail: "None of your webhook endpoints is enabled and subscribed to this event's type (or the one named is not)."
            )
        case .holdNotFound:
            return Problem(.notFound, code: "hold_not_found", title: "Hold not found", detail: "No such hold is visible to you.")
        case .amountExceedsHold(let held, let amount):
            return Problem(
                .unprocessableContent,
                code: "amount_exceeds_hold",
                title: "Amount exceeds hold",
                detail: "The hold reserves \(held.minorUnits); a capture of \(amount.minorUnits) would take more.",
                invalidParameters: [.init(name: "amount", reason: "must be at most the hold's amount, \(held.minorUnits)")]
            )
        case .holdCaptured:
            return Problem(.unprocessableContent, code: "hold_captured", title: "Hold captured", detail: "The hold was captured already; a hold is captured at most once.")
        case .holdVoided:
            return Problem(.unprocessableContent, code: "hold_voided", title: "Hold voided", detail: "The hold was voided; its amount is available again.")
        case .holdExpired:
            return Problem(.unprocessableContent, code: "hold_expired", title: "Hold expired", detail: "The hold reached its expires_at; its amount is available again.")
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
        case .refusedLeg(let index, let field, let refusal):
            guard let problem = refusal.problem else { return nil }
            return Problem(
                problem.status, code: problem.code, title: problem.title, detail: "Leg \(index): \(problem.detail) No leg was moved.",
                invalidParameters: [.init(name: "legs[\(index)].\(field)", reason: problem.detail)]
            )
        case .amountExceedsReversible(let reversible):
            return Problem(
                .unprocessableContent,
                code: "amount_exceeds_reversible",
                title: "Amount exceeds reversible",
                detail: "\(reversible) is left to reverse of this transaction.",
                invalidParameters: [.init(name: "amount", reason: "must be at most what is left to reverse, \(reversible)")]
            )
        case .reversalMustBeWhole:
            return Problem(
                .unprocessableContent,
                code: "reversal_must_be_whole",
                title: "Reversal must be whole",
                detail: "A transaction of several legs is reversed whole, once: send no amount.",
                invalidParameters: [.init(name: "amount", reason: "must be absent for a multi-leg transaction")]
            )
        case .notReversible:
            return Problem(.unprocessableContent, code: "not_reversible", title: "Not reversible", detail: "A reversal cannot be reversed itself.")
        case .reversalForbidden:
            return Problem(
                .forbidden,
                code: "reversal_forbidden",
                title: "Reversal forbidden",
                detail: "Only the owner of the wallets the money went to may move it back out of them."
            )
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
