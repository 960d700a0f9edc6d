import Logging
import MariaDB
import Prometheus
import WalletCore
import WalletHTTP

/// The direct phase: the same workload through WalletCore in-process, straight on MariaDB, then the same
/// verification plus WalletCore's whole-ledger audit.
enum DirectPhase {
    /// The longest a movement waits for a pooled connection before it counts as unavailable and is retried.
    static let acquireTimeout: Duration = .seconds(30)

    static func run(_ settings: LoadTestSettings) async throws -> PhaseReport {
        let configuration: MariaDBConfiguration
        do {
            configuration = try MariaDBConfiguration(url: settings.databaseURL)
        } catch {
            throw RunError("\(error)")
        }
        var logger = Logger(label: "wallet-loadtest")
        logger.logLevel = .warning
        let pool = MariaDBConnectionPool(
            database: configuration, configuration: .init(size: settings.directPoolSize, acquireTimeout: acquireTimeout), logger: logger)
        let registry = PrometheusCollectorRegistry()
        let service = WalletService(pool: pool, eventData: APIEventData(), logger: logger, metricsFactory: PrometheusMetricsFactory(registry: registry))
        let result: Result<PhaseReport, any Error>
        do {
            result = .success(try await run(settings, service: service, registry: registry))
        } catch {
            result = .failure(error)
        }
        await pool.shutdown()
        return try result.get()
    }

    private static func run(_ settings: LoadTestSettings, service: WalletService, registry: PrometheusCollectorRegistry) async throws -> PhaseReport {
        guard let currency = Currency(code: settings.currency) else { throw RunError("\(settings.currency) is not an ISO 4217 currency") }
        let population: DirectPopulation
        do {
            population = try await DirectPopulation.create(
                service: service, userCount: settings.users, walletCount: settings.wallets, currency: currency,
                emailPrefix: "\(settings.runID)-direct", parallelism: LoadTestSettings.setupParallelism)
        } catch {
            throw RunError("direct set-up on \(settings.databaseURL.redactingPassword) failed: \(error)")
        }
        let book = AnswerBook(walletIDs: population.walletIDs.map(\.rawValue))
        let driver = MovementDriver(
            executor: DirectMovementExecutor(service: service, population: population),
            policy: ClientRetryPolicy(maximumRetries: settings.maximumRetries),
            book: book)
        try await Funding.fund(
            walletCount: settings.wallets, amount: settings.initialBalance, keyPrefix: "\(settings.runID)-d", driver: driver,
            parallelism: LoadTestSettings.setupParallelism)

        let before = ServerCounters(prometheusText: registry.emitToString())
        let statistics = RunStatistics()
        let outcome = await LoadRun(
            shape: settings.shape, planner: settings.planner, driver: driver, statistics: statistics, keyPrefix: "\(settings.runID)-d",
            seed: settings.seed, phaseName: "direct"
        ).run()
        let counters = ServerCounters(prometheusText: registry.emitToString()).subtracting(before)

        let verification = await LedgerVerifier(
            driver: driver, reader: DirectLedgerReader(service: service, population: population), parallelism: LoadTestSettings.setupParallelism
        ).verify {
            do {
                let report = try await service.auditor.run()
                return report.isClean ? [] : [.auditFailed("\(report)")]
            } catch {
                return [.auditFailed("the audit could not run: \(error)")]
            }
        }
        return PhaseReport(
            mode: "direct", settings: settings, counts: statistics.total, outcome: outcome, serverCounters: counters, verification: verification)
    }
}
