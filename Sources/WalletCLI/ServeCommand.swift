import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MariaDB
import Metrics
import NIOCore
import Prometheus
import WalletCore
import WalletHTTP
import WalletMigrations


/// `wallet serve`: runs the HTTP service until SIGINT or SIGTERM, then shuts down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the wallet HTTP service.",
        discussion: """
            Listens on --host/--port (or WALLET_HTTP_HOST/WALLET_HTTP_PORT; default 127.0.0.1:8080). Answers \
            GET /livez, GET /readyz (200 only when MariaDB answers and every migration is applied) and GET /metrics. \
            Stops accepting on SIGINT/SIGTERM, finishes in-flight requests, then closes its database connections.
            """
    )

    /// Session lifetimes accepted: a minute to 30 days.
    static let minimumSessionLifetimeSeconds = 60
    static let maximumSessionLifetimeSeconds = 30 * 24 * 3600

    @Option(help: ArgumentHelp("Address to listen on. Default: $WALLET_HTTP_HOST or 127.0.0.1.", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("Port to listen on. Default: $WALLET_HTTP_PORT or 8080.", valueName: "port"))
    var port: Int?

    @Option(help: ArgumentHelp("Database connections (and threads that run their calls). Default: $WALLET_DB_POOL_SIZE or 16.", valueName: "n"))
    var poolSize: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. Default: $WALLET_LOG_LEVEL or info.")
    var logLevel: String?

    @Option(help: ArgumentHelp("The OpenAPI document to serve at /openapi.yaml and /docs. Default: $WALLET_OPENAPI_FILE or ./openapi.yaml.", valueName: "path"))
    var openapiFile: String?

    @Option(help: ArgumentHelp("Session token lifetime in seconds. Default: $WALLET_SESSION_LIFETIME_SECONDS or 86400.", valueName: "seconds"))
    var sessionLifetime: Int?

    @Option(help: ArgumentHelp("How long idempotency keys are kept, in seconds (at least 86400). Default: $WALLET_IDEMPOTENCY_RETENTION_SECONDS or 86400.", valueName: "seconds"))
    var idempotencyRetention: Int?

    @Option(help: ArgumentHelp("bcrypt cost of new password hashes (10 to 16). Default: $WALLET_BCRYPT_COST or 10.", valueName: "cost"))
    var bcryptCost: Int?

    @Option(
        help: ArgumentHelp(
            "Most money movements on the same wallets combined into one transaction (1 to \(MoneyMovements.Configuration.defaultMaximumBatchSize); 1 queues them one by one). Default: $WALLET_MOVEMENT_BATCH_SIZE or \(MoneyMovements.Configuration.defaultMaximumBatchSize).",
            valueName: "n"
        )
    )
    var movementBatchSize: Int?

    @Flag(help: "Let movements on the same wallets race and retry instead of combining them (for benchmarks: naive optimistic concurrency).")
    var naiveOptimistic = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var migrations: MigrationsOptions

    func run() async throws {
        let configuration = try validatedConfiguration()
        let logger = try makeLogger()
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let pool = MariaDBConnectionPool(database: configuration.database, configuration: configuration.pool, logger: logger)
        try await checkDatabase(pool, configuration: configuration)
        let directory: MigrationDirectory
        do {
            directory = try MigrationDirectory.load(configuration.migrationsDirectory)
        } catch {
            await pool.shutdown()
            throw CommandFailure("cannot read the migrations in \(configuration.migrationsDirectory): \(error)")
        }
        let app = try await buildApplication(
            configuration,
            pool: pool,
            schemaCheck: { connection in try MigrationRunner.readinessProblem(on: connection, directory: directory) },
            metrics: registry,
            logger: logger
        )
        logger.info(
            "starting wallet service",
            metadata: ["address": "\(configuration.host):\(configuration.port)", "database": "\(configuration.database.endpointDescription)"]
        )
        do {
            try await app.runService()
        } catch let error as IOError {
            await pool.shutdown()
            let reason = String(cString: strerror(error.errnoCode))
            throw CommandFailure("cannot listen on \(configuration.host):\(configuration.port): \(reason)")
        }
    }

    /// Reads flags, then environment variables, then defaults; anything malformed is a usage error.
    func validatedConfiguration() throws -> ServiceConfiguration {
        let environment = ProcessInfo.processInfo.environment
        let host = host ?? environment["WALLET_HTTP_HOST"] ?? ServiceConfiguration.defaultHost
        let port = try port ?? Self.integer(environment["WALLET_HTTP_PORT"], name: "WALLET_HTTP_PORT") ?? ServiceConfiguration.defaultPort
        guard (1...65535).contains(port) else { throw ValidationError("port \(port) is not between 1 and 65535") }
        let size = try poolSize ?? Self.integer(environment["WALLET_DB_POOL_SIZE"], name: "WALLET_DB_POOL_SIZE")
            ?? MariaDBConnectionPool.Configuration.defaultSize
        guard (1...MariaDBConnectionPool.Configuration.maximumSize).contains(size) else {
            throw ValidationError("the pool size must be between 1 and \(MariaDBConnectionPool.Configuration.maximumSize)")
        }
        var directoryIsFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: migrations.directory, isDirectory: &directoryIsFolder), directoryIsFolder.boolValue else {
            throw ValidationError("no migrations folder at \(migrations.directory) (set --migrations-dir or WALLET_MIGRATIONS_DIR)")
        }
        let openAPIPath = openapiFile ?? environment["WALLET_OPENAPI_FILE"] ?? "openapi.yaml"
        guard let openAPIText = try? String(contentsOfFile: openAPIPath, encoding: .utf8) else {
            throw ValidationError("no OpenAPI document at \(openAPIPath) (set --openapi-file or WALLET_OPENAPI_FILE)")
        }
        let lifetime = try sessionLifetime ?? Self.integer(environment["WALLET_SESSION_LIFETIME_SECONDS"], name: "WALLET_SESSION_LIFETIME_SECONDS")
            ?? Int(SessionsController.defaultLifetime.components.seconds)
        guard (Self.minimumSessionLifetimeSeconds...Self.maximumSessionLifetimeSeconds).contains(lifetime) else {
            throw ValidationError("the session lifetime must be \(Self.minimumSessionLifetimeSeconds) to \(Self.maximumSessionLifetimeSeconds) seconds")
        }
        let retention = try idempotencyRetention
            ?? Self.integer(environment["WALLET_IDEMPOTENCY_RETENTION_SECONDS"], name: "WALLET_IDEMPOTENCY_RETENTION_SECONDS")
            ?? Int(IdempotencyPurger.defaultRetention.components.seconds)
        guard retention >= Int(IdempotencyPurger.defaultRetention.components.seconds) else {
            throw ValidationError("idempotency keys are kept at least \(IdempotencyPurger.defaultRetention.components.seconds) seconds")
        }
        let cost = try bcryptCost ?? Self.integer(environment["WALLET_BCRYPT_COST"], name: "WALLET_BCRYPT_COST") ?? Int(PasswordHasher.defaultCost)
        guard (Int(PasswordHasher.defaultCost)...Int(PasswordHasher.costRange.upperBound)).contains(cost) else {
            throw ValidationError("the bcrypt cost must be \(PasswordHasher.defaultCost) to \(PasswordHasher.costRange.upperBound)")
        }
        let batchSize = try movementBatchSize
            ?? Self.integer(environment["WALLET_MOVEMENT_BATCH_SIZE"], name: "WALLET_MOVEMENT_BATCH_SIZE")
            ?? MoneyMovements.Configuration.defaultMaximumBatchSize
        guard (1...MoneyMovements.Configuration.defaultMaximumBatchSize).contains(batchSize) else {
            throw ValidationError("the movement batch size must be 1 to \(MoneyMovements.Configuration.defaultMaximumBatchSize)")
        }
        return ServiceConfiguration(
            host: host,
            port: port,
            database: try database.configuration(),
            pool: .init(size: size),
            migrationsDirectory: migrations.directory,
            openAPI: OpenAPIDocument(text: openAPIText),
            wallet: .init(movements: .init(combinesMovements: !naiveOptimistic, maximumBatchSize: batchSize)),
            bcryptCost: UInt8(cost),
            sessionLifetime: .seconds(lifetime),
            idempotencyRetention: .seconds(retention)
        )
    }

    private func makeLogger() throws -> Logger {
        let name = logLevel ?? ProcessInfo.processInfo.environment["WALLET_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: name) else {
            throw ValidationError("unknown log level '\(name)'")
        }
        var logger = Logger(label: "wallet")
        logger.logLevel = level
        return logger
    }

    /// Fails start-up with a clear message when MariaDB cannot be reached at all.
    private func checkDatabase(_ pool: MariaDBConnectionPool, configuration: ServiceConfiguration) async throws {
        do {
            try await pool.withConnection { try $0.execute("SELECT 1") }
        } catch let error as MariaDBError {
            await pool.shutdown()
            throw CommandFailure(
                "cannot reach MariaDB at \(configuration.database.endpointDescription): \(error.message) "
                    + "(for a local one: scripts/mariadb start)"
            )
        }
    }

    private static func integer(_ value: String?, name: String) throws -> Int? {
        guard let value else { return nil }
        guard let number = Int(value) else { throw ValidationError("\(name) must be a whole number, not '\(value)'") }
        return number
    }
}
