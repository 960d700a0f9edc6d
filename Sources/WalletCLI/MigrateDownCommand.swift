import ArgumentParser
import WalletMigrations

/// `wallet migrate down`: reverts applied migrations, newest first.
struct MigrateDownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Revert applied migrations, newest first (one by default).",
        discussion: "Runs each migration's down file, then deletes its record. Refuses to run while a migration is dirty."
    )

    @Option(help: ArgumentHelp("Revert this many migrations (default 1).", valueName: "n"))
    var steps: Int?

    @Option(name: .customLong("to"), help: ArgumentHelp("Revert every migration above this version; 0 reverts them all.", valueName: "version"))
    var targetVersion: Int64?

    @Flag(name: .customLong("dry-run"), help: "Print the migrations that would be reverted, and change nothing.")
    var dryRun = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var migrations: MigrationsOptions

    func validate() throws {
        if steps != nil && targetVersion != nil { throw ValidationError("give --steps or --to, not both") }
        if let steps, steps < 1 { throw ValidationError("--steps must be 1 or more") }
        if let targetVersion, targetVersion < 0 { throw ValidationError("--to must be a version of 0 or more") }
    }

    func run() async throws {
        let target: MigrationDownTarget = targetVersion.map { .version($0) } ?? .steps(steps ?? 1)
        let run = try await MigrateSession.withRunner(database: database, migrations: migrations) { runner in
            try await runner.down(target, dryRun: dryRun) { MigrateOutput.line(MigrateOutput.outcome($0)) }
        }
        MigrateOutput.printRun(run)
    }
}
