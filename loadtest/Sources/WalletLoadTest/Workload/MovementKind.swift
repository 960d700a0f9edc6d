/// The movements the workload sends: the three plain money movements, the three of a hold's life, multi-leg
/// transfers and reversals.
public enum MovementKind: String, CaseIterable, Codable, Sendable {
    case deposit, withdrawal, transfer, hold, capture, void, multileg, reversal

    /// How many legs (ledger entries, external account included) the transaction of a movement of this kind
    /// writes; 0 for the kinds that write none, nil for the kinds whose count depends on the movement. A deposit is
    /// `[external −amount, wallet +amount]`, a withdrawal `[wallet −amount, external +amount]`, a transfer
    /// `[source −amount, destination +amount]`, a capture `[hold's wallet −captured, destination or external
    /// +captured]`; placing or voiding a hold moves no money; a multi-leg transfer writes a debit and a credit per
    /// leg, a reversal as many legs as the transaction it reverses.
    public var legCount: Int? {
        switch self {
        case .deposit, .withdrawal, .transfer, .capture: 2
        case .hold, .void: 0
        case .multileg, .reversal: nil
        }
    }

    /// Whether an acknowledged movement of this kind commits a ledger transaction (`201` with a transaction).
    public var writesTransaction: Bool { legCount != 0 }

    /// The kinds of a hold's life: placing one, and capturing or voiding one this run placed.
    public var isHoldKind: Bool { self == .hold || self == .capture || self == .void }

    /// The kinds that act on a hold this run placed.
    public var resolvesHold: Bool { self == .capture || self == .void }

    /// The kinds whose acknowledged transactions a reversal may aim at: every money movement but a reversal.
    public var isReversible: Bool { writesTransaction && self != .reversal }
}
