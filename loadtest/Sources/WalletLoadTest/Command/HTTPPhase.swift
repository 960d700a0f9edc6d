import AsyncHTTPClient
import Foundation
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
        try await withClient(settings) { try await run(settings, client: $0) }
    }

    /// Creates and funds the phase's users and wallets, then writes them to `path` for an independent HTTP client
    /// (`loadtest/wrk/transfers.lua`): one line per wallet, its id, a space and its owner's bearer token. Returns the
    /// number of wallets.
    static func writePopulation(_ settings: LoadTestSettings, to path: String) async throws -> Int {
        try await withClient(settings) { client in
            let (population, _) = try await populate(settings, client: client)
            let lines = zip(population.walletIDs, population.ownerTokens).map { "\($0) \($1)\n" }.joined()
            guard FileManager.default.createFile(atPath: path, contents: Data(lines.utf8)) else { throw RunError("cannot write \(path)") }
            return population.walletIDs.count
        }
    }

    /// Runs `body` with one shared `HTTPClient`, shut down before returning.
    private static func withClient<T: Sendable>(_ settings: LoadTestSettings, _ body: (WalletHTTPClient) async throws -> T) async throws -> T {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: eventLoopThreads)
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.decompression = .disabled
        configuration.connectionPool = .init(idleTimeout: connectionIdleTimeout, concurrentHTTP1ConnectionsPerHostSoftLimit: settings.concurrency)
        let http = HTTPClient(eventLoopGroup: group, configuration: configuration)
        let client = WalletHTTPClient(http: http, baseURLs: settings.url, timeout: settings.timeout)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(client))
        } catch {
            result = .failure(error)
        }
        try? await http.shutdown()
        try? await group.shutdownGracefully()
        return try result.get()
    }

    /// The users and wallets, created and funded, and the driver that funded them.
    private static func populate(_ settings: LoadTestSettings, client: WalletHTTPClient) async throws -> (HTTPPopulation, MovementDriver) {
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
        return (population, driver)
    }

    private static func run(_ settings: LoadTestSettings, client: WalletHTTPClient) async throws -> PhaseReport {
        let (population, driver) = try await populate(settings, client: client)

        let before = try await client.metricsText()
        let statistics = RunStatistics()
        let cpuStart = CPUCost.Sample.now(databaseProcessID: settings.databaseProcessID)
        let outcome = await LoadRun(
            shape: settings.shape, planner: settings.planner, driver: driver, statistics: statistics, keyPrefix: "\(settings.runID)-h",
            seed: settings.seed, phaseName: "http"
        ).run()
        let cpuEnd = CPUCost.Sample.now(databaseProcessID: settings.databaseProcessID)
        let after = try? await client.metricsText()
        let counters = after.map { ServerCounters(prometheusText: $0).subtracting(ServerCounters(prometheusText: before)) }

        let verification = await LedgerVerifier(
            driver: driver, reader: HTTPLedgerReader(client: client, population: population), parallelism: LoadTestSettings.setupParallelism
        ).verify()
        return PhaseReport(
            mode: "http", settings: settings, counts: statistics.total, outcome: outcome, serverCounters: counters,
            cpu: CPUCost(from: cpuStart, to: cpuEnd, serviceSeconds: counters?.cpuSeconds, movements: outcome.movements), verification: verification)
    }
}
