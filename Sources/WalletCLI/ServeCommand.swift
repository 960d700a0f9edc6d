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
    /// Event retentions accepted, in days, and the default (``EventFeed/defaultRetention``).
    static let eventRetentionDaysRange = 1...3650
    static let secondsPerDay = 24 * 3600
    static let defaultEventRetentionDays = Int(EventFeed.defaultRetention.components.seconds) / secondsPerDay
    /// Webhook claim leases accepted, in seconds: more than two attempts' time limit, at most an hour.
    static let webhookClaimLeaseRange = (Int(WebhookDispatcher.Configuration.defaultAttemptTimeout.components.seconds) * 2 + 1)...3600
    /// Idle timeouts accepted: a second to an hour.
    static let minimumIdleTimeoutSeconds = 1
    static let maximumIdleTimeoutSeconds = 3600
    /// The largest rate limit accepted (per second for movements, per minute for sign-ins and registrations).
    static let maximumRateLimit = 1_000_000

    @Option(help: ArgumentHelp("Address to listen on. Default: $WALLET_HTTP_HOST or 127.0.0.1.", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("Port to listen on. Default: $WALLET_HTTP_PORT or 8080.", valueName: "port"))
    var port: Int?

    @Option(help: ArgumentHelp("Database connections (and threads that run their calls). Default: $WALLET_DB_POOL_SIZE or 16.", valueName: "n"))
    var poolSize: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. Default: $WALLET_LOG_LEVEL or info.")
    var logLevel: String?

    @Option(help: ArgumentHelp("Log format: text (one readable line per message) or json (one JSON object per line). Default: $WALLET_LOG_FORMAT or text.", valueName: "format"))
    var logFormat: String?

    @Option(help: ArgumentHelp("The OpenAPI document to serve at /openapi.yaml and /docs. Default: $WALLET_OPENAPI_FILE or ./openapi.yaml.", valueName: "path"))
    var openapiFile: String?

    @Option(help: ArgumentHelp("A folder with Swagger UI \(SwaggerUIRelease.version)'s files, served for /docs instead of loading them from the CDN (for machines without internet). Default: $WALLET_DOCS_ASSETS_DIR, else the CDN.", valueName: "path"))
    var docsAssetsDir: String?

    @Option(help: ArgumentHelp("Session token lifetime in seconds. Default: $WALLET_SESSION_LIFETIME_SECONDS or 86400.", valueName: "seconds"))
    var sessionLifetime: Int?

    @Option(help: ArgumentHelp("How long idempotency keys are kept, in seconds (at least 86400). Default: $WALLET_IDEMPOTENCY_RETENTION_SECONDS or 86400.", valueName: "seconds"))
    var idempotencyRetention: Int?

    @Option(help: ArgumentHelp("How long events are kept in the feed, in days (\(Self.eventRetentionDaysRange.lowerBound) to \(Self.eventRetentionDaysRange.upperBound)). Default: $WALLET_EVENT_RETENTION_DAYS or \(Self.defaultEventRetentionDays).", valueName: "days"))
    var eventRetentionDays: Int?

    @Flag(help: "Let webhook endpoints be http URLs and loopback addresses (tests and local development only; production needs https to public addresses). Default: on when $WALLET_WEBHOOK_ALLOW_INSECURE_LOCAL is 1.")
    var webhookAllowInsecureLocal = false

    @Flag(inversion: .prefixedNo, help: "Deliver webhooks from this instance (--no-webhook-delivery: serve the API only and leave deliveries to the instances that do).")
    var webhookDelivery = true

    @Option(help: ArgumentHelp("How long a webhook delivery's claim lasts before another instance may attempt it, in seconds (\(Self.webhookClaimLeaseRange.lowerBound) to \(Self.webhookClaimLeaseRange.upperBound)). Default: $WALLET_WEBHOOK_CLAIM_LEASE_SECONDS or \(WebhookQueue.defaultClaimLease.components.seconds).", valueName: "seconds"))
    var webhookClaimLeaseSeconds: Int?

    @Option(help: ArgumentHelp("bcrypt cost of new password hashes (10 to 16). Default: $WALLET_BCRYPT_COST or 10.", valueName: "cost"))
    var bcryptCost: Int?

    @Option(
        help: ArgumentHelp(
            "Most money movements on the same wallets combined into one transaction (1 to \(MoneyMovements.Configuration.defaultMaximumBatchSize); 1 queues them one by one). Default: $WALLET_MOVEMENT_BATCH_SIZE or \(MoneyMovements.Configuration.defaultMaximumBatchSize).",
            valueName: "n"
        )
    )
    var movementBatchSize: Int?

    @Option(
        help: ArgumentHelp(
            "Most database transactions of money movements at once (at most the pool size counts); movements that find them all busy share the next one (group commit). Default: $WALLET_MOVEMENT_TRANSACTIONS or \(MoneyMovements.Configuration.defaultTransactionSlots).",
            valueName: "n"
        )
    )
    var movementTransactions: Int?

    @Flag(help: "Give every batch of movements a transaction of its own instead of grouping those that wait into one commit (for benchmarks).")
    var noGroupCommit = false

    @Option(
        help: ArgumentHelp(
            "Milliseconds a money movement may take, waiting and retries included (\(ServeCommand.movementDeadlineMillisecondsRange.lowerBound) to \(ServeCommand.movementDeadlineMillisecondsRange.upperBound)); past it: 503 contention, nothing committed. Default: $WALLET_MOVEMENT_DEADLINE_MS or \(ServeCommand.defaultMovementDeadlineMilliseconds).",
            valueName: "ms"
        )
    )
    var movementDeadline: Int?

    @Option(help: ArgumentHelp("Seconds a connection may send nothing (idle, or stalled mid-request) before it is closed. Default: $WALLET_HTTP_IDLE_TIMEOUT_SECONDS or 30.", valueName: "seconds"))
    var idleTimeout: Int?

    @Option(help: ArgumentHelp("Requests served at once; more get 503 overloaded. Default: $WALLET_MAX_REQUESTS_IN_FLIGHT or \(InFlightLimitMiddleware.defaultLimit).", valueName: "n"))
    var maxRequestsInFlight: Int?

    @Option(
        help: ArgumentHelp(
            "Money movements per second per user (bursts of twice that); 0 turns the limit off. Default: $WALLET_MOVEMENT_RATE_LIMIT or \(Int(RateLimits.defaultMovementsPerUser.perSecond)).",
            valueName: "n"
        )
    )
    var movementRateLimit: Int?

    @Option(
        help: ArgumentHelp(
            "Sign-in attempts per minute per client address; 0 turns off both sign-in limits (this one and 5 failures per email, then one a minute). Default: $WALLET_SIGN_IN_RATE_LIMIT or \(RateLimits.defaultSignInsPerAddress.burst).",
            valueName: "n"
        )
    )
    var signInRateLimit: Int?

    @Option(
        help: ArgumentHelp(
            "Registrations per minute per client address (bursts of as many); 0 turns the limit off. Default: $WALLET_REGISTRATION_RATE_LIMIT or \(RateLimits.defaultRegistrationsPerAddress.burst).",
            valueName: "n"
        )
    )
    var registrationRateLimit: Int?

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
        try await checkDatabase(pool, configuration: configuration, logger: logger)
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
            metadata: [
                "address": "\(configuration.host):\(configuration.port)", "database": "\(configuration.database.endpointDescription)",
                "database_server": "\(pool.currentEndpoint)",
            ]
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
        let port = try Self.setting(port, "WALLET_HTTP_PORT", default: ServiceConfiguration.defaultPort, in: 1...65535, "the port")
        let size = try Self.setting(
            poolSize, "WALLET_DB_POOL_SIZE", default: MariaDBConnectionPool.Configuration.defaultSize,
            in: 1...MariaDBConnectionPool.Configuration.maximumSize, "the pool size")
        var directoryIsFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: migrations.directory, isDirectory: &directoryIsFolder), directoryIsFolder.boolValue else {
            throw ValidationError("no migrations folder at \(migrations.directory) (set --migrations-dir or WALLET_MIGRATIONS_DIR)")
        }
        let openAPIPath = openapiFile ?? environment["WALLET_OPENAPI_FILE"] ?? "openapi.yaml"
        guard let openAPIText = try? String(contentsOfFile: openAPIPath, encoding: .utf8) else {
            throw ValidationError("no OpenAPI document at \(openAPIPath) (set --openapi-file or WALLET_OPENAPI_FILE)")
        }
        let docsAssets: DocsAssets
        if let directory = docsAssetsDir ?? environment["WALLET_DOCS_ASSETS_DIR"] {
            do { docsAssets = try DocsAssets.load(directory: directory) } catch { throw ValidationError(error.description) }
        } else {
            docsAssets = .cdn
        }
        let lifetime = try Self.setting(
            sessionLifetime, "WALLET_SESSION_LIFETIME_SECONDS", default: Int(SessionsController.defaultLifetime.components.seconds),
            in: Self.minimumSessionLifetimeSeconds...Self.maximumSessionLifetimeSeconds, "the session lifetime", unit: " seconds")
        let retention = try idempotencyRetention
            ?? Self.integer(environment["WALLET_IDEMPOTENCY_RETENTION_SECONDS"], name: "WALLET_IDEMPOTENCY_RETENTION_SECONDS")
            ?? Int(IdempotencyPurger.defaultRetention.components.seconds)
        guard retention >= Int(IdempotencyPurger.defaultRetention.components.seconds) else {
            throw ValidationError("idempotency keys are kept at least \(IdempotencyPurger.defaultRetention.components.seconds) seconds")
        }
        let eventRetention = try Self.setting(
            eventRetentionDays, "WALLET_EVENT_RETENTION_DAYS", default: Self.defaultEventRetentionDays,
            in: Self.eventRetentionDaysRange, "the event retention", unit: " days")
        let cost = try Self.setting(
            bcryptCost, "WALLET_BCRYPT_COST", default: Int(PasswordHasher.defaultCost),
            in: Int(PasswordHasher.defaultCost)...Int(PasswordHasher.costRange.upperBound), "the bcrypt cost")
        let batchSize = try Self.setting(
            movementBatchSize, "WALLET_MOVEMENT_BATCH_SIZE", default: MoneyMovements.Configuration.defaultMaximumBatchSize,
            in: 1...MoneyMovements.Configuration.defaultMaximumBatchSize, "the movement batch size")
        let transactionSlots = try Self.setting(
            movementTransactions, "WALLET_MOVEMENT_TRANSACTIONS", default: MoneyMovements.Configuration.defaultTransactionSlots,
            in: 1...MariaDBConnectionPool.Configuration.maximumSize, "the movement transactions")
        let deadline = try Self.setting(
            movementDeadline, "WALLET_MOVEMENT_DEADLINE_MS", default: Self.defaultMovementDeadlineMilliseconds,
            in: Self.movementDeadlineMillisecondsRange, "the movement deadline", unit: " milliseconds")
        let idle = try Self.setting(
            idleTimeout, "WALLET_HTTP_IDLE_TIMEOUT_SECONDS", default: Int(ServiceConfiguration.defaultIdleTimeout.components.seconds),
            in: Self.minimumIdleTimeoutSeconds...Self.maximumIdleTimeoutSeconds, "the idle timeout", unit: " seconds")
        let inFlight = try Self.setting(
            maxRequestsInFlight, "WALLET_MAX_REQUESTS_IN_FLIGHT", default: InFlightLimitMiddleware.defaultLimit,
            in: 1...InFlightLimitMiddleware.maximumLimit, "the in-flight limit")
        let movementRate = try Self.setting(
            movementRateLimit, "WALLET_MOVEMENT_RATE_LIMIT", default: Int(RateLimits.defaultMovementsPerUser.perSecond),
            in: 0...Self.maximumRateLimit, "the movement rate limit (0 is off)")
        let signInRate = try Self.setting(
            signInRateLimit, "WALLET_SIGN_IN_RATE_LIMIT", default: RateLimits.defaultSignInsPerAddress.burst,
            in: 0...Self.maximumRateLimit, "the sign-in rate limit (0 is off)")
        let registrationRate = try Self.setting(
            registrationRateLimit, "WALLET_REGISTRATION_RATE_LIMIT", default: RateLimits.defaultRegistrationsPerAddress.burst,
            in: 0...Self.maximumRateLimit, "the registration rate limit (0 is off)")
        let rateLimits = RateLimits(
            movementsPerUser: movementRate == 0 ? nil : .init(burst: 2 * movementRate, perSecond: Double(movementRate)),
            signInsPerAddress: signInRate == 0 ? nil : .init(burst: signInRate, perSecond: Double(signInRate) / 60),
            failedSignInsPerEmail: signInRate == 0 ? nil : RateLimits.defaultFailedSignInsPerEmail,
            registrationsPerAddress: registrationRate == 0 ? nil : .init(burst: registrationRate, perSecond: Double(registrationRate) / 60)
        )
        var configuration = ServiceConfiguration(
            host: host,
            port: port,
            database: try database.configuration(),
            pool: .init(size: size),
            migrationsDirectory: migrations.directory,
            openAPI: OpenAPIDocument(text: openAPIText),
            docsAssets: docsAssets,
            wallet: .init(
                movements: .init(
                    combinesMovements: !naiveOptimistic, maximumBatchSize: batchSize, groupsCommits: !noGroupCommit,
                    transactionSlots: transactionSlots, deadline: .milliseconds(deadline))),
            bcryptCost: UInt8(cost),
            sessionLifetime: .seconds(lifetime),
            idempotencyRetention: .seconds(retention),
            idleTimeout: .seconds(idle),
            maximumRequestsInFlight: inFlight,
            rateLimits: rateLimits
        )
        configuration.eventRetention = .seconds(eventRetention * Self.secondsPerDay)
        let claimLease = try Self.setting(
            webhookClaimLeaseSeconds, "WALLET_WEBHOOK_CLAIM_LEASE_SECONDS", default: Int(WebhookQueue.defaultClaimLease.components.seconds),
            in: Self.webhookClaimLeaseRange, "the webhook claim lease", unit: " seconds")
        let insecureLocal = webhookAllowInsecureLocal || environment["WALLET_WEBHOOK_ALLOW_INSECURE_LOCAL"] == "1"
        configuration.deliversWebhooks = webhookDelivery
        configuration.webhooks = WebhookDispatcher.Configuration(
            policy: WebhookAddressPolicy(allowsInsecureLocal: insecureLocal), claimLease: .seconds(claimLease))
        return configuration
    }

    private func makeLogger() throws -> Logger {
        let name = logLevel ?? ProcessInfo.processInfo.environment["WALLET_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: name) else {
            throw ValidationError("unknown log level '\(name)'")
        }
        let format = logFormat ?? ProcessInfo.processInfo.environment["WALLET_LOG_FORMAT"] ?? "text"
        switch format {
        case "text": break
        case "json": LoggingSystem.bootstrap { JSONLinesLogHandler(label: $0) }
        default: throw ValidationError("unknown log format '\(format)' (text or json)")
        }
        var logger = Logger(label: "wallet")
        logger.logLevel = level
        return logger
    }

    /// Fails start-up with a clear message when MariaDB cannot be reached at all, and warns about each server
    /// setting that is unsafe for money (``ServerSafetySettings``).
    private func checkDatabase(_ pool: MariaDBConnectionPool, configuration: ServiceConfiguration, logger: Logger) async throws {
        do {
            let settings = try await pool.withConnection { try ServerSafetySettings.read(on: $0) }
            for warning in settings.warnings {
                logger.warning("unsafe database setting", metadata: ["problem": "\(warning)", "database": "\(pool.currentEndpoint)"])
            }
        } catch let error as MariaDBError {
            await pool.shutdown()
            throw CommandFailure(
                "cannot reach MariaDB at \(configuration.database.endpointDescription): \(error.message) "
                    + "(for a local one: scripts/mariadb start)"
            )
        }
    }

    /// ``MoneyMovements/Configuration/defaultDeadline`` and ``MoneyMovements/Configuration/deadlineRange`` in the
    /// flag's unit.
    static let defaultMovementDeadlineMilliseconds = Self.milliseconds(MoneyMovements.Configuration.defaultDeadline)
    static let movementDeadlineMillisecondsRange =
        Self.milliseconds(MoneyMovements.Configuration.deadlineRange.lowerBound)...Self.milliseconds(MoneyMovements.Configuration.deadlineRange.upperBound)

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// The flag's value, else the environment variable's, else `defaultValue`; a usage error unless within `range`.
    private static func setting(
        _ flag: Int?, _ variable: String, default defaultValue: Int, in range: ClosedRange<Int>, _ what: String, unit: String = ""
    ) throws -> Int {
        let value = try flag ?? integer(ProcessInfo.processInfo.environment[variable], name: variable) ?? defaultValue
        guard range.contains(value) else {
            throw ValidationError("\(what) must be \(range.lowerBound) to \(range.upperBound)\(unit), not \(value)")
        }
        return value
    }

    private static func integer(_ value: String?, name: String) throws -> Int? {
        guard let value else { return nil }
        guard let number = Int(value) else { throw ValidationError("\(name) must be a whole number, not '\(value)'") }
        return number
    }
}
