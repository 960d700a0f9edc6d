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
    /// The wallet index the money leaves (withdrawal, transfer, a multi-leg transfer's first leg), enters (deposit)
    /// or is held on (hold, and the hold a capture or void resolves); for a reversal, its target's reverser. Its
    /// owner sends the request.
    public let wallet: Int
    /// A transfer's destination wallet index, or a capture's `to_wallet_id`; nil for the other kinds and for a
    /// capture out of the ledger (a withdrawal).
    public let destination: Int?
    /// The amount in minor units: moved, held, or captured (a whole capture: the hold's amount); a void's is the
    /// hold's amount; a multi-leg transfer's the sum of its legs; a reversal's the amount asked for (a whole one:
    /// the original's amount, the most it can take back).
    public let amount: Int64
    /// Whether and when a duplicate is sent; nil for none.
    public let duplicate: DuplicateTiming?
    /// The hold a capture or void resolves: one this run placed and got `201` for. Nil for the other kinds.
    public let hold: HoldTarget?
    /// A hold's `expires_in_seconds`; nil for the service's default (7 days) and for the other kinds.
    public let expiresInSeconds: Int?
    /// A capture that sends no `amount` (the whole hold); ``amount`` is then the hold's amount.
    public let capturesWholeHold: Bool
    /// A multi-leg transfer's legs, in order; empty for the other kinds.
    public let legs: [PlannedLeg]
    /// The `reference` and `metadata` sent; ``PlannedDetails/none`` for most movements.
    public let details: PlannedDetails
    /// The transaction a reversal aims at: one this run got `201` for. Nil for the other kinds.
    public let reversal: ReversalTarget?
    /// A reversal that sends no `amount` (all that is left; always so for a multi-leg original).
    public let reversesWhole: Bool
    /// A reversal's `reason`; nil for none and for the other kinds.
    public let reason: String?

    public init(
        key: String, kind: MovementKind, wallet: Int, destination: Int?, amount: Int64, duplicate: DuplicateTiming?,
        hold: HoldTarget? = nil, expiresInSeconds: Int? = nil, capturesWholeHold: Bool = false, legs: [PlannedLeg] = [],
        details: PlannedDetails = .none, reversal: ReversalTarget? = nil, reversesWhole: Bool = false, reason: String? = nil
    ) {
        switch kind {
        case .transfer: precondition(destination != nil, "a transfer has a destination")
        case .capture: break
        case .deposit, .withdrawal, .hold, .void, .multileg, .reversal:
            precondition(destination == nil, "only transfers and captures have a destination")
        }
        precondition((kind == .multileg) == !legs.isEmpty, "exactly multi-leg transfers have legs")
        precondition(
            legs.isEmpty || (legs[0].source == wallet && amount == legs.reduce(0) { $0 + $1.amount }),
            "a multi-leg transfer is sent by its first source's owner, for the sum of its legs")
        precondition(kind == .multileg || details.isEmpty, "only multi-leg transfers carry details")
        precondition((kind == .reversal) == (reversal != nil), "exactly reversals name a transaction")
        precondition(kind == .reversal || (!reversesWhole && reason == nil), "only a reversal is whole or has a reason")
        precondition(
            reversal.map { $0.reverser == wallet && (1...$0.amount).contains(amount) && (reversesWhole || !$0.isMultiLeg) } ?? true,
            "a reversal is sent by its target's reverser, within its amount, whole for a multi-leg original")
        precondition(destination != wallet, "a transfer or capture moves money between two wallets")
        precondition(kind.resolvesHold == (hold != nil), "exactly captures and voids name a hold")
        precondition(kind == .hold || expiresInSeconds == nil, "only a hold has an expiry")
        precondition(kind == .capture || !capturesWholeHold, "only a capture captures a whole hold")
        precondition(hold.map { $0.wallet == wallet && amount <= $0.amount && (kind == .capture || amount == $0.amount) } ?? true,
            "a capture or void acts on its hold's wallet, within its amount")
        self.key = key
        self.kind = kind
        self.wallet = wallet
        self.destination = destination
        self.amount = amount
        self.duplicate = duplicate
        self.hold = hold
        self.expiresInSeconds = expiresInSeconds
        self.capturesWholeHold = capturesWholeHold
        self.legs = legs
        self.details = details
        self.reversal = reversal
        self.reversesWhole = reversesWhole
        self.reason = reason
    }

    /// How many entries the movement's transaction puts in wallet histories (`GET /v1/wallets/{id}/entries`): the
    /// legs on wallets, not the external account's. A deposit, withdrawal or capture out of the ledger 1, a transfer
    /// or capture to a wallet 2, a hold or void 0, a multi-leg transfer 2 per leg, a reversal as many as its original.
    public var walletEntryCount: Int {
        switch kind {
        case .deposit, .withdrawal: 1
        case .transfer: 2
        case .capture: destination == nil ? 1 : 2
        case .hold, .void: 0
        case .multileg: 2 * legs.count
        case .reversal: reversal!.walletEntryCount
        }
    }
}

/// A hold placed by this run and acknowledged with `201`: what a capture or void acts on.
public struct HoldTarget: Hashable, Sendable {
    /// The hold's id (`hld_…`).
    public let holdID: String
    /// The wallet index the hold is on.
    public let wallet: Int
    /// The amount held.
    public let amount: Int64

    public init(holdID: String, wallet: Int, amount: Int64) {
        self.holdID = holdID
        self.wallet = wallet
        self.amount = amount
    }
}
