public import Logging
public import MariaDB
public import Metrics

/// The wallet core over one MariaDB connection pool: what the HTTP layer (and the load test's direct mode) calls.
///
/// Holds no state of its own beyond the per-wallet queues of ``movements``: build one per process and share it.
public struct WalletService: Sendable {
    /// The service's limits.
    public struct Configuration: Hashable, Sendable {
        /// Retries and queueing of money movements.
        public var movements: MoneyMovements.Configuration
        /// Idempotency keys deleted per statement when purging.
        public var idempotencyPurgeBatchSize: Int
        /// The most holds one sweep round expires.
        public var holdSweepBatchSize: Int

        /// A configuration; every limit defaults to its named default.
        public init(
            movements: MoneyMovements.Configuration = .init(),
            idempotencyPurgeBatchSize: Int = IdempotencyPurger.defaultBatchSize,
            holdSweepBatchSize: Int = HoldSweeper.defaultBatchSize
        ) {
            self.movements = movements
            self.idempotencyPurgeBatchSize = idempotencyPurgeBatchSize
            self.holdSweepBatchSize = holdSweepBatchSize
        }
    }

    /// Registration and lookup of users.
    public let users: UserStore
    /// Sessions by token hash.
    public let sessions: SessionStore
    /// Applications, the principals that authenticate with API keys.
    public let applications: ApplicationStore
    /// API keys by the hash of their secret.
    public let apiKeys: APIKeyStore
    /// Wallets, transactions and history pages (the read side, and opening wallets).
    public let wallets: WalletStore
    /// Transaction search: the caller's transactions by wallet, type, reference and time.
    public let search: TransactionSearch
    /// Balances at an instant and statements of a period.
    public let balances: BalanceHistory
    /// Holds, read side.
    public let holds: HoldStore
    /// Deposits, withdrawals, transfers, and placing, capturing and voiding holds.
    public let movements: MoneyMovements
    /// Records the expiry of holds past their time.
    public let holdSweeper: HoldSweeper
    /// Deletion of old idempotency keys.
    public let idempotencyPurger: IdempotencyPurger
    /// The whole-database ledger check.
    public let auditor: LedgerAuditor
    /// The event feed, read side.
    public let events: EventFeed
    /// Webhook endpoints, managed by their owners.
    public let webhookEndpoints: WebhookEndpointStore
    /// The webhook delivery queue over the API's connections (listings and redeliveries); the delivery workers
    /// have their own (``WebhookQueue/init(pool:claimLease:)``).
    public let webhooks: WebhookQueue
    let database: WalletDatabase

    /// The service over `pool`, writing the data of its events with `eventData` (the API's representations).
    /// Counters go to `metricsFactory` (the bootstrapped metrics system by default).
    public init(
        pool: MariaDBConnectionPool,
        configuration: Configuration = .init(),
        eventData: any EventDataRenderer,
        logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        let database = WalletDatabase(pool: pool)
        let outbox = EventOutbox(renderer: eventData)
        self.users = UserStore(database: database)
        self.sessions = SessionStore(database: database)
        self.applications = ApplicationStore(database: database)
        self.apiKeys = APIKeyStore(database: database)
        self.wallets = WalletStore(database: database, outbox: outbox)
        self.search = TransactionSearch(database: database)
        self.balances = BalanceHistory(database: database)
        self.holds = HoldStore(database: database)
        self.movements = MoneyMovements(
            database: database,
            outbox: outbox,
            configuration: configuration.movements,
            metrics: MovementMetrics(factory: metricsFactory),
            logger: logger
        )
        self.holdSweeper = HoldSweeper(holds: holds, movements: movements, batchSize: configuration.holdSweepBatchSize)
        self.idempotencyPurger = IdempotencyPurger(database: database, batchSize: configuration.idempotencyPurgeBatchSize)
        self.auditor = LedgerAuditor(database: database)
        self.events = EventFeed(database: database)
        self.webhookEndpoints = WebhookEndpointStore(database: database)
        self.webhooks = WebhookQueue(database: database)
        self.database = database
    }

    /// The sequencer of this instance, named `name` in the lease (unique per running instance, 1 to 64 bytes).
    public func eventSequencer(named name: String, batchSize: Int = EventSequencer.defaultBatchSize) -> EventSequencer {
        EventSequencer(database: database, name: name, batchSize: batchSize)
    }
}
