import Synchronization

/// The ``ExpectedLedger`` of a run, shared by every task that gets answers.
public final class AnswerBook: Sendable {
    private let ledger: Mutex<ExpectedLedger>

    public init(walletIDs: [String]) {
        self.ledger = Mutex(ExpectedLedger(walletIDs: walletIDs))
    }

    /// Records the answer to one attempt.
    public func record(_ movement: PlannedMovement, answer: MovementAnswer) {
        ledger.withLock { $0.record(movement, answer: answer) }
    }

    /// A copy of the ledger as recorded so far.
    public var snapshot: ExpectedLedger { ledger.withLock { $0 } }
}
