/// Turns the workload flags into movements: kind by ``WorkloadMix``, wallets by ``WalletSampler``, amounts by
/// ``AmountRange``, duplicates by `duplicateRate` (half of them concurrent, half after the original).
///
/// Captures and voids act on holds of the phase's ``HoldPool``: a capture takes the whole hold or a part of it
/// (half each), to another wallet of the run via `to_wallet_id` or out of the ledger (half each, when the
/// distribution offers two wallets). When the pool has no hold for a capture or void draw, the movement places a
/// hold instead.
///
/// Multi-leg transfers and reversals: see `WorkloadPlanner+MultiLeg.swift` and `WorkloadPlanner+Reversal.swift`.
/// When the ``ReversalPool`` has nothing for a reversal draw, the movement is a transfer instead.
public struct WorkloadPlanner: Sendable {
    /// The most transactions waiting in the reversal pool; a newer one replaces an older one beyond it.
    public static let reversalPoolCapacity = 4096

    public let mix: WorkloadMix
    public let sampler: WalletSampler
    public let amounts: AmountRange
    /// The share of movements sent twice, 0…1.
    public let duplicateRate: Double
    public let holdSettings: HoldSettings
    /// The holds captures and voids act on; fed by the ``LoadRun`` with every hold acknowledged.
    public let holds: HoldPool
    /// How many users own the wallets: wallet n belongs to user n mod `userCount`.
    public let userCount: Int
    /// The transactions reversals aim at; fed by the ``LoadRun`` with every reversible transaction acknowledged
    /// (``reversalTarget(of:transactionID:)``).
    public let reversals: ReversalPool

    public init(
        mix: WorkloadMix, sampler: WalletSampler, amounts: AmountRange, duplicateRate: Double, holdSettings: HoldSettings = .default,
        userCount: Int = 1, holds: HoldPool = HoldPool(), reversals: ReversalPool = ReversalPool(openCapacity: reversalPoolCapacity)
    ) {
        precondition((0...1).contains(duplicateRate), "a rate is a share")
        precondition(userCount >= 1, "someone owns the wallets")
        self.userCount = userCount
        self.reversals = reversals
        self.mix = mix
        self.sampler = sampler
        self.amounts = amounts
        self.duplicateRate = duplicateRate
        self.holdSettings = holdSettings
        self.holds = holds
    }

    /// The next movement, under `key`.
    public func movement(key: String, using generator: inout some RandomNumberGenerator) -> PlannedMovement {
        var kind = mix.sample(using: &generator)
        var target: HoldTarget?
        if kind.resolvesHold {
            let contested = Double.random(in: 0..<1, using: &generator) < holdSettings.contestedShare
            target = holds.take(contested: contested, draw: generator.next())
            if target == nil { kind = .hold }
        }
        var original: ReversalTarget?
        if kind == .reversal {
            let contested = Double.random(in: 0..<1, using: &generator) < holdSettings.contestedShare
            original = reversals.take(contested: contested, draw: generator.next())
            if original == nil { kind = .transfer }
        }
        let duplicate = duplicateTiming(using: &generator)
        switch kind {
        case .transfer:
            let pair = sampler.distinctPair(using: &generator)
            return PlannedMovement(
                key: key, kind: kind, wallet: pair.source, destination: pair.destination, amount: amounts.sample(using: &generator),
                duplicate: duplicate)
        case .deposit, .withdrawal:
            return PlannedMovement(
                key: key, kind: kind, wallet: sampler.wallet(using: &generator), destination: nil, amount: amounts.sample(using: &generator),
                duplicate: duplicate)
        case .hold:
            let short = Double.random(in: 0..<1, using: &generator) < holdSettings.shortExpiryShare
            return PlannedMovement(
                key: key, kind: .hold, wallet: sampler.wallet(using: &generator), destination: nil, amount: amounts.sample(using: &generator),
                duplicate: duplicate, expiresInSeconds: short ? holdSettings.shortExpirySeconds : nil)
        case .capture:
            let hold = target!
            let whole = Bool.random(using: &generator)
            let amount = whole ? hold.amount : Int64.random(in: 1...hold.amount, using: &generator)
            let toWallet = sampler.supportSize >= 2 && Bool.random(using: &generator)
            return PlannedMovement(
                key: key, kind: .capture, wallet: hold.wallet,
                destination: toWallet ? sampler.wallet(otherThan: hold.wallet, using: &generator) : nil, amount: amount,
                duplicate: duplicate, hold: hold, capturesWholeHold: whole)
        case .void:
            let hold = target!
            return PlannedMovement(
                key: key, kind: .void, wallet: hold.wallet, destination: nil, amount: hold.amount, duplicate: duplicate, hold: hold)
        case .multileg:
            return multiLeg(key: key, duplicate: duplicate, using: &generator)
        case .reversal:
            return reversal(of: original!, key: key, duplicate: duplicate, using: &generator)
        }
    }

    private func duplicateTiming(using generator: inout some RandomNumberGenerator) -> PlannedMovement.DuplicateTiming? {
        guard duplicateRate > 0, Double.random(in: 0..<1, using: &generator) < duplicateRate else { return nil }
        return Bool.random(using: &generator) ? .concurrent : .afterOriginal
    }
}
