import ArgumentParser

/// `wallet migrate`: the schema migrations, as numbered SQL files applied in order and recorded in `schema_migrations`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply, revert, inspect and create schema migrations.",
        discussion: """
            Migrations are pairs of files in the migrations folder: NNNN_name.up.sql applies one, NNNN_name.down.sql \
            reverts it (a version of 4 or more digits, a name of lower-case letters, digits and underscores). A file \
            may hold several statements separated by ';', and comments. Applied migrations are recorded in the \
            schema_migrations table with the SHA-256 of their up file.

            MariaDB commits DDL statement by statement, so a migration that fails part-way stays 'dirty' and \
            up/down refuse to run until it is repaired by hand and recorded with 'wallet migrate force VERSION'. \
            Concurrent runners on one database take turns (GET_LOCK, or on a Galera cluster a leased row).

            Exit status: 0 success, 1 failure, 2 usage error.
            """,
        subcommands: [
            MigrateUpCommand.self,
            MigrateDownCommand.self,
            MigrateStatusCommand.self,
            MigrateVerifyCommand.self,
            MigrateNewCommand.self,
            MigrateForceCommand.self,
        ]
    )
}
