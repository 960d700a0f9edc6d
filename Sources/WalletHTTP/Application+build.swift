public import Hummingbird
public import Logging
public import MariaDB
public import Prometheus

/// Builds the wallet service: its router and middleware, with the connection pool as a service that is closed
/// on graceful shutdown (after the HTTP server has finished its in-flight requests).
public func buildApplication(
    _ configuration: ServiceConfiguration,
    pool: MariaDBConnectionPool,
    schemaCheck: @escaping ReadinessCheck.SchemaCheck,
    metrics: PrometheusCollectorRegistry,
    logger: Logger
) -> some ApplicationProtocol {
    let router = buildRouter(
        readiness: ReadinessCheck(pool: pool, schemaCheck: schemaCheck),
        metrics: metrics,
        openAPI: configuration.openAPI
    )
    return Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "wallet"
        ),
        services: [pool],
        logger: logger
    )
}

/// The router: every route behind the request-id, metrics and problem middleware.
///
/// `routes` collects the method and path of every route (for 405 answers, and for tests).
public func buildRouter(
    readiness: ReadinessCheck,
    metrics: PrometheusCollectorRegistry,
    openAPI: OpenAPIDocument,
    routes: RouteTable = RouteTable()
) -> Router<WalletRequestContext> {
    let router = Router(context: WalletRequestContext.self)
    // Middleware applies to the routes added after it, and runs in the order added: the request id first, so that
    // problems and logs carry it.
    router.addMiddleware {
        RequestIDMiddleware()
        MetricsMiddleware()
        ProblemMiddleware(routes: routes)
    }
    HealthController(readiness: readiness).addRoutes(to: router, table: routes)
    MetricsController(registry: metrics).addRoutes(to: router, table: routes)
    DocsController(document: openAPI).addRoutes(to: router, table: routes)
    return router
}
