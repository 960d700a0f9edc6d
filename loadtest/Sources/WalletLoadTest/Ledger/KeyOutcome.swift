/// The definite answer a key got: what the verification expects to find in the ledger for it.
public enum KeyOutcome: Hashable, Sendable, CustomStringConvertible {
    /// One transaction with these entries.
    case acknowledged(Acknowledgement)
    /// A hold placed or voided, as the answer showed it.
    case held(HoldState)
    /// No transaction: a business refusal.
    case refused(code: String)
    /// No transaction: another definite error.
    case rejected(status: Int, code: String)

    /// The outcome of a definite answer; nil for an uncertain one.
    init?(_ answer: MovementAnswer) {
        switch answer {
        case .acknowledged(let acknowledgement, _): self = .acknowledged(acknowledgement)
        case .holdAcknowledged(let hold, _): self = .held(hold)
        case .refused(let code, _): self = .refused(code: code)
        case .rejected(let status, let code): self = .rejected(status: status, code: code)
        case .uncertain: return nil
        }
    }

    public var description: String {
        switch self {
        case .acknowledged(let acknowledgement): "transaction \(acknowledgement.transactionID)"
        case .held(let hold): "hold \(hold.id) \(hold.status)"
        case .refused(let code): "refusal \(code)"
        case .rejected(let status, let code): "error \(status) \(code)"
        }
    }
}
