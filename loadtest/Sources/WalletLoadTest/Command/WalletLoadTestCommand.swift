public import ArgumentParser
import Foundation
import MariaDB
import WalletCore

/// `wallet-loadtest`: the flags, their validation into ``LoadTestSettings``, and the run.
public struct WalletLoadTestCommand: AsyncParsableCommand {
    /// The database used when neither `--database-url` nor `WALLET_DATABASE_URL` says otherwise: the private MariaDB
    /// of `scripts/mariadb`.
    public static let defaultDatabaseURL = "mariadb://wallet:wallet@127.0.0.1:3307/wallet"
    /// The measured window when neither `--duration` nor `--requests` is given, in seconds.
    public static let defaultDurationSeconds = 10.0
    /// The longest run accepted, and the bound of a run limited only by `--requests`, in seconds.
    public static let maximumDurationSeconds = 86_400.0
    /// The most closed-loop workers (and HTTP connections).
    public static let maximumConcurrency = 4096
    /// The most users and wallets.
    public static let maximumUsers = 10_000
    public static let maximumWallets = 1_000_000
    /// The most client retries per request.
    public static let maximumRetries = 1000

    public static let configuration = CommandConfiguration(
        commandName: "wallet-loadtest",
        abstract: "Load-tests the wallet service and verifies that no money was lost, duplicated or invented.",
        discussion: """
            Creates users and wallets, funds them, sends a mix of deposits, withdrawals, transfers, holds (placed, \
            captured, voided), multi-leg transfers and reversals with idempotency keys (retrying like a good client, \
            optionally duplicating requests), prints throughput, latency and the service's own counters, then verifies \
            every balance, every wallet's history, held and available amounts, every hold and every reversed \
            transaction against the acknowledged answers. Exit status: 0 passed, 1 verification failed or the run \
            could not complete, 2 usage error.

            Examples (a service from scripts/run on 127.0.0.1:8080):
              wallet-loadtest
              wallet-loadtest --mix transfer=100 --distribution hot:10
              wallet-loadtest --mix deposit=20,withdrawal=10,transfer=40,hold=15,capture=10,void=5
              wallet-loadtest --mix deposit=20,transfer=30,multileg=25,reversal=25
              wallet-loadtest --rate 500 --duration 30 --warmup 5 --json out.json
              wallet-loadtest --duplicate-rate 0.2 --distribution zipf:1.1
              wallet-loadtest --wallets 10000 --mix transfer=100 --direct
              wallet-loadtest --direct-only --database-url URL
              wallet-loadtest --wallets 10000 --mix transfer=100 --direct --raw
              wallet-loadtest --users 100 --wallets 10000 --wrk-population /tmp/population.txt
            """
    )

