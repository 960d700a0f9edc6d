/// Turns the workload flags into movements: kind by ``WorkloadMix``, wallets by ``WalletSampler``, amounts by
/// ``AmountRange``, duplicates by `duplicateRate` (half of them concurrent, half after the original).
public struct WorkloadPlanner: Sendable {
    public let mix: WorkloadMix
    public let sampler: WalletSampler
    public let amounts: AmountRange
    /// The share of movements sent twice, 0…1.
    public let duplicateRate: Double

    public init(mix: WorkloadMix, sampler: WalletSampler, amounts: AmountRange, duplicateRate: Double) {
        precondition((0...1).contains(duplicateRate), "a rate is a share")
        self.mix = mix
        self.sampler = sampler
        self.amounts = amounts
        self.duplicateRate = duplicateRate
    }

    /// The next movement, under `key`.
    public func movement(key: String, using generator: inout some RandomNumberGenerator) -> PlannedMovement {
        let kind = mix.sample(using: &generator)
        let wallet: Int
        var destination: Int?
        if kind == .transfer {
            let pair = sampler.distinctPair(using: &generator)
            wallet = pair.source
            destination = pair.destination
        } else {
            wallet = sampler.wallet(using: &generator)
        }
        let amount = amounts.sample(using: &generator)
        var duplicate: PlannedMovement.DuplicateTiming?
        if duplicateRate > 0, Double.random(in: 0..<1, using: &generator) < duplicateRate {
            duplicate = Bool.random(using: &generator) ? .concurrent : .afterOriginal
        }
        return PlannedMovement(key: key, kind: kind, wallet: wallet, destination: destination, amount: amount, duplicate: duplicate)
    }
}
