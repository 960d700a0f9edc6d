@testable import WalletCore

extension MovementResult {
    /// The committed transaction, if the money logic completed the movement.
    var transaction: LedgerTransaction? {
        if case .completed(let transaction)? = outcome { return transaction }
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
        case .transactionNotFound: "transactionNotFound"
        case .emailTaken: "emailTaken"
        case .applicationNameTaken: "applicationNameTaken"
        case .applicationNotFound: "applicationNotFound"
        case .apiKeyNotFound: "apiKeyNotFound"
        case .apiKeyLimitReached: "apiKeyLimitReached"
        case .idempotencyKeyReused: "idempotencyKeyReused"
        case .idempotencyKeyInUse: "idempotencyKeyInUse"
        case .contention: "contention"
        case .unavailable: "unavailable"
        case .databaseFailure: "databaseFailure"
        }
    }
}
