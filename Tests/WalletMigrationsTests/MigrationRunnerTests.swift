import Foundation
import MariaDB
import Synchronization
import TestSupport
import Testing
import WalletMigrations

/// The runner against the real MariaDB: each test has its own scratch database and its own migrations folder.
@Suite("MigrationRunner")
struct MigrationRunnerTests {
    @Test func upAppliesEverythingOnceAndRecordsIt() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            let reported = Mutex<[String]>([])
            let run = try await database.withRunner { runner in
                try await runner.up { outcome in reported.withLock { $0.append(outcome.migration.identifier) } }
            }
            #expect(run.completed.map(\.migration.identifier) == ["0001_accounts", "0002_wallets", "0003_audit_log"])
            #expect(run.completed.map(\.statementCount) == [2, 1, 2])
            #expect(reported.withLock { $0 } == ["0001_accounts", "0002_wallets", "0003_audit_log"])
            #expect(run.versionBefore == 0 && run.versionAfter == 3 && !run.isDryRun)
            #expect(try await database.tables() == ["accounts", "audit_log", "schema_migrations", "wallets"])

            // The literal with ';' and escaped quotes went in whole.
            let notes = try await database.rows("SELECT note FROM accounts ORDER BY id").map { try $0.decode(String.self, at: 0) }
            #expect(notes == ["semi;colon", "it's; 'quoted'"])

            let directory = try database.folder.load()
            let recorded = try await database.recorded()
            #expect(recorded.map(\.version) == [1, 2, 3])
            #expect(recorded.allSatisfy { !$0.dirty })
            #expect(recorded.map(\.checksum) == directory.migrations.map(\.checksum))

            let again = try await database.withRunner { try await $0.up() }
            #expect(again.planned.isEmpty && again.completed.isEmpty && again.versionAfter == 3)

