import MariaDB

/// The raw phase: the same workload as a hand-written client straight on MariaDB (``RawMovementExecutor``), with the
/// direct mode's pool size and concurrency, then the same verification plus the baseline's own audit.
enum RawPhase {
    static func run(_ settings: LoadTestSettings) async throws -> PhaseReport {
        try await PhasePool.with(settings) { pool, _ in try await run(settings, pool: pool) }
    }

    private static func run(_ settings: LoadTestSettings, pool: MariaDBConnectionPool) async throws -> PhaseReport {
        let population: RawPopulation
        do {
            try await RawSchema.create(on: pool)
            population = try await RawPopulation.create(on: pool, walletCount: settings.wallets, prefix: "\(settings.runID)-raw")
        } catch {
            throw RunError("raw set-up on \(settings.databaseURL.redactingPassword) failed: \(error)")
        }
        let book = AnswerBook(walletIDs: population.walletIDs)
        let driver = MovementDriver(
            executor: RawMovementExecutor(pool: pool, population: population), policy: ClientRetryPolicy(maximumRetries: settings.maximumRetries),
            book: book)
        try await Funding.fund(
            walletCount: settings.wallets, amount: settings.initialBalance, keyPrefix: "\(settings.runID)-r", driver: driver,
            parallelism: LoadTestSettings.setupParallelism)

        let statistics = RunStatistics()
        let cpuStart = CPUCost.Sample.now(databaseProcessID: settings.databaseProcessID)
        let outcome = await LoadRun(
            shape: settings.shape, planner: settings.planner, driver: driver, statistics: statistics, keyPrefix: "\(settings.runID)-r",
            seed: settings.seed, phaseName: "raw"
        ).run()
        let cpuEnd = CPUCost.Sample.now(databaseProcessID: settings.databaseProcessID)
        let reader = RawLedgerReader(pool: pool, population: population)
        let verification = await LedgerVerifier(driver: driver, reader: reader, parallelism: LoadTestSettings.setupParallelism).verify {
            await reader.audit()
        }
        return PhaseReport(mode: "raw", settings: settings, counts: statistics.total, outcome: outcome, serverCounters: nil,
            cpu: CPUCost(from: cpuStart, to: cpuEnd, serviceSeconds: nil, movements: outcome.movements), verification: verification)
    }
}
