/// How one attempt of a money movement ended, as the client sees it.
public enum MovementAnswer: Hashable, Sendable {
    /// The money moved (`201` with the transaction: a deposit, withdrawal, transfer, capture, multi-leg transfer or
    /// reversal), or a replay of that answer.
    case acknowledged(Acknowledgement, replayed: Bool)
    /// A hold was placed (`201`) or voided (`200`): the hold as the answer shows it, or a replay of that answer.
    case holdAcknowledged(HoldState, replayed: Bool)
    /// A business refusal pinned under the key (`422 insufficient_funds`, `422 hold_captured` and the like): nothing
    /// moved.
    case refused(code: String, replayed: Bool)
    /// Any other definite error (a 4xx that the service does not retry): nothing moved.
    case rejected(status: Int, code: String)
    /// No definite answer: `409 idempotency_key_in_use`, `429 rate_limited`, a 5xx, a timeout or a connection error. The movement may or
    /// may not have happened; resending it with the same key finds out.
    case uncertain(reason: String, retryAfterSeconds: Double?)

    /// The `422` business refusals of the HTTP contract: pinned under the key and replayed.
    public static let businessRefusalCodes: Set<String> = [
        "insufficient_funds", "currency_mismatch", "same_wallet", "balance_limit_exceeded", "amount_exceeds_hold", "hold_captured",
        "hold_voided", "hold_expired", "amount_exceeds_reversible", "reversal_must_be_whole", "not_reversible",
    ]

    /// True unless the answer is ``uncertain(reason:retryAfterSeconds:)``.
    public var isDefinite: Bool {
        if case .uncertain = self { return false }
        return true
    }

    /// True for a stored answer replayed under the key.
    public var isReplay: Bool {
        switch self {
        case .acknowledged(_, let replayed), .holdAcknowledged(_, let replayed), .refused(_, let replayed): replayed
        case .rejected, .uncertain: false
        }
    }

    /// The label this attempt is counted under in the status counts: the HTTP status, or what went wrong.
    public var statusLabel: String {
        switch self {
        case .acknowledged: "201"
        case .holdAcknowledged(let hold, _): hold.status == "voided" ? "200" : "201"
        case .refused(let code, _): "422 \(code)"
        case .rejected(let status, let code): "\(status) \(code)"
        case .uncertain(let reason, _): reason
        }
    }
}