    @Option(help: "The service's base URL; several, comma-separated, are instances of one service on one database, sent requests in turn.")
    var url = "http://127.0.0.1:8080"
    @Option(help: "Users to create; wallets are spread over them.")
    var users = 10
    @Option(help: "Wallets to create.")
    var wallets = 1000
    @Option(help: "The wallets' ISO 4217 currency.")
    var currency = "USD"
    @Option(help: "Each wallet's funding deposit, in minor units (0 for none).")
    var initialBalance: Int64 = 1_000_000
    @Option(help: "Weights of the movements: deposit=W,withdrawal=W,transfer=W,hold=W,capture=W,void=W,multileg=W,reversal=W.")
    var mix = WorkloadMix.default.description
    @Option(help: "The share (0…1) of holds placed with the short expiry of --hold-expiry-seconds; the rest last 7 days.")
    var holdExpiryShare = HoldSettings.defaultShortExpiryShare
    @Option(help: "The short expiry of holds, in seconds (1 to 60).")
    var holdExpirySeconds = HoldSettings.defaultShortExpirySeconds
    @Option(help: "The share (0…1) of captures, voids and reversals aimed at a hold or transaction another one took recently.")
    var contestedShare = HoldSettings.defaultContestedShare
    @Option(help: "Which wallets: uniform, zipf:S (low ranks hot) or hot:K (only the first K wallets).")
    var distribution = "uniform"
    @Option(help: "Amounts drawn uniformly from MIN-MAX minor units.")
    var amount = AmountRange.default.description
    @Option(help: "Closed-loop workers; also the HTTP connections kept open.")
    var concurrency = 16
    @Option(help: "Open loop: requests per second, scheduled at t0+i/R and measured from that intended time.")
    var rate: Double?
    @Option(help: "Open loop: the most requests in flight; later ones wait, and the wait counts in their latency.")
    var maxOutstanding = LoadShape.defaultMaximumOutstanding
    @Option(help: "The measured window in seconds (default 10, or unbounded up to a day when --requests is given).")
    var duration: Double?
    @Option(help: "The most movements to send (warmup included).")
    var requests: Int?
    @Option(help: "Seconds of load before the measured window, excluded from the statistics.")
    var warmup = 0.0
    @Option(help: "Client retries (same key) of a request without a definite answer: 409, 429, 5xx, timeout, connection error.")
    var maxRetries = 10
    @Option(help: "The limit on one HTTP request, in seconds.")
    var timeout = 10.0
    @Option(help: "The share of movements (0…1) sent again with the same key: half concurrently, half after the original.")
    var duplicateRate = 0.0
    @Option(help: "Write the full results as JSON to this file.")
    var json: String?
    @Option(help: "MariaDB for the settings line and the direct mode (default: WALLET_DATABASE_URL, else \(defaultDatabaseURL)).")
    var databaseURL: String?
    @Flag(help: "After the HTTP run, run the same workload in-process through WalletCore and compare.")
    var direct = false
    @Flag(help: "Only the in-process run; no service needed.")
    var directOnly = false
    @Flag(help: "After the other runs, run the same workload as a hand-written client straight on MariaDB (tables raw_*) and compare.")
    var raw = false
    @Flag(help: "Only the hand-written baseline; no service needed.")
    var rawOnly = false
    @Option(help: "Connections of the direct and raw modes' pools (the service's default).")
    var directPoolSize = MariaDBConnectionPool.Configuration.defaultSize
    @Option(help: "Seed of the workload's random numbers (random by default).")
    var seed: UInt64?
    @Option(
        help: "Only create and fund the users and wallets over HTTP, write them to this file (one wallet per line: its id, a space, its owner's bearer token) for loadtest/wrk/transfers.lua, and stop.")
    var wrkPopulation: String?

    public init() {}

    public func validate() throws {
        do {
            _ = try settings()
        } catch {
            throw ValidationError(error.message)
        }
    }

