/// The results of one phase (HTTP or direct): what `--json` writes and the table prints.
public struct PhaseReport: Sendable, Codable {
    /// `http` or `direct`.
    public var mode: String
    public var users: Int
    public var wallets: Int
    /// `closed loop, concurrency C` or `open loop, R/s`.
    public var pacing: String
    public var mix: String
    public var distribution: String
    /// Movements sent, warmup included, duplicates not.
    public var movementsSent: Int
    /// The measured window, in seconds.
    public var measuredSeconds: Double
    /// Acknowledged (`201`) movements of the measured window, by kind and `total`.
    public var acknowledged: [String: Int]
    /// `acknowledged` per second of the measured window.
    public var acknowledgedPerSecond: [String: Double]
    /// Every attempt by status (retries and duplicates included).
    public var statusCounts: [String: Int]
    /// Latency of measured movements, from intended start to final answer, retries included.
    public var latencyMilliseconds: LatencySummary
    public var clientRetries: Int
    public var replays: Int
    public var duplicatesSent: Int
    /// Business refusals by code.
    public var refusals: [String: Int]
    /// Measured movements that ended with another error or without a definite answer.
    public var errors: Int
    /// The deltas of the service's counters over the phase.
    public var serverCounters: ServerCounters?
    /// (conflict + deadlock + lock_wait_timeout + record_changed) / committed, from ``serverCounters``.
    public var databaseRetriesPerCommittedOperation: Double?
    /// CPU per movement of the service, MariaDB and the harness over the load.
    public var cpu: CPUCost
    public var verification: VerificationResult

    /// The report of a phase from its statistics.
    init(
        mode: String, settings: LoadTestSettings, counts: RunStatistics.Counts, outcome: LoadRun.Outcome, serverCounters: ServerCounters?,
        cpu: CPUCost, verification: VerificationResult
    ) {
        self.mode = mode
        self.users = settings.users
        self.wallets = settings.wallets
        switch settings.shape.pacing {
        case .closed(let concurrency): self.pacing = "closed loop, concurrency \(concurrency)"
        case .open(let rate, let outstanding): self.pacing = "open loop, \(rate) requests/s, at most \(outstanding) outstanding"
        }
        self.mix = settings.mix.description
        self.distribution = settings.distribution.description
        self.movementsSent = outcome.movements
        self.measuredSeconds = outcome.measuredSeconds
        var acknowledged = Dictionary(uniqueKeysWithValues: counts.acknowledged.map { ($0.key.rawValue, $0.value) })
        acknowledged["total"] = counts.acknowledged.values.reduce(0, +)
        self.acknowledged = acknowledged
        self.acknowledgedPerSecond = acknowledged.mapValues { Double($0) / outcome.measuredSeconds }
        self.statusCounts = counts.statuses
        self.latencyMilliseconds = counts.latency.summary
        self.clientRetries = counts.retries
        self.replays = counts.replays
        self.duplicatesSent = counts.duplicates
        self.refusals = counts.refusals
        self.errors = counts.errors
        self.serverCounters = serverCounters
        self.databaseRetriesPerCommittedOperation = serverCounters?.databaseRetriesPerCommittedOperation
        self.cpu = cpu
        self.verification = verification
    }

    /// Acknowledged movements per second, all kinds.
    public var totalPerSecond: Double { acknowledgedPerSecond["total"] ?? 0 }
}
