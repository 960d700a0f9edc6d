import Foundation
import Logging
import MariaDB
import TestSupport
import WalletHTTP
import Testing

@testable import WalletCore

/// A wallet service on a fresh scratch database with the schema applied, and helpers for tests.
struct WalletTestContext: Sendable {
    /// Warnings and errors only: the notices of exhausted retries would drown the output of contention tests.
    static let logger: Logger = {
        var logger = Logger(label: "wallet-core-test")
        logger.logLevel = .warning
        return logger
    }()
    /// Connections per test pool: enough for real concurrency, few enough for many tests at once.
    static let defaultPoolSize = 8
    /// The service's movement settings with the longest deadline: tests of batching and contention load a shared
    /// machine, and the default deadline (5 s) would turn their slowness into contention; the deadline's own tests
    /// set theirs.
    static let defaultMovements = MoneyMovements.Configuration(deadline: MoneyMovements.Configuration.deadlineRange.upperBound)

    let configuration: MariaDBConfiguration
    let pool: MariaDBConnectionPool
    let service: WalletService
    let metrics: CountingMetrics

    /// Runs `body` with a service on a new scratch database, then shuts the pool down and drops the database.
    static func run<T>(
        poolSize: Int = defaultPoolSize,
        movements: MoneyMovements.Configuration = Self.defaultMovements,
        idempotencyPurgeBatchSize: Int = IdempotencyPurger.defaultBatchSize,
        _ body: (WalletTestContext) async throws -> T
    ) async throws -> T {
        try await TestDatabase.withScratchDatabase { configuration in
            try await run(on: configuration, poolSize: poolSize, movements: movements, idempotencyPurgeBatchSize: idempotencyPurgeBatchSize, body)
        }
    }

    /// Runs `body` with a service on `configuration`'s database, which must be empty (the schema is applied), then
    /// shuts the pool down.
    static func run<T>(
        on configuration: MariaDBConfiguration,
        poolSize: Int = defaultPoolSize,
        movements: MoneyMovements.Configuration = Self.defaultMovements,
        idempotencyPurgeBatchSize: Int = IdempotencyPurger.defaultBatchSize,
        _ body: (WalletTestContext) async throws -> T
    ) async throws -> T {
        try await withPool(on: configuration, configuration: .init(size: poolSize, acquireTimeout: .seconds(60)), logger: logger) { pool in
            let metrics = CountingMetrics()
            let context = WalletTestContext(
                configuration: configuration,
                pool: pool,
                service: WalletService(
                    pool: pool,
                    configuration: .init(movements: movements, idempotencyPurgeBatchSize: idempotencyPurgeBatchSize),
                    eventData: APIEventData(),
                    logger: logger,
                    metricsFactory: metrics
                ),
                metrics: metrics
            )
            try await Schema.apply(on: pool)
            return try await body(context)
        }
    }

    var movements: MoneyMovements { service.movements }

    /// A new user with a unique email.
    func makeUser() async throws -> User {
        let email = EmailAddress("user-\(UUID().uuidString)@example.com")!
        return try await service.users.create(email: email, passwordHash: "$2b$12$notarealhashnotarealhashnotarealhashnotarealhashnot")
    }

    /// A new wallet of `owner` in `currency`, funded with `balance` by a deposit when it is above zero.
    func makeWallet(for owner: User, currency: String = "USD", balance: Int64 = 0) async throws -> Wallet {
        let wallet = try await service.wallets.create(owner: .user(owner.id), currency: Currency(code: currency)!)
        guard balance > 0 else { return wallet }
        try await execute(.deposit(wallet: wallet.id, amount: Amount(minorUnits: balance)!), by: owner.id)
        return try await service.wallets.wallet(wallet.id, ownedBy: .user(owner.id))
    }

    /// Runs a movement with the test renderer, under `key` (a fresh random key by default).
    @discardableResult
    func execute(
        _ request: MovementRequest, details: MovementDetails = .none, by user: UserID, key: String = UUID().uuidString
    ) async throws -> MovementResult {
        try await movements.execute(request, details: details, principal: .user(user), idempotencyKey: IdempotencyKey(key)!, render: TestRenderer.render)
    }

    /// The wallet as stored now.
    func balance(of wallet: Wallet) async throws -> Int64 {
        try await service.wallets.wallet(wallet.id, ownedBy: wallet.ownerID).balance
    }

    /// Runs `sql` (no parameters) on its own connection and returns its rows.
    @discardableResult
    func sql(_ sql: String) async throws -> [MariaDBRow] {
        try await pool.withConnection { connection in try connection.query(sql).rows }
    }

    /// The number of rows of `table` (that match `condition`, an SQL expression).
    func count(_ table: String, where condition: String = "TRUE") async throws -> Int {
        try await sql("SELECT COUNT(*) AS n FROM \(table) WHERE \(condition)").first!.decode(Int.self, "n")
    }

    /// The sum of the entries of `wallet`.
    func entryTotal(of wallet: Wallet) async throws -> Int64 {
        try await sql("SELECT COALESCE(SUM(amount), 0) AS total FROM entries WHERE wallet_id = '\(wallet.id)'").first!
            .decode(Int64.self, "total")
    }
}

extension Amount {
    /// Test shorthand: an amount that must be valid.
    static func of(_ minorUnits: Int64) -> Amount { Amount(minorUnits: minorUnits)! }
}

extension WalletTestContext {
    /// Returns once a statement of this database starting with `prefix` has run for a while (it waits on a lock),
    /// or records an issue after 5 s.
    func waitUntilAStatementWaits(on prefix: String) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            let waiting = try await sql(
                "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE '\(prefix)%' AND TIME_MS > 0"
            ).first!.decode(Int.self, "n")
            if waiting > 0 { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("no statement started waiting within 5 s")
    }
}
