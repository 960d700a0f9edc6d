@testable import WalletCore

extension MovementResult {
    /// The committed transaction, if the money logic completed the movement.
    var transaction: LedgerTransaction? {
        if case .completed(let transaction)? = outcome { return transaction }
        return nil
    }

    /// The hold, if the movement placed, voided or expired one.
    var hold: Hold? {
        if case .held(let hold)? = outcome { return hold }
        return nil
    }

    /// The business refusal, if the money logic refused the movement.
    var refusal: WalletError? {
        if case .refused(let refusal)? = outcome { return refusal }
        return nil
    }

    /// The response body as text.
    var bodyText: String { String(decoding: response.body, as: UTF8.self) }
}

extension WalletError {
    /// The case's name, for comparing errors that carry non-equatable details.
    var caseName: String {
        switch self {
        case .insufficientFunds: "insufficientFunds"
        case .currencyMismatch: "currencyMismatch"
        case .sameWallet: "sameWallet"
        case .walletNotFound: "walletNotFound"
        case .balanceLimitExceeded: "balanceLimitExceeded"
        case .holdNotFound: "holdNotFound"
        case .amountExceedsHold: "amountExceedsHold"
        case .holdCaptured: "holdCaptured"
        case .holdVoided: "holdVoided"
        case .holdExpired: "holdExpired"
        case .transactionNotFound: "transactionNotFound"
        case .refusedLeg: "refusedLeg"
        case .amountExceedsReversible: "amountExceedsReversible"
        case .reversalMustBeWhole: "reversalMustBeWhole"
        case .notReversible: "notReversible"
        case .reversalForbidden: "reversalForbidden"
        case .emailTaken: "emailTaken"
        case .applicationNameTaken: "applicationNameTaken"
        case .applicationNotFound: "applicationNotFound"
        case .apiKeyNotFound: "apiKeyNotFound"
        case .apiKeyLimitReached: "apiKeyLimitReached"
        case .cursorExpired: "cursorExpired"
        case .webhookEndpointNotFound: "webhookEndpointNotFound"
        case .webhookEndpointLimitReached: "webhookEndpointLimitReached"
        case .eventNotFound: "eventNotFound"
        case .noWebhookEndpoint: "noWebhookEndpoint"
        case .idempotencyKeyReused: "idempotencyKeyReused"
        case .idempotencyKeyInUse: "idempotencyKeyInUse"
        case .contention: "contention"
        case .unavailable: "unavailable"
        case .databaseFailure: "databaseFailure"
        }
    }
}

extension PrincipalID {
    /// The user's id, when the principal is a user.
    var user: UserID? {
        if case .user(let id) = self { return id }
        return nil
    }
}
