public import MariaDB
public import WalletCore

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
    /// Retries and combining of money movements, idempotency-key purging.
    public var wallet: WalletService.Configuration
    /// The bcrypt cost of new password hashes.
    public var bcryptCost: UInt8
    /// How long a session token stays valid.
    public var sessionLifetime: Duration
    /// How long idempotency keys (and their answers) are kept before the purge deletes them.
    public var idempotencyRetention: Duration

    public init(
        host: String = Self.defaultHost,
        port: Int = Self.defaultPort,
        database: MariaDBConfiguration,
        pool: MariaDBConnectionPool.Configuration = .init(),
        migrationsDirectory: String,
        openAPI: OpenAPIDocument,
        wallet: WalletService.Configuration = .init(),
        bcryptCost: UInt8 = PasswordHasher.defaultCost,
        sessionLifetime: Duration = SessionsController.defaultLifetime,
        idempotencyRetention: Duration = IdempotencyPurger.defaultRetention
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.pool = pool
        self.migrationsDirectory = migrationsDirectory
        self.openAPI = openAPI
        self.wallet = wallet
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
        self.idempotencyRetention = idempotencyRetention
    }
}
