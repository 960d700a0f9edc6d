import Foundation
import Logging
import MariaDB
import Testing
import TestSupport
import WalletCore
import WalletHTTP
import WalletMigrations

/// The service's purge rounds against MariaDB: old idempotency keys and expired sessions go, the rest stays.
@Suite("Purge service against MariaDB")
struct PurgeServiceTests {
    @Test func aRoundDeletesOldKeysAndExpiredSessionsOnly() async throws {
        try await TestDatabase.withScratchDatabase { database in
            let pool = MariaDBConnectionPool(database: database, configuration: .init(size: 2), logger: APIHarness.logger)
            do {
                _ = try await MigrationRunner(pool: pool, directory: try MigrationDirectory.load(APIHarness.migrations)).up()
                let wallet = WalletService(pool: pool, eventData: APIEventData(), logger: APIHarness.logger)
                let user = try await wallet.users.create(email: EmailAddress("purge@example.com")!, passwordHash: "not-a-real-hash")
                let account = try await wallet.wallets.create(owner: .user(user.id), currency: Currency(code: "EUR")!)
                _ = try await wallet.sessions.create(tokenHash: "expired", userID: user.id, expiresAt: Date() - 60)
                _ = try await wallet.sessions.create(tokenHash: "current", userID: user.id, expiresAt: Date() + 3600)
                _ = try await wallet.movements.execute(
                    .deposit(wallet: account.id, amount: Amount(minorUnits: 5)!), principal: .user(user.id), idempotencyKey: IdempotencyKey("old")!
                ) { _ in StoredResponse(status: 201, body: []) }
                try await pool.withConnection { connection in
                    try connection.query("UPDATE idempotency_keys SET created_at = NOW(6) - INTERVAL 2 DAY")
                }
                let service = PurgeService(
                    purger: wallet.idempotencyPurger, sessions: wallet.sessions, retention: .seconds(86_400), events: wallet.events,
                    webhooks: wallet.webhooks, interval: .milliseconds(20),
                    logger: APIHarness.logger
                )
                let running = Task { try await service.run() }
                defer { running.cancel() }
                let deadline = ContinuousClock.now + .seconds(10)
                var counts = (keys: -1, sessions: -1)
                while ContinuousClock.now < deadline {
                    counts = try await pool.withConnection { connection in
                        (
                            keys: try connection.query("SELECT COUNT(*) AS n FROM idempotency_keys").first!.decode(Int.self, "n"),
                            sessions: try connection.query("SELECT COUNT(*) AS n FROM sessions").first!.decode(Int.self, "n")
                        )
                    }
                    if counts.keys == 0 && counts.sessions == 1 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(counts.keys == 0 && counts.sessions == 1, "\(counts)")
                #expect(try await wallet.sessions.find(tokenHash: "current") != nil)
                running.cancel()
                _ = await running.result
            } catch {
                await pool.shutdown()
                throw error
            }
            await pool.shutdown()
        }
    }
}
