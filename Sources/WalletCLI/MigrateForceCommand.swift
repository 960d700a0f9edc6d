import ArgumentParser
import WalletMigrations

/// `wallet migrate force`: records where the schema stands after a manual repair.
struct MigrateForceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "force",
        abstract: "Record the schema as being exactly at VERSION, after a manual repair; runs no migration.",
        discussion: """
            Clears dirty flags (a dirty migration at or below VERSION takes its file's current checksum), deletes the \
            records above VERSION, and records the migrations at or below VERSION that have no record as applied. \
            'force 0' records that nothing is applied. Prints what changed.
            """
    )

    @Argument(help: ArgumentHelp("The version the schema is at now (0: none applied).", valueName: "version"))
    var version: Int64

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var migrations: MigrationsOptions

    func validate() throws {
        if version < 0 { throw ValidationError("the version must be 0 or more") }
    }

    func run() async throws {
        let report = try await MigrateSession.withRunner(database: database, migrations: migrations) { [version] runner in
            try await runner.force(to: version)
        }
        for change in report.changes {
            switch change {
            case .removed(let record):
                MigrateOutput.line("removed the record of \(record.identifier)\(record.isDirty ? " (it was dirty)" : "")")
            case .cleaned(let record, let checksum):
                MigrateOutput.line("cleared the dirty flag of \(record.identifier) (checksum \(checksum.prefix(12))…)")
            case .recorded(let migration):
                MigrateOutput.line("recorded \(migration.identifier) as applied (its statements were not run)")
            }
        }
        if report.changes.isEmpty {
            MigrateOutput.line("nothing to change: the records already say version \(report.version)")
        } else {
            MigrateOutput.line("the schema is recorded at version \(report.version)")
        }
    }
}
