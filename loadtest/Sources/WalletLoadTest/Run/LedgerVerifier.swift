/// The verification after a phase: resends every movement still without a definite answer until it has one (bounded),
/// waits for the holds placed with a short expiry to reach it, reads every wallet back (and, when the run placed
/// holds, every acknowledged hold and every acknowledged capture's transaction; every transaction with an
/// acknowledged reversal), `parallelism` at a time, and compares with the ``ExpectedLedger``.
struct LedgerVerifier: Sendable {
    /// Holds expiring within this time are waited for before the reads, so that none expires while they run.
    static let expiryHorizonMicroseconds: Int64 = 120_000_000
    /// The wait past the last such expiry: the clock tolerance of the comparison, and a little.
    static let expiryMarginMicroseconds: Int64 = LedgerReadings.defaultClockToleranceMicroseconds + 200_000

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
        let includesHolds = ledger.includesHolds
        let holds = ledger.acknowledgedHolds
        let captures = ledger.acknowledgedCaptures
        await waitForExpiries(of: holds.map(\.hold))

        var readings = LedgerReadings()
        readings.readStarted = Timestamp.now()
        let reader = self.reader
        let wallets = await read(ledger.walletIDs.count) { try await reader.read(walletAt: $0, includingActiveHolds: includesHolds) }
        let holdStates = await read(holds.count) { try await reader.readHold(holds[$0].hold.id, ownerOfWalletAt: holds[$0].wallet) }
        let transactionReads = captures.map { (transactionID: $0.transaction.transactionID, wallet: $0.wallet) } + ledger.reversedOriginals
        let transactions = await read(transactionReads.count) {
            try await reader.readTransaction(transactionReads[$0].transactionID, ownerOfWalletAt: transactionReads[$0].wallet)
        }
        readings.readEnded = Timestamp.now()

        var observed: [String: ObservedWallet] = [:]
        var unreadable: [String: String] = [:]
        for (index, reading) in wallets.enumerated() {
            switch reading {
            case .success(let wallet): observed[ledger.walletIDs[index]] = wallet
            case .failure(let error): unreadable[ledger.walletIDs[index]] = error.message
            }
        }
        for (index, reading) in holdStates.enumerated() {
            switch reading {
            case .success(let hold): readings.holds[holds[index].hold.id] = hold
            case .failure(let error): readings.unreadableHolds[holds[index].hold.id] = error.message
            }
        }
        for (index, reading) in transactions.enumerated() {
            let id = transactionReads[index].transactionID
            switch reading {
            case .success(let transaction) where index < captures.count: readings.transactions[id] = transaction.acknowledgement
            case .success(let transaction): readings.reversedOriginals[id] = transaction
            case .failure(let error): readings.unreadableTransactions[id] = error.message
            }
        }
        let stillUnresolved = ledger.unresolvedMovements.count
        var result = ledger.verify(
            observed: observed, unreadable: unreadable, resolvedKeys: unresolved.count - stillUnresolved, readings: readings)
        result.failures += await additionalFailures().map(\.description)
        return result
    }

    /// Sleeps until every hold of `holds` expiring within ``expiryHorizonMicroseconds`` has expired, plus
    /// ``expiryMarginMicroseconds``: bounded by the horizon.
    private func waitForExpiries(of holds: [HoldState]) async {
        let now = Timestamp.now()
        let soon = holds.compactMap(\.expiresAtMicroseconds).filter { $0 <= now + Self.expiryHorizonMicroseconds }
        guard let latest = soon.max() else { return }
        let wait = latest + Self.expiryMarginMicroseconds - now
        guard wait > 0 else { return }
        try? await Task.sleep(for: .microseconds(wait))
    }

    /// `count` reads, `parallelism` at a time, each a success or the reason it failed.
    private func read<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> T) async -> [Result<T, RunError>] {
        (try? await mapIndices(count, parallelism: parallelism) { index -> Result<T, RunError> in
            do {
                return .success(try await body(index))
            } catch {
                return .failure(RunError("\(error)"))
            }
        }) ?? []
    }
}
