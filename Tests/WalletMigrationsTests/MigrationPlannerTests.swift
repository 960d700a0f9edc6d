import Foundation
import Testing
import WalletMigrations

/// The planner on its own: statuses built from files and rows, no database.
@Suite("MigrationPlanner")
struct MigrationPlannerTests {
    private let directory: MigrationDirectory

    init() throws {
        let folder = try MigrationFolder.standard()
        defer { folder.delete() }
        directory = try folder.load()
    }

    private func row(_ version: Int64, checksum: String? = nil, dirty: Bool = false) -> AppliedMigration {
        let migration = directory.migration(version: version)
        return AppliedMigration(
            version: version,
            name: migration?.name ?? "gone",
            checksum: checksum ?? migration?.checksum ?? String(repeating: "0", count: 64),
            appliedAt: Date(timeIntervalSince1970: 1_700_000_000),
            durationMs: 1,
            isDirty: dirty
        )
    }

    private func status(_ rows: [AppliedMigration]) -> MigrationStatus {
        MigrationStatus(migrations: directory.migrations, applied: rows)
    }

    @Test func statesCompareFilesWithRows() {
        let status = status([row(1), row(2, checksum: String(repeating: "a", count: 64)), row(3, dirty: true), row(9)])
        #expect(status.entries.map(\.state) == [.applied, .modified, .dirty, .missing])
        #expect(status.entries.map(\.identifier) == ["0001_accounts", "0002_wallets", "0003_audit_log", "0009_gone"])
        #expect(status.currentVersion == 9)
        #expect(!status.isUpToDate)
        #expect(status.readinessProblem?.contains("1 dirty (0003_audit_log)") == true)
        #expect(self.status([]).entries.map(\.state) == [.pending, .pending, .pending])
        #expect(self.status([row(1), row(2), row(3)]).readinessProblem == nil)
    }

    @Test func upPlansPendingUpToTheTarget() throws {
        #expect(try MigrationPlanner.up(status([])).map(\.version) == [1, 2, 3])
        #expect(try MigrationPlanner.up(status([]), to: 2).map(\.version) == [1, 2])
        #expect(try MigrationPlanner.up(status([row(1)]), to: 0).isEmpty)
        // A pending migration below an applied one is applied too, in version order.
        #expect(try MigrationPlanner.up(status([row(1), row(3)])).map(\.version) == [2])
    }

    @Test func upRefusesModifiedOrMissingAtOrBelowTheTarget() throws {
        let modified = status([row(1), row(2, checksum: String(repeating: "a", count: 64))])
        #expect(throws: MigrationError.self) { try MigrationPlanner.up(modified) }
        #expect(try MigrationPlanner.up(modified, to: 1).isEmpty)
        #expect {
            try MigrationPlanner.up(self.status([row(1), row(9)]))
        } throws: { error in
            (error as? MigrationError)?.code == .validationFailed && (error as? MigrationError)?.versions == [9]
        }
    }

    @Test func downPlansNewestFirst() throws {
        let all = status([row(1), row(2), row(3)])
        #expect(try MigrationPlanner.down(all, .steps(1)).map(\.version) == [3])
        #expect(try MigrationPlanner.down(all, .steps(2)).map(\.version) == [3, 2])
        #expect(try MigrationPlanner.down(all, .steps(10)).map(\.version) == [3, 2, 1])
        #expect(try MigrationPlanner.down(all, .version(1)).map(\.version) == [3, 2])
        #expect(try MigrationPlanner.down(all, .version(0)).map(\.version) == [3, 2, 1])
        #expect(try MigrationPlanner.down(status([]), .steps(1)).isEmpty)
        #expect {
            try MigrationPlanner.down(self.status([row(1), row(9)]), .steps(1))
        } throws: { error in
            (error as? MigrationError)?.code == .missingFile
        }
    }

    @Test func dirtyBlocksUpAndDownAndSaysWhichVersionsToForce() {
        let dirty = status([row(1), row(2, dirty: true)])
        for plan in [{ _ = try MigrationPlanner.up(dirty) }, { _ = try MigrationPlanner.down(dirty, .steps(1)) }] {
            #expect {
                try plan()
            } throws: { error in
                let error = error as? MigrationError
                return error?.code == .dirty && error?.versions == [2]
                    && error?.message.contains("2 if 0002_wallets is now fully applied, 1 if none of it is") == true
            }
        }
    }

    @Test func forceRecordsExactlyTheGivenVersion() throws {
        let changes = try MigrationPlanner.force(status([row(1), row(2, dirty: true), row(9)]), to: 3)
        #expect(
            changes == [
                .cleaned(row(2, dirty: true), checksum: directory.migration(version: 2)!.checksum),
                .recorded(directory.migration(version: 3)!),
                .removed(row(9)),
            ]
        )
        #expect(try MigrationPlanner.force(status([row(1), row(2)]), to: 0) == [.removed(row(1)), .removed(row(2))])
        #expect(try MigrationPlanner.force(status([row(1)]), to: 1).isEmpty)
        #expect {
            try MigrationPlanner.force(self.status([]), to: 4)
        } throws: { error in
            (error as? MigrationError)?.code == .unknownVersion
        }
    }
}
