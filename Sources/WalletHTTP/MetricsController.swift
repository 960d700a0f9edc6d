public import Hummingbird
public import Prometheus

/// `GET /metrics`: every metric of the process in the Prometheus text format.
public struct MetricsController: Sendable {
    /// The content type of the Prometheus text exposition format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    let registry: PrometheusCollectorRegistry
    /// Metrics read from their source at each scrape.
    let poolMetrics: PoolMetrics?
    let rateLimitMetrics: RateLimitMetrics?
    let processMetrics: ProcessMetrics?

    public init(
        registry: PrometheusCollectorRegistry, poolMetrics: PoolMetrics? = nil, rateLimitMetrics: RateLimitMetrics? = nil,
        processMetrics: ProcessMetrics? = nil
    ) {
        self.registry = registry
        self.poolMetrics = poolMetrics
        self.rateLimitMetrics = rateLimitMetrics
        self.processMetrics = processMetrics
    }

    public func addRoutes(to router: Router<WalletRequestContext>, table: RouteTable) {
        router.get("/metrics") { _, _ in
            poolMetrics?.update()
            rateLimitMetrics?.update()
            processMetrics?.update()
            return Response(
                status: .ok,
                headers: [.contentType: Self.contentType, .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
        table.add(.get, "/metrics")
    }
}
