import AsyncHTTPClient
import NIOCore
import NIOPosix

/// The HTTP phase: set-up over the API, the load against the running service, its counters before and after, and
/// the verification over the API.
enum HTTPPhase {
    /// Event loop threads of the client: one is plenty for HTTP/1.1 on loopback and leaves the cores to the service.
    static let eventLoopThreads = 1
    /// How long an idle keep-alive connection stays open.
    static let connectionIdleTimeout: TimeAmount = .seconds(60)

    /// Runs the phase with one shared `HTTPClient`, shut down before returning.
    static func run(_ settings: LoadTestSettings) async throws -> PhaseReport {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: eventLoopThreads)
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.decompression = .disabled
        configuration.connectionPool = .init(idleTimeout: connectionIdleTimeout, concurrentHTTP1ConnectionsPerHostSoftLimit: settings.concurrency)
        let http = HTTPClient(eventLoopGroup: group, configuration: configuration)
        let client = WalletHTTPClient(http: http, baseURL: settings.url, timeout: settings.timeout)
        let result: Result<PhaseReport, any Error>
        do {
            result = .success(try await run(settings, client: client))
        } catch {
            result = .failure(error)
        }
        try? await http.shutdown()
        try? await group.shutdownGracefully()
        return try result.get()
    }

    private static func run(_ settings: LoadTestSettings, client: WalletHTTPClient) async throws -> PhaseReport {
        let population = try await HTTPPopulation.create(
            client: client, userCount: settings.users, walletCount: settings.wallets, currency: settings.currency,
            emailPrefix: "\(settings.runID)-http", parallelism: LoadTestSettings.setupParallelism)
        let book = AnswerBook(walletIDs: population.walletIDs)
        let driver = MovementDriver(
            executor: HTTPMovementExecutor(client: client, population: population),
            policy: ClientRetryPolicy(maximumRetries: settings.maximumRetries), book: book)
        try await Funding.fund(
            walletCount: settings.wallets, amount: settings.initialBalance, keyPrefix: "\(settings.runID)-h", driver: driver,
            parallelism: LoadTestSettings.setupParallelism)

        let before = try await client.metricsText()
        let statistics = RunStatistics()
        let outcome = await LoadRun(
            shape: settings.shape, planner: settings.planner, driver: driver, statistics: statistics, keyPrefix: "\(settings.runID)-h",
            seed: settings.seed, phaseName: "http"
        ).run()
        let after = try? await client.metricsText()
        let counters = after.map { ServerCounters(prometheusText: $0).subtracting(ServerCounters(prometheusText: before)) }

        let verification = await LedgerVerifier(
            driver: driver, reader: HTTPLedgerReader(client: client, population: population), parallelism: LoadTestSettings.setupParallelism
        ).verify()
        return PhaseReport(
            mode: "http", settings: settings, counts: statistics.total, outcome: outcome, serverCounters: counters, verification: verification)
    }
}
