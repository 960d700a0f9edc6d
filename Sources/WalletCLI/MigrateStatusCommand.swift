import ArgumentParser
import WalletMigrations

/// `wallet migrate status`: every migration and where it stands.
struct MigrateStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List every migration as applied, pending, modified, missing or dirty.",
        discussion: """
            applied: recorded, and its up file is unchanged. pending: not applied yet. modified: its up file changed \
            since it was applied. missing: applied, but its files are gone. dirty: failed part-way (repair by hand, \
            then 'wallet migrate force VERSION'). Changes nothing.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var migrations: MigrationsOptions

    func run() async throws {
        let status = try await MigrateSession.withRunner(database: database, migrations: migrations) { try await $0.status() }
        guard !status.entries.isEmpty else {
            MigrateOutput.line("no migrations in \(migrations.directory), and none recorded as applied")
            return
        }
        let rows = [["VERSION", "NAME", "STATE", "APPLIED AT"]] + status.entries.map(Self.row)
        for line in MigrateOutput.table(rows) { MigrateOutput.line(line) }
        let counts = MigrationState.allCases.compactMap { state -> String? in
            let count = status.entries(in: state).count
            return count == 0 ? nil : "\(count) \(state.rawValue)"
        }
        MigrateOutput.line("schema at version \(status.currentVersion): \(counts.joined(separator: ", "))")
    }

    /// One migration's line of the table.
    ///
    /// A function of its own, with plain `if let`s: Swift 6.3.1's optimizer crashed (SIL ownership verification) on
    /// the same code written with `Optional.map` inside the loop of `run()`, in release builds only.
    private static func row(_ entry: MigrationStatus.Entry) -> [String] {
        var version = MigrationFileName.versionText(entry.version)
        if let migration = entry.migration { version = migration.versionText }
        var appliedAt = "-"
        if let date = entry.appliedAt { appliedAt = MigrateOutput.timestamp(date) }
        return [version, entry.name, entry.state.rawValue, appliedAt]
    }
}
