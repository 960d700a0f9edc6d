/// Every validated setting of a run, built from the flags by ``WalletLoadTestCommand``.
public struct LoadTestSettings: Sendable {
    /// Set-up and verification requests in flight at once.
    public static let setupParallelism = 16

    public var url: String
    public var databaseURL: String
    public var users: Int
    public var wallets: Int
    public var currency: String
    public var initialBalance: Int64
    public var mix: WorkloadMix
    public var distribution: WalletDistribution
    public var amounts: AmountRange
    public var holdSettings: HoldSettings
    public var shape: LoadShape
    /// Closed-loop workers; also the HTTP connections kept open and the direct and raw modes' workers.
    public var concurrency: Int
    public var maximumRetries: Int
    public var timeout: Duration
    public var duplicateRate: Double
    public var jsonPath: String?
    public var runsHTTP: Bool
    public var runsDirect: Bool
    /// Whether the hand-written baseline (``RawPhase``) runs, after the other phases.
    public var runsRaw: Bool
    /// Where to write the population for wrk instead of running any phase (``HTTPPhase/writePopulation(_:to:)``).
    public var wrkPopulationPath: String?
    public var directPoolSize: Int
    /// MariaDB's process on this machine, whose CPU time each phase reports (``CPUCost``); set once the server's
    /// settings are read.
    public var databaseProcessID: Int32?
    public var seed: UInt64
    /// The start of every email and idempotency key of the run, unique per run so that runs repeat on one database.
    public var runID: String

    /// A new workload planner of these settings, with a hold pool and a reversal pool of its own (one per phase).
    var planner: WorkloadPlanner {
        WorkloadPlanner(
            mix: mix, sampler: WalletSampler(distribution: distribution, walletCount: wallets), amounts: amounts, duplicateRate: duplicateRate,
            holdSettings: holdSettings, userCount: users)
    }
}
