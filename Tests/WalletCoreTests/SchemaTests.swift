import Foundation
import MariaDB
import Testing
import WalletMigrations
@testable import WalletCore

@Suite("The schema's migrations")
struct SchemaTests {
    static let tables = ["entries", "idempotency_keys", "sessions", "transactions", "users", "wallets"]

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
