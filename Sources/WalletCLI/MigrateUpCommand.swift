import ArgumentParser
import WalletMigrations

/// `wallet migrate up`: applies the pending migrations.
struct MigrateUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Apply the pending migrations, in version order.",
        discussion: """
            Refuses to run while a migration is dirty, and when an applied migration at or below the target was \
            modified (its up file changed) or is missing (its files are gone). Refuses before applying anything \
            when a pending migration creates a trigger or function that the server would refuse from this account \
            (it writes a binary log, log_bin_trust_function_creators is off and the account has no SUPER).
            """
    )

    @Option(name: .customLong("to"), help: ArgumentHelp("Apply only the migrations up to this version.", valueName: "version"))
    var targetVersion: Int64?

    @Flag(name: .customLong("dry-run"), help: "Print the migrations that would be applied, and change nothing.")
    var dryRun = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var migrations: MigrationsOptions

    func validate() throws {
        if let targetVersion, targetVersion < 0 { throw ValidationError("--to must be a version of 0 or more") }
    }

    func run() async throws {
        let run = try await MigrateSession.withRunner(database: database, migrations: migrations) { runner in
            try await runner.up(to: targetVersion, dryRun: dryRun) { MigrateOutput.line(MigrateOutput.outcome($0)) }
        }
        MigrateOutput.printRun(run)
    }
}
