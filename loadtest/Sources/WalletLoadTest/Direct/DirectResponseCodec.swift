public import WalletCore

/// The direct mode's stand-in for the HTTP layer's rendering: a tiny body that WalletCore pins under the key and
/// replays, from which the harness reads the answer back. No JSON.
///
/// A completed movement is `201` with `<transaction id> <wallet id>:<amount>:<balance after>…`; a refusal is its
/// status with the contract's problem code as the body.
public enum DirectResponseCodec {
    /// Renders a movement's outcome.
    @Sendable public static func render(_ outcome: MovementOutcome) -> StoredResponse {
        switch outcome {
        case .completed(let transaction):
            let entries = transaction.entries.map { "\($0.walletID.rawValue):\($0.amount):\($0.balanceAfter)" }
            return StoredResponse(status: 201, body: Array(([transaction.id.rawValue] + entries).joined(separator: " ").utf8))
        case .refused(let error):
            let (status, code) = problem(for: error)
            return StoredResponse(status: status, body: Array(code.utf8))
        }
    }

    /// What a rendered (or replayed) response means for the movement.
    public static func answer(to response: StoredResponse, isReplay: Bool) -> MovementAnswer {
        let body = String(decoding: response.body, as: UTF8.self)
        guard response.status == 201 else {
            if response.status == 422, MovementAnswer.businessRefusalCodes.contains(body) { return .refused(code: body, replayed: isReplay) }
            return .rejected(status: response.status, code: body)
        }
        let fields = body.split(separator: " ")
        var entries: [Acknowledgement.Entry] = []
        for field in fields.dropFirst() {
            let parts = field.split(separator: ":")
            guard parts.count == 3, let amount = Int64(parts[1]), let balanceAfter = Int64(parts[2]) else {
                return .uncertain(reason: "201 unreadable body", retryAfterSeconds: nil)
            }
            entries.append(Acknowledgement.Entry(walletID: String(parts[0]), amount: amount, balanceAfter: balanceAfter))
        }
        guard let transactionID = fields.first, !entries.isEmpty else { return .uncertain(reason: "201 unreadable body", retryAfterSeconds: nil) }
        return .acknowledged(Acknowledgement(transactionID: String(transactionID), entries: entries), replayed: isReplay)
    }

    /// The status and problem code the HTTP contract gives a business refusal.
    static func problem(for error: WalletError) -> (status: Int, code: String) {
        switch error {
        case .insufficientFunds: (422, "insufficient_funds")
        case .currencyMismatch: (422, "currency_mismatch")
        case .sameWallet: (422, "same_wallet")
        case .balanceLimitExceeded: (422, "balance_limit_exceeded")
        case .walletNotFound: (404, "wallet_not_found")
        default: (500, "internal_error")
        }
    }
}
