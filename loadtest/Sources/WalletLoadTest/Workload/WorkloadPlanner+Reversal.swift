/// Reversals: of a transaction of the ``ReversalPool``, sent by its reverser (the owner of the wallets the money
/// comes back out of). A single-leg original is reversed whole (no `amount`: all that is left) or in part (1 to its
/// amount), half each; a multi-leg one always whole. A share (``reasonShare``) says why. Contested draws (the
/// hold settings' `contestedShare`) aim at an original another reversal took recently: a race, in which a second
/// reversal of a multi-leg original, or one asking for more than is left, is refused `amount_exceeds_reversible`.
extension WorkloadPlanner {
    /// The share of reversals sent with a `reason`.
    public static let reasonShare = 0.5
    /// The reason they give.
    public static let reversalReason = "load test reversal"

    func reversal(
        of target: ReversalTarget, key: String, duplicate: PlannedMovement.DuplicateTiming?, using generator: inout some RandomNumberGenerator
    ) -> PlannedMovement {
        let whole = target.isMultiLeg || Bool.random(using: &generator)
        let amount = whole ? target.amount : Int64.random(in: 1...target.amount, using: &generator)
        let reason = Double.random(in: 0..<1, using: &generator) < Self.reasonShare ? Self.reversalReason : nil
        return PlannedMovement(
            key: key, kind: .reversal, wallet: target.reverser, destination: nil, amount: amount, duplicate: duplicate, reversal: target,
            reversesWhole: whole, reason: reason)
    }

    /// What a reversal may aim at after `movement` was acknowledged with transaction `transactionID`; nil for the
    /// kinds that are not reversed (holds, voids, reversals) and for a multi-leg transfer whose destinations belong
    /// to several owners (nobody may reverse it).
    public func reversalTarget(of movement: PlannedMovement, transactionID: String) -> ReversalTarget? {
        let reverser: Int
        switch movement.kind {
        case .deposit, .withdrawal: reverser = movement.wallet
        case .transfer: reverser = movement.destination!
        case .capture: reverser = movement.destination ?? movement.wallet
        case .multileg:
            let recipient = owner(of: movement.legs[0].destination)
            guard movement.legs.allSatisfy({ owner(of: $0.destination) == recipient }) else { return nil }
            reverser = movement.legs[0].destination
        case .hold, .void, .reversal: return nil
        }
        return ReversalTarget(
            transactionID: transactionID, reverser: reverser, amount: movement.amount, legCount: max(movement.legs.count, 1),
            walletEntryCount: movement.walletEntryCount)
    }
}
