/// The keyed deposits that give every wallet its initial balance before a phase: recorded in the ``AnswerBook`` like
/// any movement, not counted in the statistics.
enum Funding {
    /// Funds wallets `0..<walletCount` with `amount` each, `parallelism` at a time. A deposit without a definite answer
    /// is left to the verification's resolution; a refused one stops the phase.
    static func fund(walletCount: Int, amount: Int64, keyPrefix: String, driver: MovementDriver, parallelism: Int) async throws {
        guard amount > 0 else { return }
        _ = try await mapIndices(walletCount, parallelism: parallelism) { index in
            let movement = PlannedMovement(
                key: "\(keyPrefix)-fund-\(index)", kind: .deposit, wallet: index, destination: nil, amount: amount, duplicate: nil)
            var generator = SplitMixGenerator(seed: UInt64(index))
            let answer = await driver.send(movement, statistics: nil, using: &generator)
            switch answer {
            case .acknowledged, .uncertain: return
            case .holdAcknowledged, .refused, .rejected: throw RunError("funding wallet \(index) with \(amount) was answered \(answer.statusLabel)")
            }
        }
    }
}
