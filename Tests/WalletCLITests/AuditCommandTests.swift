import Foundation
import MariaDB
import Testing
import TestSupport

/// `wallet audit` as operators run it: exit 0 on a sound ledger, 1 naming each offending wallet.
@Suite("wallet audit, run as a process")
struct AuditCommandTests {
    static let migrations = PrivateMariaDBServer.repositoryRoot + "/migrations"

    private func url(_ configuration: MariaDBConfiguration) -> String {
        "mariadb://\(configuration.user):\(configuration.password)@\(configuration.host):\(configuration.port)/\(configuration.database)"
    }

    @Test func passesOnASoundLedgerAndNamesATamperedWallet() async throws {
        try await TestDatabase.withScratchDatabase { database in
            let url = url(database)
            let migrated = try await offload {
                try ChildProcess.run(WalletExecutable.path, ["migrate", "up", "--database-url", url, "--migrations-dir", Self.migrations])
            }
            #expect(migrated.status == 0, "\(migrated.output)")

            let clean = try await offload { try ChildProcess.run(WalletExecutable.path, ["audit", "--database-url", url]) }
            #expect(clean.status == 0, "\(clean.output)")
            #expect(clean.output.contains("ledger OK"))
            #expect(clean.output.contains("audited 0 entries in "), "\(clean.output)")

            // A wallet whose balance no entry explains: money invented behind the ledger's back.
            let walletID = "wal_01m80wc15p1t5619nf34a5v4ee"
            try await offload {
                let connection = try MariaDBConnection.connect(database)
                let now = MariaDBValue.date(Date())
                try connection.execute(
                    "INSERT INTO principals (id, kind, created_at) VALUES (?, 'user', ?)", [.string("usr_01m80wc0ynffhwgzpe22x3fg1y"), now]
                )
                try connection.execute(
                    "INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?)",
                    [.string("usr_01m80wc0ynffhwgzpe22x3fg1y"), .string("tamper@example.com"), .string("x"), now]
                )
                try connection.execute(
                    "INSERT INTO wallets (id, owner_id, currency, balance, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [.string(walletID), .string("usr_01m80wc0ynffhwgzpe22x3fg1y"), .string("USD"), .int(500), .int(0), now, now]
                )
            }
            let broken = try await offload { try ChildProcess.run(WalletExecutable.path, ["audit", "--database-url", url]) }
            #expect(broken.status == 1, "\(broken.output)")
            #expect(broken.output.contains(walletID), "\(broken.output)")
            #expect(broken.output.contains("ledger BROKEN"))
        }
    }
}
