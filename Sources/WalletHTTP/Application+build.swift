public import Hummingbird
public import Logging
public import MariaDB
public import Prometheus
import ServiceLifecycle
public import WalletCore

/// Builds the wallet service: its router and middleware, with the connection pool as a service that is closed
/// on graceful shutdown (after the HTTP server has finished its in-flight requests).
public func buildApplication(
    _ configuration: ServiceConfiguration,
    pool: MariaDBConnectionPool,
    schemaCheck: @escaping ReadinessCheck.SchemaCheck,
    metrics: PrometheusCollectorRegistry,
    logger: Logger
) async throws -> some ApplicationProtocol {
    let wallet = WalletService(pool: pool, configuration: configuration.wallet, eventData: APIEventData(), logger: logger)
    let hasher = PasswordHasher(cost: configuration.bcryptCost)
    let router = try await buildRouter(
        RouterDependencies(
            wallet: wallet,
            readiness: ReadinessCheck(pool: pool, schemaCheck: schemaCheck),
            metrics: metrics,
            openAPI: configuration.openAPI,
            docsAssets: configuration.docsAssets,
            hasher: hasher,
            sessionLifetime: configuration.sessionLifetime,
            maximumRequestsInFlight: configuration.maximumRequestsInFlight,
            rateLimits: configuration.rateLimits,
            webhookPolicy: configuration.webhooks.policy
        )
    )
    var services: [any Service] = [
        pool,
        hasher,
        PurgeService(
            purger: wallet.idempotencyPurger, sessions: wallet.sessions, retention: configuration.idempotencyRetention,
            events: wallet.events, webhooks: wallet.webhooks, eventRetention: configuration.eventRetention, logger: logger
        ),
        EventSequencerService(sequencer: wallet.eventSequencer(named: configuration.instanceName), logger: logger),
        HoldSweepService(sweeper: wallet.holdSweeper, interval: configuration.holdSweepInterval, logger: logger),
    ]
    if configuration.deliversWebhooks {
        // Webhook deliveries have connections and threads of their own: a slow receiver or a backlog never takes the API's.
        let webhookPool = MariaDBConnectionPool(
            database: pool.databaseConfiguration, configuration: .init(size: WebhookDeliveryService.poolSize), logger: logger)
        let dispatcher = WebhookDispatcher(
            queue: WebhookQueue(pool: webhookPool, claimLease: configuration.webhooks.claimLease),
            client: try WebhookHTTPClient(policy: configuration.webhooks.policy),
            configuration: configuration.webhooks)
        // Listed after its pool, so that graceful shutdown stops the deliveries before it closes the pool.
        services += [webhookPool, WebhookDeliveryService(dispatcher: dispatcher, logger: logger)]
    }
    return Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .nanoseconds(Int64(configuration.idleTimeout / .nanoseconds(1))))),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "wallet"
        ),
        services: services,
        logger: logger
    )
}

/// What the router's controllers need.
public struct RouterDependencies: Sendable {
    public var wallet: WalletService
    public var readiness: ReadinessCheck
    public var metrics: PrometheusCollectorRegistry
    public var openAPI: OpenAPIDocument
    /// Where `/docs` loads Swagger UI from.
    public var docsAssets: DocsAssets
    public var hasher: PasswordHasher
    public var sessionLifetime: Duration
    /// Requests served at once; more get `503 overloaded`.
    public var maximumRequestsInFlight: Int
    /// Rate limits; none by default (the service's configuration turns them on).
    public var rateLimits: RateLimits
    /// Which webhook URLs may be registered.
    public var webhookPolicy: WebhookAddressPolicy

    public init(
        wallet: WalletService,
        readiness: ReadinessCheck,
        metrics: PrometheusCollectorRegistry,
        openAPI: OpenAPIDocument,
        docsAssets: DocsAssets = .cdn,
        hasher: PasswordHasher,
        sessionLifetime: Duration = SessionsController.defaultLifetime,
        maximumRequestsInFlight: Int = InFlightLimitMiddleware.defaultLimit,
        rateLimits: RateLimits = .none,
        webhookPolicy: WebhookAddressPolicy = .publicOnly
    ) {
        self.webhookPolicy = webhookPolicy
        self.maximumRequestsInFlight = maximumRequestsInFlight
        self.rateLimits = rateLimits
        self.wallet = wallet
        self.readiness = readiness
        self.metrics = metrics
        self.openAPI = openAPI
        self.docsAssets = docsAssets
        self.hasher = hasher
        self.sessionLifetime = sessionLifetime
    }
}

