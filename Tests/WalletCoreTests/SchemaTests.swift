import Foundation
import MariaDB
import Testing
import WalletMigrations
@testable import WalletCore

@Suite("The schema's migrations")
struct SchemaTests {
    static let tables = ["api_keys", "applications", "entries", "idempotency_keys", "principals", "sessions", "transactions", "users", "wallets"]

    private func tables(_ context: WalletTestContext) async throws -> [String] {
        try await context.sql(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'schema_migrations' "
                + "ORDER BY table_name"
        ).map { try $0.decode(String.self, "name") }
    }

    @Test func everyMigrationGoesDownAndUpAgain() async throws {
        try await WalletTestContext.run { context in
            #expect(try await tables(context) == Self.tables)
            let runner = try Schema.runner(on: context.pool)
            let down = try await runner.down(.version(0))
            let files = try FileManager.default.contentsOfDirectory(atPath: Schema.migrationsDirectory).filter { $0.hasSuffix(".up.sql") }
            #expect(down.completed.count == files.count)
            #expect(try await tables(context).isEmpty)
            _ = try await runner.up()
            #expect(try await tables(context) == Self.tables)
            // The schema works after the round trip.
            let user = try await context.makeUser()
            _ = try await context.makeWallet(for: user, balance: 5)
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    /// A database of the schema before applications (migration 4) with users, wallets, a deposit, a transfer and an
    /// idempotency key, written as that version wrote them: migration 5 keeps every row, gives each user its
    /// principal, and the service and the audit work on the result; its down migration restores version 4.
    @Test func applicationsMigrationKeepsAnExistingLedger() async throws {
        try await WalletTestContext.run { context in
            let runner = try Schema.runner(on: context.pool)
            _ = try await runner.down(.version(4))
            let (alice, bob) = ("usr_01m80wc0ynffhwgzpe22x3fg1y", "usr_01m80wc0ynffhwgzpe22x3fg2z")
            let (a, b) = ("wal_01m80wc0ynffhwgzpe22x3fga0", "wal_01m80wc0ynffhwgzpe22x3fgb0")
            try await context.pool.withTransaction(.repeatableRead) { connection in
                for user in [alice, bob] {
                    try connection.execute("INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, 'x', NOW(6))", [.string(user), .string(user + "@example.com")])
                }
                try connection.execute("INSERT INTO wallets (id, user_id, currency, balance, version, created_at, updated_at) VALUES (?, ?, 'USD', 700, 2, NOW(6), NOW(6))", [.string(a), .string(alice)])
                try connection.execute("INSERT INTO wallets (id, user_id, currency, balance, version, created_at, updated_at) VALUES (?, ?, 'USD', 300, 1, NOW(6), NOW(6))", [.string(b), .string(bob)])
                try connection.query("""
                    INSERT INTO transactions (id, type, amount, currency, user_id, idempotency_key, created_at) VALUES
                    ('txn_01m80wc0ynffhwgzpe22x3fgt1', 'deposit', 1000, 'USD', '\(alice)', 'k1', NOW(6)),
                    ('txn_01m80wc0ynffhwgzpe22x3fgt2', 'transfer', 300, 'USD', '\(alice)', 'k2', NOW(6))
                    """)
                try connection.query("""
                    INSERT INTO entries (transaction_id, wallet_id, amount, balance_after, created_at) VALUES
                    ('txn_01m80wc0ynffhwgzpe22x3fgt1', '\(a)', 1000, 1000, NOW(6)),
                    ('txn_01m80wc0ynffhwgzpe22x3fgt2', '\(a)', -300, 700, NOW(6)),
                    ('txn_01m80wc0ynffhwgzpe22x3fgt2', '\(b)', 300, 300, NOW(6))
                    """)
                try connection.query("""
                    INSERT INTO idempotency_keys (user_id, idempotency_key, fingerprint, request_fields, response_status, response_body, created_at)
                    VALUES ('\(alice)', 'k2', REPEAT('0', 64), 'amount=300', 201, 'stored', NOW(6))
                    """)
            }
            #expect(try await context.service.auditor.run().isClean, "the old ledger is sound before")
            _ = try await runner.up()
            #expect(try await context.service.auditor.run().isClean, "and after")
            let principals = try await context.sql("SELECT id, kind FROM principals ORDER BY id").map { try $0.decode(String.self, "id") + " " + $0.decode(String.self, "kind") }
            #expect(principals == ["\(alice) user", "\(bob) user"])
            let wallet = try await context.service.wallets.wallet(WalletID(a)!, ownedBy: .user(UserID(alice)!))
            #expect(wallet.balance == 700 && wallet.ownerReference == nil)
            #expect(try await context.sql("SELECT principal_id FROM idempotency_keys").map { try $0.decode(String.self, "principal_id") } == [alice])
            // New movements run on the migrated rows, and the migration goes down and up again with them in place.
            try await context.execute(.transfer(from: WalletID(a)!, to: WalletID(b)!, amount: .of(100)), by: UserID(alice)!)
            _ = try await runner.down(.version(4))
            #expect(try await context.sql("SELECT COUNT(*) AS n FROM wallets WHERE user_id IS NOT NULL").first?.decode(Int64.self, "n") == 2)
            _ = try await runner.up()
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    /// Down is refused with nothing changed while an application owns a wallet: its money would lose its owner.
    @Test func applicationsMigrationDoesNotGoDownUnderApplicationsMoney() async throws {
        try await WalletTestContext.run { context in
            let application = try await context.service.applications.create(name: ApplicationName("billing")!)
            _ = try await context.service.wallets.create(owner: .application(application.id), currency: Currency(code: "EUR")!)
            let runner = try Schema.runner(on: context.pool)
            await #expect(throws: (any Error).self) { _ = try await runner.down(.version(4)) }
            #expect(try await context.sql("SELECT COUNT(*) AS n FROM wallets WHERE owner_id LIKE 'app%'").first?.decode(Int64.self, "n") == 1)
            let status = try await runner.status()
            #expect(status.readinessProblem == nil, "a refused first statement leaves the migration applied and clean: \(status)")
        }
    }

    @Test func tablesAreInnoDBWithABinaryCollation() async throws {
        try await WalletTestContext.run { context in
            let rows = try await context.sql(
                "SELECT engine, table_collation FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'schema_migrations'"
            )
            #expect(rows.count == Self.tables.count)
            for row in rows {
                #expect(try row.decode(String.self, "engine") == "InnoDB")
                #expect(try row.decode(String.self, "table_collation") == "utf8mb4_bin")
            }
        }
    }
}