    public func run() async throws {
        let passed: Bool
        do {
            passed = try await LoadTestRunner(settings: try settings()).run()
        } catch let error as RunError {
            FileHandle.standardError.write(Data("wallet-loadtest: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
        if !passed { throw ExitCode.failure }
    }

    /// The flags, validated.
    func settings() throws(UsageError) -> LoadTestSettings {
        try require((1...Self.maximumUsers).contains(users), "--users must be 1 to \(Self.maximumUsers)")
        try require((1...Self.maximumWallets).contains(wallets), "--wallets must be 1 to \(Self.maximumWallets)")
        try require(Currency(code: currency) != nil, "--currency: '\(currency)' is not an ISO 4217 currency code")
        try require((0...AmountRange.maximumMinorUnits).contains(initialBalance), "--initial-balance must be 0 to \(AmountRange.maximumMinorUnits)")
        try require((1...Self.maximumConcurrency).contains(concurrency), "--concurrency must be 1 to \(Self.maximumConcurrency)")
        try require(rate.map { $0 > 0 && $0.isFinite } ?? true, "--rate must be a positive number of requests per second")
        try require(maxOutstanding >= 1, "--max-outstanding must be at least 1")
        try require(
            duration.map { $0 > 0 && $0 <= Self.maximumDurationSeconds } ?? true,
            "--duration must be more than 0 and at most \(Self.maximumDurationSeconds) s")
        try require(requests.map { $0 >= 1 } ?? true, "--requests must be at least 1")
        try require(warmup >= 0 && warmup <= Self.maximumDurationSeconds, "--warmup must be 0 to \(Self.maximumDurationSeconds) s")
        try require((0...Self.maximumRetries).contains(maxRetries), "--max-retries must be 0 to \(Self.maximumRetries)")
        try require(timeout > 0 && timeout <= Self.maximumDurationSeconds, "--timeout must be a positive number of seconds")
        try require((0...1).contains(duplicateRate), "--duplicate-rate must be a share from 0 to 1")
        try require(
            (1...MariaDBConnectionPool.Configuration.maximumSize).contains(directPoolSize),
            "--direct-pool-size must be 1 to \(MariaDBConnectionPool.Configuration.maximumSize)")
        try require(url.hasPrefix("http://") || url.hasPrefix("https://"), "--url must start with http:// or https://")
        try require((0...1).contains(holdExpiryShare), "--hold-expiry-share must be a share from 0 to 1")
        try require(
            HoldSettings.shortExpirySecondsRange.contains(holdExpirySeconds),
            "--hold-expiry-seconds must be \(HoldSettings.shortExpirySecondsRange.lowerBound) to \(HoldSettings.shortExpirySecondsRange.upperBound)")
        try require((0...1).contains(contestedShare), "--contested-share must be a share from 0 to 1")
        let mix = try WorkloadMix(parsing: mix)
        let distribution = try WalletDistribution(parsing: distribution)
        try distribution.validate(walletCount: wallets, needsPairs: mix.needsPairs)
        let amounts = try AmountRange(parsing: amount)
        let databaseURL = databaseURL ?? ProcessInfo.processInfo.environment["WALLET_DATABASE_URL"] ?? Self.defaultDatabaseURL
        try require(!(directOnly && rawOnly), "--direct-only and --raw-only exclude each other")
        let runsRaw = raw || rawOnly
        try require(
            wrkPopulation == nil || !(direct || directOnly || runsRaw),
            "--wrk-population only creates the population over HTTP: no --direct or --raw with it")
        try require(!runsRaw || mix.onlyMoves, "--raw runs deposits, withdrawals and transfers only, not \(mix)")
        if direct || directOnly || runsRaw {
            do {
                _ = try MariaDBConfiguration(url: databaseURL)
            } catch {
                throw UsageError("--database-url: \(error)")
            }
        }
        let seconds = duration ?? (requests == nil ? Self.defaultDurationSeconds : Self.maximumDurationSeconds)
        let pacing: LoadShape.Pacing = rate.map { .open(rate: $0, maximumOutstanding: maxOutstanding) } ?? .closed(concurrency: concurrency)
        var generator = SystemRandomNumberGenerator()
        let runID = "lt-" + String(UInt32.random(in: 0...UInt32.max, using: &generator), radix: 16)
        return LoadTestSettings(
            url: url, databaseURL: databaseURL, users: users, wallets: wallets, currency: currency, initialBalance: initialBalance, mix: mix,
            distribution: distribution, amounts: amounts,
            holdSettings: HoldSettings(shortExpiryShare: holdExpiryShare, shortExpirySeconds: holdExpirySeconds, contestedShare: contestedShare),
            shape: LoadShape(
                pacing: pacing, warmup: .milliseconds(Int64(warmup * 1000)), duration: .milliseconds(Int64(seconds * 1000)), requests: requests),
            concurrency: concurrency, maximumRetries: maxRetries, timeout: .milliseconds(Int64(timeout * 1000)), duplicateRate: duplicateRate,
            jsonPath: json, runsHTTP: !directOnly && !rawOnly, runsDirect: direct || directOnly,
            runsRaw: runsRaw, wrkPopulationPath: wrkPopulation, directPoolSize: directPoolSize,
            seed: seed ?? generator.next(), runID: runID)
    }

    private func require(_ condition: Bool, _ message: String) throws(UsageError) {
        if !condition { throw UsageError(message) }
    }
}
