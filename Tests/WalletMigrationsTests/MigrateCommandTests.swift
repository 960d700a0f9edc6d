import Foundation
import MariaDB
import TestSupport
import Testing
import WalletMigrations

/// `wallet migrate …` run as a process: output, and exit statuses 0 (success), 1 (failure) and 2 (usage).
///
/// Needs the `wallet` executable beside the test bundle: `swift build --build-tests` builds it.
@Suite("wallet migrate, run as a process")
struct MigrateCommandTests {
    /// Runs `wallet` with `arguments`, in an environment without the `WALLET_*` variables a developer may have set.
    private func wallet(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> ChildProcess.Outcome {
        let executable = WalletExecutable.path
        try #require(
            FileManager.default.isExecutableFile(atPath: executable),
            "no wallet executable at \(executable): run `swift build --build-tests` first"
        )
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("WALLET_") }
        environment.merge(extra) { _, new in new }
        let outcome = try await offload { [environment] in
            try ChildProcess.run(executable, arguments, environment: environment)
        }
        #expect(!outcome.timedOut, "wallet \(arguments.joined(separator: " ")) timed out")
        return outcome
    }

    /// `wallet migrate <arguments> --database-url … --migrations-dir …` on `database`.
    private func migrate(_ database: MigrationDatabase, _ arguments: [String]) async throws -> ChildProcess.Outcome {
        try await wallet(["migrate"] + arguments + ["--database-url", database.url, "--migrations-dir", database.folder.path])
    }

    @Test(arguments: [
        ["migrate", "--help"], ["migrate", "up", "--help"], ["migrate", "down", "--help"], ["migrate", "status", "--help"],
        ["migrate", "verify", "--help"], ["migrate", "new", "--help"], ["migrate", "force", "--help"], ["help", "migrate"],
    ])
    func helpExitsZero(arguments: [String]) async throws {
        let outcome = try await wallet(arguments)
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("USAGE: wallet migrate"), "\(outcome.output)")
    }

    @Test(arguments: [
        ["migrate", "up", "--steps", "3"],
        ["migrate", "up", "--to", "-1"],
        ["migrate", "up", "--to", "two"],
        ["migrate", "down", "--steps", "1", "--to", "0"],
        ["migrate", "down", "--steps", "0"],
        ["migrate", "force"],
        ["migrate", "force", "x"],
        ["migrate", "new", "Bad-Name"],
        ["migrate", "new"],
        ["migrate", "sideways"],
    ])
    func badFlagsAreUsageErrors(arguments: [String]) async throws {
        let outcome = try await wallet(arguments + ["--database-url", "mariadb://wallet:wallet@127.0.0.1:1/nowhere"])
        #expect(outcome.status == 2, "\(outcome.output)")
        #expect(!outcome.output.contains("Fatal error"), "\(outcome.output)")
    }

    @Test func aMissingOrBadDatabaseURLIsAUsageError() async throws {
        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        let missing = try await wallet(["migrate", "status", "--migrations-dir", folder.path])
        #expect(missing.status == 2, "\(missing.output)")
        #expect(missing.output.contains("WALLET_DATABASE_URL"), "\(missing.output)")

        let bad = try await wallet(["migrate", "up", "--migrations-dir", folder.path, "--database-url", "http://example.com/x"])
        #expect(bad.status == 2, "\(bad.output)")
        #expect(bad.output.contains("mariadb://"), "\(bad.output)")

        let fromEnvironment = try await wallet(
            ["migrate", "up", "--migrations-dir", folder.path],
            environment: ["WALLET_DATABASE_URL": "mariadb://nobody"]
        )
        #expect(fromEnvironment.status == 2, "\(fromEnvironment.output)")
    }

    @Test func aMissingFolderIsAUsageErrorAndABrokenOneAFailure() async throws {
        let url = "mariadb://wallet:wallet@127.0.0.1:1/nowhere"
        let missing = try await wallet(["migrate", "status", "--database-url", url, "--migrations-dir", "/nonexistent/migrations"])
        #expect(missing.status == 2, "\(missing.output)")
        #expect(missing.output.contains("/nonexistent/migrations"), "\(missing.output)")

        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        try folder.remove("0002_wallets.down.sql")
        let broken = try await wallet(["migrate", "status", "--database-url", url, "--migrations-dir", folder.path])
        #expect(broken.status == 1, "\(broken.output)")
        #expect(broken.output.contains("0002_wallets.up.sql has no down file"), "\(broken.output)")
    }

    @Test func anUnreachableDatabaseIsAFailure() async throws {
        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        let port = WalletExecutable.freeLoopbackPort()
        let outcome = try await wallet([
            "migrate", "up", "--database-url", "mariadb://wallet:wallet@127.0.0.1:\(port)/wallet", "--migrations-dir", folder.path,
        ])
        #expect(outcome.status == 1, "\(outcome.output)")
        #expect(outcome.output.contains("cannot reach MariaDB at wallet@127.0.0.1:\(port)/wallet"), "\(outcome.output)")
        #expect(!outcome.output.contains("password"), "\(outcome.output)")
    }

    @Test func upStatusVerifyAndDownPrintWhatTheyDo() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            let dryRun = try await migrate(database, ["up", "--dry-run"])
            #expect(dryRun.status == 0, "\(dryRun.output)")
            #expect(dryRun.output.contains("would apply 0001_accounts (2 statements)"), "\(dryRun.output)")
            #expect(dryRun.output.contains("would apply 0002_wallets (1 statement)"), "\(dryRun.output)")
            #expect(dryRun.output.contains("dry run: nothing changed"), "\(dryRun.output)")
            #expect(try await database.tables().isEmpty)

            let upToTwo = try await migrate(database, ["up", "--to", "2"])
            #expect(upToTwo.status == 0, "\(upToTwo.output)")
            let appliedLines = upToTwo.output.split(separator: "\n").filter { $0.hasPrefix("applied ") }
            #expect(appliedLines.count == 2, "\(upToTwo.output)")
            #expect(appliedLines.first?.wholeMatch(of: /applied 0001_accounts \(2 statements, \d+ ms\)/) != nil, "\(upToTwo.output)")
            #expect(upToTwo.output.contains("the schema is at version 2"), "\(upToTwo.output)")

            let status = try await migrate(database, ["status"])
            #expect(status.status == 0, "\(status.output)")
            let lines = status.output.split(separator: "\n").map(String.init)
            #expect(lines.first?.wholeMatch(of: /VERSION +NAME +STATE +APPLIED AT/) != nil, "\(status.output)")
            #expect(
                lines.contains { $0.wholeMatch(of: /0001 +accounts +applied +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ UTC/) != nil },
                "\(status.output)"
            )
            #expect(lines.contains { $0.wholeMatch(of: /0003 +audit_log +pending +-/) != nil }, "\(status.output)")
            // Aligned: every row's state column starts where the header's does.
            let stateColumn = try #require(lines.first?.range(of: "STATE")).lowerBound.utf16Offset(in: lines[0])
            for line in lines.dropFirst().prefix(3) {
                #expect(line.range(of: "applied") ?? line.range(of: "pending") != nil)
                let offset = (line.range(of: "applied") ?? line.range(of: "pending"))!.lowerBound.utf16Offset(in: line)
                #expect(offset == stateColumn, "\(status.output)")
            }

            let verify = try await migrate(database, ["verify"])
            #expect(verify.status == 0, "\(verify.output)")
            #expect(verify.output.contains("pending: 0003_audit_log"), "\(verify.output)")

            let downDry = try await migrate(database, ["down", "--to", "0", "--dry-run"])
            #expect(downDry.status == 0 && downDry.output.contains("would revert 0002_wallets (1 statement)"), "\(downDry.output)")
            let down = try await migrate(database, ["down", "--steps", "2"])
            #expect(down.status == 0, "\(down.output)")
            #expect(down.output.contains("reverted 0002_wallets (1 statement,") && down.output.contains("reverted 0001_accounts"), "\(down.output)")
            let nothing = try await migrate(database, ["down"])
            #expect(nothing.status == 0 && nothing.output.contains("nothing to revert"), "\(nothing.output)")
        }
    }

    @Test func verifyFailsOnAModifiedMigration() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            #expect(try await migrate(database, ["up"]).status == 0)
            try database.folder.write("0002_wallets.up.sql", Fixture.standard[1].up + "\n-- edited\n")
            let verify = try await migrate(database, ["verify"])
            #expect(verify.status == 1, "\(verify.output)")
            #expect(verify.output.contains("modified: 0002_wallets"), "\(verify.output)")
            let status = try await migrate(database, ["status"])
            #expect(status.status == 0 && status.output.contains("modified"), "\(status.output)")
        }
    }

    @Test func aDirtyMigrationFailsUntilForced() async throws {
        let folder = try MigrationFolder.standard()
        try folder.write("0002_wallets.up.sql", "CREATE TABLE wallets (id BIGINT PRIMARY KEY);\nALTER TABLE no_such_table ADD COLUMN x INT;\n")
        try await MigrationDatabase.with(folder) { database in
            let failed = try await migrate(database, ["up"])
            #expect(failed.status == 1, "\(failed.output)")
            #expect(failed.output.contains("applied 0001_accounts"), "\(failed.output)")
            #expect(failed.output.contains("0002_wallets.up.sql: statement 2 of 2"), "\(failed.output)")
            #expect(failed.output.contains("MariaDB error 1146 (42S02)"), "\(failed.output)")
            #expect(failed.output.contains("wallet migrate force"), "\(failed.output)")
            #expect(!failed.output.contains("Fatal error"), "\(failed.output)")

            for arguments in [["up"], ["down"], ["up", "--dry-run"]] {
                let blocked = try await migrate(database, arguments)
                #expect(blocked.status == 1, "\(arguments): \(blocked.output)")
                #expect(blocked.output.contains("0002_wallets is dirty"), "\(blocked.output)")
                #expect(
                    blocked.output.contains("Repair the schema by hand") && blocked.output.contains("wallet migrate force VERSION"),
                    "\(blocked.output)"
                )
            }
            let verify = try await migrate(database, ["verify"])
            #expect(verify.status == 1 && verify.output.contains("dirty: 0002_wallets"), "\(verify.output)")

            // Repaired by undoing statement 1 by hand: the schema is at version 1.
            _ = try await database.rows("DROP TABLE wallets")
            try folder.write("0002_wallets.up.sql", "CREATE TABLE wallets (id BIGINT PRIMARY KEY);\n")
            let force = try await migrate(database, ["force", "1"])
            #expect(force.status == 0, "\(force.output)")
            #expect(force.output.contains("removed the record of 0002_wallets (it was dirty)"), "\(force.output)")
            let up = try await migrate(database, ["up"])
            #expect(up.status == 0, "\(up.output)")
            #expect(up.output.contains("applied 0002_wallets") && up.output.contains("applied 0003_audit_log"), "\(up.output)")
            #expect(try await migrate(database, ["verify"]).status == 0)

            let unknown = try await migrate(database, ["force", "42"])
            #expect(unknown.status == 1 && unknown.output.contains("no migration has version 42"), "\(unknown.output)")
        }
    }

    @Test func newPrintsTheNextPairOfPaths() async throws {
        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        let created = try await wallet(["migrate", "new", "add_wallet_index", "--migrations-dir", folder.path])
        #expect(created.status == 0, "\(created.output)")
        #expect(created.output == "\(folder.path)/0004_add_wallet_index.up.sql\n\(folder.path)/0004_add_wallet_index.down.sql\n")
        let fromEnvironment = try await wallet(["migrate", "new", "second"], environment: ["WALLET_MIGRATIONS_DIR": folder.path])
        #expect(fromEnvironment.status == 0 && fromEnvironment.output.contains("0005_second.up.sql"), "\(fromEnvironment.output)")
        #expect(try folder.load().migrations.map(\.version) == [1, 2, 3, 4, 5])
    }

    @Test func twoProcessesAtOnceApplyEachMigrationExactlyOnce() async throws {
        let folder = try MigrationFolder()
        try folder.add(Fixture.concurrency)
        try await MigrationDatabase.with(folder) { database in
            async let first = migrate(database, ["up"])
            async let second = migrate(database, ["up"])
            let outcomes = try await [first, second]
            for outcome in outcomes { #expect(outcome.status == 0, "\(outcome.output)") }
            let applied = outcomes.flatMap { $0.output.split(separator: "\n").filter { $0.hasPrefix("applied ") } }
            #expect(applied.count == 3, "\(outcomes.map(\.output))")
            for identifier in ["0001_log", "0002_slow", "0003_after"] {
                #expect(applied.filter { $0.hasPrefix("applied \(identifier) ") }.count == 1, "\(outcomes.map(\.output))")
            }
            let log = try await database.rows("SELECT step FROM migration_log ORDER BY step").map { try $0.decode(String.self, at: 0) }
            #expect(log == ["0002", "0003"])
        }
    }
}