/// The router: every route behind the request-id, metrics, in-flight limit and problem middleware; `/v1` routes
/// other than registration and sign-in also behind bearer authentication (a session or an API key) and their
/// ``RouteAccess`` rule, and money movements behind the per-user and per-key rate limit.
///
/// `routes` collects the method and path of every route (for 405 answers, and for tests).
public func buildRouter(
    _ dependencies: RouterDependencies,
    routes: RouteTable = RouteTable()
) async throws -> Router<WalletRequestContext> {
    let router = Router(context: WalletRequestContext.self)
    // Middleware applies to the routes added after it, and runs in the order added: the request id first, so that
    // problems and logs carry it; the request log next, so that its duration covers everything.
    router.addMiddleware {
        RequestIDMiddleware()
        RequestLogMiddleware()
        MetricsMiddleware()
        InFlightLimitMiddleware(limit: dependencies.maximumRequestsInFlight)
        ProblemMiddleware(routes: routes)
    }
    HealthController(readiness: dependencies.readiness).addRoutes(to: router, table: routes)
    let throttle = SignInThrottle(limits: dependencies.rateLimits)
    let users = UsersController(
        users: dependencies.wallet.users, hasher: dependencies.hasher, registrationsPerAddress: dependencies.rateLimits.registrationsPerAddress)
    MetricsController(
        registry: dependencies.metrics,
        poolMetrics: PoolMetrics(pool: dependencies.readiness.pool, registry: dependencies.metrics),
        rateLimitMetrics: RateLimitMetrics(limiters: throttle.namedLimiters + users.namedLimiters, registry: dependencies.metrics),
        processMetrics: ProcessMetrics(registry: dependencies.metrics)
    ).addRoutes(to: router, table: routes)
    DocsController(document: dependencies.openAPI, assets: dependencies.docsAssets).addRoutes(to: router, table: routes)

    let wallet = dependencies.wallet
    let sessions = wallet.sessions
    let apiKeys = wallet.apiKeys
    let authenticated = router.group().add(
        middleware: BearerAuthenticator { tokenHash, isAPIKey in
            if isAPIKey {
                return try await apiKeys.authenticate(secretHash: tokenHash).map(AuthenticatedPrincipal.application)
            }
            return try await sessions.find(tokenHash: tokenHash).map { .user($0.userID, sessionTokenHash: tokenHash) }
        }
    )
    users.addRoutes(to: router, table: routes)
    SessionsController(
        users: wallet.users,
        sessions: wallet.sessions,
        hasher: dependencies.hasher,
        lifetime: dependencies.sessionLifetime,
        throttle: throttle,
        decoyHash: try await dependencies.hasher.hash(SecretToken.generate())
    ).addRoutes(to: router, authenticated: authenticated, table: routes)
    WalletsController(wallets: wallet.wallets).addRoutes(to: authenticated, table: routes)
    TransactionSearchController(search: wallet.search).addRoutes(to: authenticated, table: routes)
    BalanceHistoryController(balances: wallet.balances).addRoutes(to: authenticated, table: routes)
    APIKeysController(keys: wallet.apiKeys).addRoutes(to: authenticated, table: routes)
    EventsController(feed: wallet.events, webhooks: wallet.webhooks).addRoutes(to: authenticated, table: routes)
    WebhookEndpointsController(endpoints: wallet.webhookEndpoints, deliveries: wallet.webhooks, policy: dependencies.webhookPolicy)
        .addRoutes(to: authenticated, table: routes)
    let movements = dependencies.rateLimits.movementsPerUser.map { authenticated.group().add(middleware: MovementRateLimitMiddleware(policy: $0)) }
    MovementsController(movements: wallet.movements).addRoutes(to: movements ?? authenticated, table: routes)
    HoldsController(movements: wallet.movements, holds: wallet.holds)
        .addRoutes(movementsTo: movements ?? authenticated, readsTo: authenticated, table: routes)
    return router
}
