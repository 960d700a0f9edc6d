/// One logical money movement of the workload: what to send, under which idempotency key, and whether to send it
/// again as a duplicate.
public struct PlannedMovement: Hashable, Sendable {
    /// When a duplicate of a movement is sent.
    public enum DuplicateTiming: String, Hashable, Sendable {
        /// At the same time as the original: the service must make one of them wait or answer 409.
        case concurrent
        /// After the original got its answer: the service must replay it.
        case afterOriginal
    }

    /// The idempotency key: unique per logical movement, the same on every retry and duplicate.
    public let key: String
    /// What the movement does.
    public let kind: MovementKind
    /// The wallet index the money leaves (withdrawal, transfer) or enters (deposit); its owner sends the request.
    public let wallet: Int
    /// A transfer's destination wallet index; nil for deposits and withdrawals.
    public let destination: Int?
    /// The amount in minor units.
    public let amount: Int64
    /// Whether and when a duplicate is sent; nil for none.
    public let duplicate: DuplicateTiming?

    public init(key: String, kind: MovementKind, wallet: Int, destination: Int?, amount: Int64, duplicate: DuplicateTiming?) {
        precondition((kind == .transfer) == (destination != nil), "exactly transfers have a destination")
        precondition(destination != wallet, "a transfer moves money between two wallets")
        self.key = key
        self.kind = kind
        self.wallet = wallet
        self.destination = destination
        self.amount = amount
        self.duplicate = duplicate
    }
}
