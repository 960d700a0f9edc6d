import Foundation
import MariaDB
import Testing
import WalletMigrations
@testable import WalletCore

@Suite("The schema's migrations")
struct SchemaTests {
    /// In information_schema's order (its collation sorts `_` after letters).
    static let tables = [
        "api_keys", "applications", "entries", "events", "event_feed", "holds", "idempotency_keys", "principals", "sessions", "transactions",
        "users", "wallets", "webhook_attempts", "webhook_deliveries", "webhook_endpoints",
    ]

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
            // (The audit of today's schema cannot read version 4; the migration of version 5 to 6 is tested below.)
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
            _ = try await runner.down(.version(5))
            await #expect(throws: (any Error).self) { _ = try await runner.down(.version(4)) }
            #expect(try await context.sql("SELECT COUNT(*) AS n FROM wallets WHERE owner_id LIKE 'app%'").first?.decode(Int64.self, "n") == 1)
            let status = try await runner.status()
            #expect(status.readinessProblem?.contains("dirty") != true, "\(status)")
            _ = try await runner.up()
            #expect(try await runner.status().readinessProblem == nil, "a refused first statement leaves the migration applied and clean")
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

    /// A database of version 5 with one-legged deposits and withdrawals, a transfer and a two-wallet ledger, written
    /// as that version wrote them: migration 6 gives every deposit and withdrawal its external leg, so the audit of
    /// today's ledger passes; its down migration removes them and restores version 5's tables exactly.
    @Test func holdsMigrationGivesEveryDepositAndWithdrawalItsExternalLeg() async throws {
        try await WalletTestContext.run { context in
            let runner = try Schema.runner(on: context.pool)
            let version6Tables = try await createTables(context, ["entries", "wallets"])
            _ = try await runner.down(.version(5))
            let version5Tables = try await createTables(context, ["entries", "wallets"])
            let (alice, a, b) = ("usr_01m80wc0ynffhwgzpe22x3fg1y", "wal_01m80wc0ynffhwgzpe22x3fga0", "wal_01m80wc0ynffhwgzpe22x3fgb0")
            try await context.pool.withTransaction(.repeatableRead) { connection in
                try connection.execute("INSERT INTO principals (id, kind, created_at) VALUES (?, 'user', NOW(6))", [.string(alice)])
                try connection.execute("INSERT INTO users (id, email, password_hash, created_at) VALUES (?, 'a@example.com', 'x', NOW(6))", [.string(alice)])
                for (wallet, balance) in [(a, 600), (b, 300)] {
                    try connection.execute(
                        "INSERT INTO wallets (id, owner_id, currency, balance, version, created_at, updated_at) VALUES (?, ?, 'USD', ?, 2, NOW(6), NOW(6))",
                        [.string(wallet), .string(alice), .int(Int64(balance))])
                }
                try connection.query("""
                    INSERT INTO transactions (id, type, amount, currency, principal_id, idempotency_key, created_at) VALUES
                    ('txn_01m80wc0ynffhwgzpe22x3fgt1', 'deposit', 1000, 'USD', '\(alice)', 'k1', NOW(6)),
                    ('txn_01m80wc0ynffhwgzpe22x3fgt2', 'transfer', 300, 'USD', '\(alice)', 'k2', NOW(6)),
                    ('txn_01m80wc0ynffhwgzpe22x3fgt3', 'withdrawal', 100, 'USD', '\(alice)', 'k3', NOW(6))
                    """)
                try connection.query("""
                    INSERT INTO entries (transaction_id, wallet_id, amount, balance_after, created_at) VALUES
                    ('txn_01m80wc0ynffhwgzpe22x3fgt1', '\(a)', 1000, 1000, NOW(6)),
                    ('txn_01m80wc0ynffhwgzpe22x3fgt2', '\(a)', -300, 700, NOW(6)),
                    ('txn_01m80wc0ynffhwgzpe22x3fgt2', '\(b)', 300, 300, NOW(6)),
                    ('txn_01m80wc0ynffhwgzpe22x3fgt3', '\(a)', -100, 600, NOW(6))
                    """)
            }
            _ = try await runner.up()
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
            #expect(report.entryCount == 6 && report.currencies.first?.externalBalance == -900)
            let legs = try await context.sql("SELECT transaction_id, amount FROM entries WHERE wallet_id IS NULL ORDER BY transaction_id")
                .map { "\(try $0.decode(String.self, "transaction_id").suffix(2)) \(try $0.decode(Int64.self, "amount"))" }
            #expect(legs == ["t1 -1000", "t3 100"])
            #expect(try await createTables(context, ["entries", "wallets"]).map(Self.withoutAutoIncrement) == version6Tables.map(Self.withoutAutoIncrement))
            // The migrated ledger takes holds, and goes down (no active hold) and up again.
            let user = UserID(alice)!
            let placed = try await context.execute(.placeHold(wallet: WalletID(a)!, amount: .of(50), expiresIn: .default), by: user)
            try await context.execute(.voidHold(try #require(placed.hold?.id)), by: user)
            _ = try await runner.down(.version(5))
            #expect(try await context.count("entries") == 4)
            #expect(try await createTables(context, ["entries", "wallets"]).map(Self.withoutAutoIncrement) == version5Tables.map(Self.withoutAutoIncrement))
            _ = try await runner.up()
            #expect(try await context.service.auditor.run().isClean)
            // With a hold active, migration 6 does not go down (migration 7 before it does).
            try await context.execute(.placeHold(wallet: WalletID(a)!, amount: .of(50), expiresIn: .default), by: user)
            await #expect(throws: (any Error).self, "refused while a hold is active") { _ = try await runner.down(.version(5)) }
            #expect(try await context.count("holds", where: "status = 'active'") == 1)
        }
    }

    /// A database of version 6, written as that version wrote it (a transfer between two wallets of one owner, and
    /// an entry dated before the one before it, as clocks of two instances could leave it): migration 7 lists each
    /// transaction once per wallet and once per owner, raises the early time, and the audit passes; its down
    /// migration refuses while a reversal exists and restores version 6's tables.
    @Test func searchMigrationListsEveryTransactionOnceAndRaisesEarlyTimes() async throws {
        try await WalletTestContext.run { context in
            let runner = try Schema.runner(on: context.pool)
            let tables = ["entries", "transactions", "holds", "idempotency_keys"]
            let version7Tables = try await createTables(context, tables)
            _ = try await runner.down(.version(6))
            let version6Tables = try await createTables(context, tables)
            let (alice, a, b) = ("usr_01m80wc0ynffhwgzpe22x3fg1y", "wal_01m80wc0ynffhwgzpe22x3fga0", "wal_01m80wc0ynffhwgzpe22x3fgb0")
            try await context.pool.withTransaction(.repeatableRead) { connection in
                try connection.execute("INSERT INTO principals (id, kind, created_at) VALUES (?, 'user', NOW(6))", [.string(alice)])
                try connection.execute("INSERT INTO users (id, email, password_hash, created_at) VALUES (?, 'a@example.com', 'x', NOW(6))", [.string(alice)])
                for (wallet, balance) in [(a, 700), (b, 300)] {
                    try connection.execute(
                        "INSERT INTO wallets (id, owner_id, currency, balance, version, created_at, updated_at) VALUES (?, ?, 'USD', ?, 2, NOW(6), NOW(6))",
                        [.string(wallet), .string(alice), .int(Int64(balance))])
                }
                try connection.query("""
                    INSERT INTO transactions (id, type, amount, currency, principal_id, idempotency_key, created_at) VALUES
                    ('txn_01m80wc0ynffhwgzpe22x3fgt1', 'deposit', 1000, 'USD', '\(alice)', 'k1', '2026-01-01 10:00:02'),
                    ('txn_01m80wc0ynffhwgzpe22x3fgt2', 'transfer', 300, 'USD', '\(alice)', 'k2', '2026-01-01 10:00:01')
                    """)
                try connection.query("""
                    INSERT INTO entries (transaction_id, wallet_id, amount, balance_after, created_at) VALUES
                    ('txn_01m80wc0ynffhwgzpe22x3fgt1', NULL, -1000, NULL, '2026-01-01 10:00:02'),
                    ('txn_01m80wc0ynffhwgzpe22x3fgt1', '\(a)', 1000, 1000, '2026-01-01 10:00:02'),
                    ('txn_01m80wc0ynffhwgzpe22x3fgt2', '\(a)', -300, 700, '2026-01-01 10:00:01'),
                    ('txn_01m80wc0ynffhwgzpe22x3fgt2', '\(b)', 300, 300, '2026-01-01 10:00:01')
                    """)
            }
            _ = try await runner.up()
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
            let listed = try await context.sql("SELECT listed_wallet_id, listed_owner_id, created_at FROM entries ORDER BY id").map { row in
                "\(try row.decode(String?.self, "listed_wallet_id")?.suffix(2) ?? "-") \(try row.decode(String?.self, "listed_owner_id") == nil ? "-" : "owner")"
                    + " \(try row.decode(Date.self, "created_at").timeIntervalSince1970.truncatingRemainder(dividingBy: 60))"
            }
            // The transfer between Alice's wallets is listed once for her, on its last entry; A's debit is raised to
            // the time of A's deposit before it.
            #expect(listed == ["- - 2.0", "a0 owner 2.0", "a0 - 2.0", "b0 owner 1.0"])
            #expect(try await createTables(context, tables).map(Self.withoutAutoIncrement) == version7Tables.map(Self.withoutAutoIncrement))
            _ = try await runner.down(.version(6))
            #expect(try await createTables(context, tables).map(Self.withoutAutoIncrement) == version6Tables.map(Self.withoutAutoIncrement))
            _ = try await runner.up()
            let user = UserID(alice)!
            let deposit = try #require(TransactionID("txn_01m80wc0ynffhwgzpe22x3fgt1"))
            #expect(try await context.execute(.reversal(of: deposit, amount: .of(100), reason: nil), by: user).transaction != nil)
            await #expect(throws: (any Error).self, "refused while a reversal exists") { _ = try await runner.down(.version(6)) }
            // The migrations after 7 went down before 7 refused: up again, and the ledger is whole.
            _ = try await runner.up()
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    /// Events written before migration 10 get their subject from their data when it is applied, so the audit finds
    /// every change's events through it; its down migration restores version 9's table.
    @Test func eventSubjectsMigrationIndexesTheEventsAlreadyWritten() async throws {
        try await WalletTestContext.run { context in
            let runner = try Schema.runner(on: context.pool)
            let version10Events = try await createTables(context, ["events"])
            _ = try await runner.down(.version(9))
            let version9Events = try await createTables(context, ["events"])
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let a = try await context.makeWallet(for: alice, balance: 500)
            let b = try await context.makeWallet(for: bob)
            try await context.execute(.transfer(from: a.id, to: b.id, amount: .of(200)), by: alice.id)
            try await context.execute(.placeHold(wallet: a.id, amount: .of(50), expiresIn: .default), by: alice.id)
            let written = try await context.count("events")
            _ = try await runner.up()
            #expect(try await createTables(context, ["events"]).map(Self.withoutAutoIncrement) == version10Events.map(Self.withoutAutoIncrement))
            let subjects = try await context.sql("SELECT COUNT(*) AS n FROM events WHERE subject_id = JSON_VALUE(data, '$.id')")
            #expect(try subjects.first!.decode(Int.self, "n") == written, "every event has its subject")
            let report = try await context.service.auditor.run()
            #expect(report.isClean && report.eventProblems.isEmpty, "\(report)")
            _ = try await runner.down(.version(9))
            #expect(try await createTables(context, ["events"]).map(Self.withoutAutoIncrement) == version9Events.map(Self.withoutAutoIncrement))
            _ = try await runner.up()
        }
    }

    /// `SHOW CREATE TABLE` of each of `tables`.
    private func createTables(_ context: WalletTestContext, _ tables: [String]) async throws -> [String] {
        var statements: [String] = []
        for table in tables {
            statements.append(try #require(try await context.sql("SHOW CREATE TABLE \(table)").first).decode(String.self, "Create Table"))
        }
        return statements
    }

    /// A `CREATE TABLE` statement without its `AUTO_INCREMENT=` counter, which rows move on.
    private static func withoutAutoIncrement(_ statement: String) -> String {
        statement.replacing(#/ AUTO_INCREMENT=\d+/#, with: "")
    }
}
