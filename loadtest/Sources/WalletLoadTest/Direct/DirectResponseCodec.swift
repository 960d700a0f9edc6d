public import WalletCore

/// The direct mode's stand-in for the HTTP layer's rendering: a tiny body that WalletCore pins under the key and
/// replays, from which the harness reads the answer back. No JSON.
///
/// A completed movement is `201` with `<transaction id> [hold=<hold id>] <leg>…`, each leg
/// `<wallet id>:<amount>:<balance after>` or `external:<amount>`; a placed hold is `201` and a voided one `200`
/// with `hold <id> <wallet id> <amount> <status> <captured amount> <transaction id or -> <expires_at> <resolved_at or ->`;
/// a refusal is its status with the contract's problem code as the body.
public enum DirectResponseCodec {
    /// Renders a movement's outcome.
    @Sendable public static func render(_ outcome: MovementOutcome) -> StoredResponse {
        switch outcome {
        case .completed(let transaction):
            let legs = transaction.entries.map { entry in
                guard let walletID = entry.walletID else { return "\(Acknowledgement.externalAccountName):\(entry.amount)" }
                return "\(walletID.rawValue):\(entry.amount):\(entry.balanceAfter ?? 0)"
            }
            let hold = transaction.holdID.map { ["hold=" + $0.rawValue] } ?? []
            return StoredResponse(status: 201, body: Array(([transaction.id.rawValue] + hold + legs).joined(separator: " ").utf8))
        case .held(let hold):
            let state = holdState(hold)
            let fields = [
                "hold", state.id, state.walletID, String(state.amount), state.status, String(state.capturedAmount), state.transactionID ?? "-",
                state.expiresAt, state.resolvedAt ?? "-",
            ]
            return StoredResponse(status: hold.status == .active ? 201 : 200, body: Array(fields.joined(separator: " ").utf8))
        case .refused(let error):
            let (status, code) = problem(for: error)
            return StoredResponse(status: status, body: Array(code.utf8))
        }
    }

    /// A hold as the harness compares it, timestamps in the service's RFC 3339 form.
    static func holdState(_ hold: Hold) -> HoldState {
        HoldState(
            id: hold.id.rawValue, walletID: hold.walletID.rawValue, amount: hold.amount.minorUnits, status: hold.status.rawValue,
            capturedAmount: hold.capturedAmount, transactionID: hold.transactionID?.rawValue,
            expiresAt: Timestamp.string(Timestamp.microseconds(since1970: hold.expiresAt)),
            resolvedAt: hold.resolvedAt.map { Timestamp.string(Timestamp.microseconds(since1970: $0)) })
    }

    /// A transaction as the harness compares it.
    static func acknowledgement(_ transaction: LedgerTransaction) -> Acknowledgement {
        Acknowledgement(
            transactionID: transaction.id.rawValue,
            entries: transaction.entries.map { Acknowledgement.Entry(walletID: $0.walletID?.rawValue, amount: $0.amount, balanceAfter: $0.balanceAfter) },
            holdID: transaction.holdID?.rawValue)
    }

    /// What a rendered (or replayed) response means for the movement.
    public static func answer(to response: StoredResponse, isReplay: Bool) -> MovementAnswer {
        let body = String(decoding: response.body, as: UTF8.self)
        let unreadable = MovementAnswer.uncertain(reason: "\(response.status) unreadable body", retryAfterSeconds: nil)
        let fields = body.split(separator: " ").map(String.init)
        if (response.status == 201 || response.status == 200), fields.first == "hold" {
            guard fields.count == 9, let amount = Int64(fields[3]), let captured = Int64(fields[5]) else { return unreadable }
            let hold = HoldState(
                id: fields[1], walletID: fields[2], amount: amount, status: fields[4], capturedAmount: captured,
                transactionID: fields[6] == "-" ? nil : fields[6], expiresAt: fields[7], resolvedAt: fields[8] == "-" ? nil : fields[8])
            return .holdAcknowledged(hold, replayed: isReplay)
        }
        guard response.status == 201 else {
            if response.status == 422, MovementAnswer.businessRefusalCodes.contains(body) { return .refused(code: body, replayed: isReplay) }
            return .rejected(status: response.status, code: body)
        }
        var entries: [Acknowledgement.Entry] = []
        var holdID: String?
        for field in fields.dropFirst() {
            if field.hasPrefix("hold=") {
                holdID = String(field.dropFirst(5))
                continue
            }
            let parts = field.split(separator: ":")
            if parts.count == 2, parts[0] == Acknowledgement.externalAccountName, let amount = Int64(parts[1]) {
                entries.append(.external(amount))
                continue
            }
            guard parts.count == 3, let amount = Int64(parts[1]), let balanceAfter = Int64(parts[2]) else { return unreadable }
            entries.append(Acknowledgement.Entry(walletID: String(parts[0]), amount: amount, balanceAfter: balanceAfter))
        }
        guard let transactionID = fields.first, !entries.isEmpty else { return unreadable }
        return .acknowledged(Acknowledgement(transactionID: transactionID, entries: entries, holdID: holdID), replayed: isReplay)
    }

    /// The status and problem code the HTTP contract gives a business refusal.
    static func problem(for error: WalletError) -> (status: Int, code: String) {
        switch error {
        case .insufficientFunds: (422, "insufficient_funds")
        case .currencyMismatch: (422, "currency_mismatch")
        case .sameWallet: (422, "same_wallet")
        case .balanceLimitExceeded: (422, "balance_limit_exceeded")
        case .amountExceedsHold: (422, "amount_exceeds_hold")
        case .holdCaptured: (422, "hold_captured")
        case .holdVoided: (422, "hold_voided")
        case .holdExpired: (422, "hold_expired")
        case .amountExceedsReversible: (422, "amount_exceeds_reversible")
        case .reversalMustBeWhole: (422, "reversal_must_be_whole")
        case .notReversible: (422, "not_reversible")
        case .reversalForbidden: (403, "reversal_forbidden")
        case .refusedLeg(_, _, let refusal): problem(for: refusal)
        case .walletNotFound: (404, "wallet_not_found")
        case .holdNotFound: (404, "hold_not_found")
        case .transactionNotFound: (404, "not_found")
        default: (500, "internal_error")
        }
    }
}
