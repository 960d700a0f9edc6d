public import MariaDB

/// Everything `wallet serve` is configured with, validated before the service starts.
public struct ServiceConfiguration: Sendable {
    /// The default address: loopback only, so a development service is not reachable from elsewhere.
    public static let defaultHost = "127.0.0.1"
    /// The default port.
    public static let defaultPort = 8080

    public var host: String
    public var port: Int
    public var database: MariaDBConfiguration
    public var pool: MariaDBConnectionPool.Configuration
    /// The folder of migration files that `/readyz` compares the schema with.
    public var migrationsDirectory: String
    /// The OpenAPI document served at `/openapi.yaml` and `/docs`.
    public var openAPI: OpenAPIDocument

    public init(
        host: String = Self.defaultHost,
        port: Int = Self.defaultPort,
        database: MariaDBConfiguration,
        pool: MariaDBConnectionPool.Configuration = .init(),
        migrationsDirectory: String,
        openAPI: OpenAPIDocument
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.pool = pool
        self.migrationsDirectory = migrationsDirectory
        self.openAPI = openAPI
    }
}
