import Foundation
public import MariaDB
public import WalletCore

/// Everything `wallet serve` is configured with, validated before the service starts.
public struct ServiceConfiguration: Sendable {
    /// The default address: loopback only, so a development service is not reachable from elsewhere.
    public static let defaultHost = "127.0.0.1"
    /// The default port.
    public static let defaultPort = 8080
    /// How long a connection may sit without sending anything (idle between requests, or stalled in the middle of
    /// one) before it is closed, by default. A stalled request holds no database connection: bodies are read before
    /// any database work.
    public static let defaultIdleTimeout: Duration = .seconds(30)

    public var host: String
    public var port: Int
    public var database: MariaDBConfiguration
    public var pool: MariaDBConnectionPool.Configuration
    /// The folder of migration files that `/readyz` compares the schema with.
    public var migrationsDirectory: String
    /// The OpenAPI document served at `/openapi.yaml` and `/docs`.
    public var openAPI: OpenAPIDocument
    /// Where `/docs` loads Swagger UI from: the pinned CDN release, or a local copy served under `/docs/assets/`.
    public var docsAssets: DocsAssets
    /// Retries and combining of money movements, idempotency-key purging.
    public var wallet: WalletService.Configuration
    /// The bcrypt cost of new password hashes.
    public var bcryptCost: UInt8
    /// How long a session token stays valid.
    public var sessionLifetime: Duration
    /// How long idempotency keys (and their answers) are kept before the purge deletes them.
    public var idempotencyRetention: Duration
    /// How often the sweeper records the expiry of holds past their time (reads never wait for it).
    public var holdSweepInterval: Duration = HoldSweepService.defaultInterval
    /// How long events are kept in the feed before the purge deletes them.
    public var eventRetention: Duration = EventFeed.defaultRetention
    /// This instance's name in the event sequencer's lease: unique per running instance.
    public var instanceName: String = ServiceConfiguration.uniqueInstanceName()
    /// Webhook delivery: where deliveries may go, the claim lease, the limits on attempts in flight.
    public var webhooks: WebhookDispatcher.Configuration = .init()
    /// Whether this instance delivers webhooks (any number of instances may; an API-only one does not).
    public var deliversWebhooks = true
    /// See ``defaultIdleTimeout``.
    public var idleTimeout: Duration
    /// Requests served at once; more get `503 overloaded`.
    public var maximumRequestsInFlight: Int
    /// Money movements per user, sign-ins per address and per email, registrations per address.
    public var rateLimits: RateLimits

    public init(
        host: String = Self.defaultHost,
        port: Int = Self.defaultPort,
        database: MariaDBConfiguration,
        pool: MariaDBConnectionPool.Configuration = .init(),
        migrationsDirectory: String,
        openAPI: OpenAPIDocument,
        docsAssets: DocsAssets = .cdn,
        wallet: WalletService.Configuration = .init(),
        bcryptCost: UInt8 = PasswordHasher.defaultCost,
        sessionLifetime: Duration = SessionsController.defaultLifetime,
        idempotencyRetention: Duration = IdempotencyPurger.defaultRetention,
        idleTimeout: Duration = Self.defaultIdleTimeout,
        maximumRequestsInFlight: Int = InFlightLimitMiddleware.defaultLimit,
        rateLimits: RateLimits = .default
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.pool = pool
        self.migrationsDirectory = migrationsDirectory
        self.openAPI = openAPI
        self.docsAssets = docsAssets
        self.wallet = wallet
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
        self.idempotencyRetention = idempotencyRetention
        self.idleTimeout = idleTimeout
        self.maximumRequestsInFlight = maximumRequestsInFlight
        self.rateLimits = rateLimits
    }

    /// A name no other running instance has: the host's name, the process id and a random suffix.
    public static func uniqueInstanceName() -> String {
        let host = ProcessInfo.processInfo.hostName.prefix(32)
        return "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: .min ... .max))"
    }
}