            let status = try await database.withRunner { try await $0.status() }
            #expect(status.entries.map(\.state) == [.applied, .applied, .applied])
            #expect(status.entries.allSatisfy { $0.appliedAt != nil })
            #expect(status.isUpToDate)
            #expect(try await database.withRunner { try await $0.verify() }.passed)
        }
    }

    @Test func statusBeforeAnythingRunsCreatesNothing() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            let status = try await database.withRunner { try await $0.status() }
            #expect(status.entries.map(\.state) == [.pending, .pending, .pending])
            #expect(status.currentVersion == 0)
            let verification = try await database.withRunner { try await $0.verify() }
            #expect(verification.passed && verification.pending.count == 3)
            #expect(try await database.tables().isEmpty)
        }
    }

    @Test func upToAndDownByStepsAndToAVersion() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            try await database.withRunner { runner in
                let first = try await runner.up(to: 2)
                #expect(first.completed.map(\.migration.version) == [1, 2])
                #expect(try await runner.status().entries.map(\.state) == [.applied, .applied, .pending])

                let oneStep = try await runner.down()
                #expect(oneStep.completed.map(\.migration.version) == [2])
                #expect(oneStep.completed.allSatisfy { $0.direction == .down })
                #expect(oneStep.versionAfter == 1)
                #expect(try await database.tables() == ["accounts", "schema_migrations"])

                #expect(try await runner.up().completed.map(\.migration.version) == [2, 3])
                let twoSteps = try await runner.down(.steps(2))
                #expect(twoSteps.completed.map(\.migration.version) == [3, 2])
                #expect(try await database.recorded().map(\.version) == [1])

                #expect(try await runner.up().completed.map(\.migration.version) == [2, 3])
                let toOne = try await runner.down(.version(1))
                #expect(toOne.completed.map(\.migration.version) == [3, 2])
                #expect(try await runner.up().completed.count == 2)

                let toZero = try await runner.down(.version(0))
                #expect(toZero.completed.map(\.migration.version) == [3, 2, 1])
                #expect(toZero.versionAfter == 0)
                #expect(try await database.tables() == ["schema_migrations"])
                #expect(try await database.recorded().isEmpty)
                #expect(try await runner.down().planned.isEmpty)
            }
        }
    }

    @Test func dryRunChangesNothing() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            try await database.withRunner { runner in
                let plan = try await runner.up(dryRun: true)
                #expect(plan.isDryRun && plan.completed.isEmpty)
                #expect(plan.planned.map(\.version) == [1, 2, 3] && plan.versionAfter == 3)
                #expect(try await database.tables().isEmpty, "a dry run does not even create schema_migrations")

                _ = try await runner.up(to: 2)
                let downPlan = try await runner.down(.version(0), dryRun: true)
                #expect(downPlan.planned.map(\.version) == [2, 1] && downPlan.completed.isEmpty && downPlan.versionAfter == 0)
                let upPlan = try await runner.up(dryRun: true)
                #expect(upPlan.planned.map(\.version) == [3])
                #expect(try await database.tables() == ["accounts", "schema_migrations", "wallets"])
                #expect(try await database.recorded().map(\.version) == [1, 2])
            }
        }
    }

    @Test func aChangedUpFileIsModifiedAndBlocksUpToIt() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            _ = try await database.withRunner { try await $0.up(to: 2) }
            try database.folder.write("0001_accounts.up.sql", Fixture.standard[0].up + "\n-- edited after it was applied\n")

            try await database.withRunner { runner in
                let status = try await runner.status()
                #expect(status.entries.map(\.state) == [.modified, .applied, .pending])
                let verification = try await runner.verify()
                #expect(!verification.passed)
                #expect(verification.problems.map(\.identifier) == ["0001_accounts"])
                #expect(verification.pending.map(\.identifier) == ["0003_audit_log"])
                await #expect {
                    try await runner.up()
                } throws: { error in
                    let error = error as? MigrationError
                    return error?.code == .validationFailed && error?.versions == [1] && error?.message.contains("0001_accounts") == true
                }
                #expect(try await runner.readinessProblem()?.contains("1 modified (0001_accounts)") == true)
            }
            #expect(try await database.recorded().map(\.version) == [1, 2], "nothing ran")
        }
    }

    @Test func aDeletedAppliedFileIsMissing() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            _ = try await database.withRunner { try await $0.up() }
            try database.folder.remove("0003_audit_log.up.sql")
            try database.folder.remove("0003_audit_log.down.sql")
            try await database.withRunner { runner in
                let status = try await runner.status()
                #expect(status.entries.map(\.state) == [.applied, .applied, .missing])
                #expect(status.entries.last?.identifier == "0003_audit_log")
                #expect(try await runner.verify().problems.map(\.state) == [.missing])
                await #expect {
                    try await runner.down()
                } throws: { error in
                    (error as? MigrationError)?.code == .missingFile
                }
                await #expect(throws: MigrationError.self) { try await runner.up() }
            }
        }
    }

    @Test func aFailingStatementLeavesItDirtyUntilForced() async throws {
        let folder = try MigrationFolder.standard()
        let brokenUp =
            "CREATE TABLE wallets (id BIGINT PRIMARY KEY) ENGINE=InnoDB;\nINSERT INTO no_such_table VALUES (1);\nCREATE TABLE never (id INT);\n"
        try folder.write("0002_wallets.up.sql", brokenUp)
        try await MigrationDatabase.with(folder) { database in
            try await database.withRunner { runner in
                let applied = Mutex<[Int64]>([])
                await #expect {
                    try await runner.up { outcome in applied.withLock { $0.append(outcome.migration.version) } }
                } throws: { error in
                    guard let error = error as? MigrationError else { return false }
                    return error.code == .statementFailed
                        && error.file == folder.path + "/0002_wallets.up.sql"
                        && error.statementNumber == 2
                        && error.serverError?.number == 1146
                        && error.serverError?.sqlState == "42S02"
                        && error.message.contains("0002_wallets.up.sql: statement 2 of 3 (line 2")
                        && error.message.contains("MariaDB error 1146 (42S02)")
                        && error.message.contains("no_such_table")
                        && error.message.contains("force 2 if 0002_wallets is now fully applied, 1 if none of it is")
                        && error.versions == [2]
                }
                #expect(applied.withLock { $0 } == [1])
                #expect(try await database.recorded().map { [$0.version: $0.dirty] } == [[1: false], [2: true]])
                #expect(try await database.tables() == ["accounts", "schema_migrations", "wallets"], "statement 1 committed, 3 never ran")

                let status = try await runner.status()
                #expect(status.entries.map(\.state) == [.applied, .dirty, .pending])
                #expect(try await runner.verify().problems.map(\.identifier) == ["0002_wallets"])
                #expect(try await runner.readinessProblem()?.contains("1 dirty") == true)

                for blocked in [
                    { _ = try await runner.up() }, { _ = try await runner.down() }, { _ = try await runner.up(dryRun: true) },
                    { _ = try await runner.down(.version(0), dryRun: true) },
                ] as [@Sendable () async throws -> Void] {
                    await #expect {
                        try await blocked()
                    } throws: { error in
                        let error = error as? MigrationError
                        return error?.code == .dirty && error?.versions == [2] && error?.message.contains("Repair the schema by hand") == true
                    }
                }
            }

            // The repair: finish the migration by hand, fix the file, record version 2.
            try database.folder.write("0002_wallets.up.sql", "CREATE TABLE wallets (id BIGINT PRIMARY KEY) ENGINE=InnoDB;\n")
            try await database.withRunner { runner in
                let report = try await runner.force(to: 2)
                let fixedChecksum = try #require(runner.directory.migration(version: 2)).checksum
                #expect(report.changes.count == 1)
                guard case .cleaned(let record, let checksum) = report.changes.first else {
                    Issue.record("expected the dirty row to be cleaned, got \(report.changes)")
                    return
                }
                #expect(record.version == 2 && record.isDirty && checksum == fixedChecksum)
                #expect(try await runner.status().entries.map(\.state) == [.applied, .applied, .pending])
                #expect(try await runner.up().completed.map(\.migration.version) == [3])
                #expect(try await runner.verify().passed)
            }
        }
    }

    @Test func aFailingDownFileLeavesItDirty() async throws {
        let folder = try MigrationFolder.standard()
        try folder.write("0003_audit_log.down.sql", "DROP INDEX audit_log_id ON audit_log;\nDROP TABLE no_such_table;\nDROP TABLE audit_log;\n")
        try await MigrationDatabase.with(folder) { database in
            try await database.withRunner { runner in
                _ = try await runner.up()
                await #expect {
                    try await runner.down()
                } throws: { error in
                    let error = error as? MigrationError
                    return error?.code == .statementFailed && error?.file == folder.path + "/0003_audit_log.down.sql"
                        && error?.statementNumber == 2 && error?.message.contains("force 2 if 0003_audit_log is now fully reverted") == true
                }
                #expect(try await runner.status().entries.map(\.state) == [.applied, .applied, .dirty])
                // Repaired by finishing the revert by hand: the schema is at 2.
                _ = try await database.rows("DROP TABLE audit_log")
                let report = try await runner.force(to: 2)
                #expect(report.changes.map(\.version) == [3])
                #expect(try await runner.status().entries.map(\.state) == [.applied, .applied, .pending])
            }
        }
    }

    @Test func forceRecordsExactlyTheGivenVersion() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            try await database.withRunner { runner in
                _ = try await runner.up(to: 1)
                let upToThree = try await runner.force(to: 3)
                #expect(
                    upToThree.changes == [.recorded(runner.directory.migration(version: 2)!), .recorded(runner.directory.migration(version: 3)!)]
                )
                #expect(try await runner.status().entries.map(\.state) == [.applied, .applied, .applied])
                #expect(try await database.tables() == ["accounts", "schema_migrations"], "force runs no migration file")

                #expect(try await runner.force(to: 3).changes.isEmpty)
                let downToOne = try await runner.force(to: 1)
                #expect(downToOne.changes.map(\.version) == [2, 3])
                #expect(try await runner.force(to: 0).changes.map(\.version) == [1])
                #expect(try await database.recorded().isEmpty)
                await #expect {
                    try await runner.force(to: 4)
                } throws: { error in
                    (error as? MigrationError)?.code == .unknownVersion
                }
            }
        }
    }

    @Test func forceOnAFreshDatabaseCreatesTheTable() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            let report = try await database.withRunner { try await $0.force(to: 2) }
            #expect(report.changes.map(\.version) == [1, 2])
            #expect(try await database.recorded().map(\.version) == [1, 2])
        }
    }

    /// With the lock suited to the server (GET_LOCK here) and with the lease row Galera nodes take.
    @Test(arguments: [MigrationLock?.none, .leaseRow])
    func twoRunnersAtOnceApplyEachMigrationExactlyOnce(lock: MigrationLock?) async throws {
        let folder = try MigrationFolder()
        try folder.add(Fixture.concurrency)
        try await MigrationDatabase.with(folder) { database in
            let directory = try folder.load()
            try await database.withPool { firstPool in
                try await database.withPool { secondPool in
                    let first = MigrationRunner(pool: firstPool, directory: directory, lock: lock)
                    let second = MigrationRunner(pool: secondPool, directory: directory, lock: lock)
                    async let a = first.up()
                    async let b = second.up()
                    let runs = try await [a, b]
                    let applied = runs.flatMap(\.completed).map(\.migration.version).sorted()
                    #expect(applied == [1, 2, 3])
                    #expect(runs.allSatisfy { $0.versionAfter == 3 })
                }
            }
            let log = try await database.rows("SELECT step FROM migration_log ORDER BY step").map { try $0.decode(String.self, at: 0) }
            #expect(log == ["0002", "0003"])
            #expect(try await database.recorded().map(\.version) == [1, 2, 3])
        }
    }

    @Test func aHeldLockTimesOutWithAClearError() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            let lockName = "\(database.configuration.database).schema_migrations"
            try await database.withPool { holder in
                // The lock belongs to the holder's session, which stays open in its pool.
                let acquired = try await holder.withConnection {
                    try $0.execute("SELECT GET_LOCK(?, 0) AS acquired", [.string(lockName)]).first?.decode(Int64.self, "acquired")
                }
                #expect(acquired == 1)
                try await database.withRunner(lockTimeout: .seconds(2)) { runner async throws in
                    await #expect {
                        try await runner.up()
                    } throws: { error in
                        let error = error as? MigrationError
                        return error?.code == .lockTimeout && error?.message.contains(lockName) == true
                    }
                    // Reading needs no lock.
                    #expect(try await runner.status().entries.count == 3)
                }
                try await holder.withConnection { try $0.execute("SELECT RELEASE_LOCK(?)", [.string(lockName)]) }
            }
            #expect(try await database.withRunner { try await $0.up() }.completed.count == 3)
        }
    }

    @Test func theLockIsReleasedAfterARun() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            let lockName = "\(database.configuration.database).schema_migrations"
            try await database.withPool { pool in
                let runner = MigrationRunner(pool: pool, directory: try database.folder.load())
                _ = try await runner.up(to: 1)
                _ = try? await runner.down(.steps(1))  // success or not, the lock must be free after
                let free = try await pool.withConnection {
                    try $0.execute("SELECT IS_FREE_LOCK(?) AS free", [.string(lockName)]).first?.decode(Int64.self, "free")
                }
                #expect(free == 1)
            }
        }
    }

    @Test func readinessFollowsTheSchema() async throws {
        try await MigrationDatabase.with(try .standard()) { database in
            let directory = try database.folder.load()
            try await database.withPool { pool in
                let before = try await pool.withConnection { try MigrationRunner.readinessProblem(on: $0, directory: directory) }
                #expect(before?.contains("3 pending (0001_accounts, 0002_wallets, 0003_audit_log)") == true)
                let runner = MigrationRunner(pool: pool, directory: directory)
                _ = try await runner.up(to: 2)
                #expect(try await runner.readinessProblem() == "the schema is not fully migrated: 1 pending (0003_audit_log)")
                _ = try await runner.up()
                #expect(try await runner.readinessProblem() == nil)
                #expect(try await pool.withConnection { try MigrationRunner.readinessProblem(on: $0, directory: directory) } == nil)
            }
        }
    }

    /// A refused first statement changed nothing (MariaDB's DDL is atomic per statement): the migration stays pending,
    /// not dirty, and needs no `force`.
    @Test func aMigrationWhoseFirstStatementFailsStaysPendingNotDirty() async throws {
        let folder = try MigrationFolder.standard()
        try folder.write("0004_broken.up.sql", "DROP TABLE no_such_table;\nCREATE TABLE never_made (id INT PRIMARY KEY);\n")
        try folder.write("0004_broken.down.sql", "SELECT 1;\n")
        try await MigrationDatabase.with(folder) { database in
            try await database.withRunner { runner in
                await #expect {
                    try await runner.up()
                } throws: { error in
                    (error as? MigrationError)?.message.contains("Nothing of 0004_broken ran") == true
                }
                let states = try await runner.status().entries.map(\.state)
                #expect(states == [.applied, .applied, .applied, .pending])
                let recorded = try await database.recorded()
                #expect(recorded.allSatisfy { !$0.dirty })
            }
        }
    }
}

extension Fixture {
    /// Three migrations that log each run into `migration_log`, the second slowly, so that concurrent runners
    /// overlap and a migration run twice would show (a second `CREATE TABLE` would fail too).
    static let concurrency: [Migration] = [
        Migration(identifier: "0001_log", up: "CREATE TABLE migration_log (step CHAR(4) NOT NULL) ENGINE=InnoDB;", down: "DROP TABLE migration_log;"),
        Migration(
            identifier: "0002_slow",
            up: "CREATE TABLE slow (id INT);\nDO SLEEP(0.5);\nINSERT INTO migration_log VALUES ('0002');",
            down: "DROP TABLE slow; DELETE FROM migration_log WHERE step = '0002';"
        ),
        Migration(
            identifier: "0003_after",
            up: "CREATE TABLE after_slow (id INT);\nINSERT INTO migration_log VALUES ('0003');",
            down: "DROP TABLE after_slow; DELETE FROM migration_log WHERE step = '0003';"
        ),
    ]

}
