import Logging
import MariaDB
import Prometheus
import WalletCore
import WalletHTTP

/// The direct phase: the same workload through WalletCore in-process, straight on MariaDB, then the same
/// verification plus WalletCore's whole-ledger audit.
enum DirectPhase {
    static func run(_ settings: LoadTestSettings) async throws -> PhaseReport {
        try await PhasePool.with(settings) { pool, logger in
            let registry = PrometheusCollectorRegistry()
            let service = WalletService(
                pool: pool, eventData: APIEventData(), logger: logger, metricsFactory: PrometheusMetricsFactory(registry: registry))
            return try await run(settings, service: service, registry: registry)
        }
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
        let cpuStart = CPUCost.Sample.now(databaseProcessID: settings.databaseProcessID)
        let outcome = await LoadRun(
            shape: settings.shape, planner: settings.planner, driver: driver, statistics: statistics, keyPrefix: "\(settings.runID)-d",
            seed: settings.seed, phaseName: "direct"
        ).run()
        let cpuEnd = CPUCost.Sample.now(databaseProcessID: settings.databaseProcessID)
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
            mode: "direct", settings: settings, counts: statistics.total, outcome: outcome, serverCounters: counters,
            cpu: CPUCost(from: cpuStart, to: cpuEnd, serviceSeconds: nil, movements: outcome.movements), verification: verification)
    }
}
