import ArgumentParser
import WalletMigrations

/// `wallet migrate new`: creates the next migration's pair of files.
struct MigrateNewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create the next numbered NNNN_name.up.sql and NNNN_name.down.sql in the migrations folder.",
        discussion: "Needs no database. Creates the folder if it is absent, and prints the paths of the two files."
    )

    @Argument(help: ArgumentHelp("The migration's name: lower-case letters, digits and underscores.", valueName: "name"))
    var name: String

    @OptionGroup var migrations: MigrationsOptions

    func validate() throws {
        guard MigrationFileName.isValidName(name) else {
            throw ValidationError(
                "'\(name)' is not a migration name: use 1 to \(MigrationFileName.maximumNameLength) lower-case letters, digits and underscores"
            )
        }
    }

    func run() async throws {
        let created: MigrationDirectory.NewMigration
        do {
            created = try MigrationDirectory.createMigration(named: name, in: migrations.directory)
        } catch {
            throw CommandFailure(error.message)
        }
        MigrateOutput.line(created.upPath)
        MigrateOutput.line(created.downPath)
    }
}
