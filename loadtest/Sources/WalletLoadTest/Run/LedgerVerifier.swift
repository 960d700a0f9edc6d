/// The verification after a phase: resends every movement still without a definite answer until it has one (bounded),
/// reads every wallet back, `parallelism` at a time, and compares with the ``ExpectedLedger``.
struct LedgerVerifier: Sendable {
    let driver: MovementDriver
    let reader: any LedgerReader
    let parallelism: Int

    /// Verifies; `additionalFailures` (the direct mode's audit) are added to the result.
    func verify(additionalFailures: @Sendable () async -> [VerificationFailure] = { [] }) async -> VerificationResult {
        let unresolved = driver.book.snapshot.unresolvedMovements
        _ = try? await mapIndices(unresolved.count, parallelism: parallelism) { index in
            var generator = SplitMixGenerator(seed: UInt64(index))
            return await driver.send(unresolved[index], statistics: nil, maximumRetries: ClientRetryPolicy.resolutionRetries, using: &generator)
        }
        let ledger = driver.book.snapshot
        let readings =
            (try? await mapIndices(ledger.walletIDs.count, parallelism: parallelism) { index -> Result<ObservedWallet, RunError> in
                do {
                    return .success(try await reader.read(walletAt: index))
                } catch {
                    return .failure(RunError("\(error)"))
                }
            }) ?? []
        var observed: [String: ObservedWallet] = [:]
        var unreadable: [String: String] = [:]
        for (index, reading) in readings.enumerated() {
            switch reading {
            case .success(let wallet): observed[ledger.walletIDs[index]] = wallet
            case .failure(let error): unreadable[ledger.walletIDs[index]] = error.message
            }
        }
        let stillUnresolved = ledger.unresolvedMovements.count
        var result = ledger.verify(observed: observed, unreadable: unreadable, resolvedKeys: unresolved.count - stillUnresolved)
        result.failures += await additionalFailures().map(\.description)
        return result
    }
}
