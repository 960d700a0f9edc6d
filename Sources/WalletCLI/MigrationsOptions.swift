public import ArgumentParser
import Foundation

/// Where the migration files are: `--migrations-dir`, else `WALLET_MIGRATIONS_DIR`, else `./migrations`.
public struct MigrationsOptions: ParsableArguments {
    /// The environment variable read when `--migrations-dir` is absent.
    public static let directoryEnvironmentVariable = "WALLET_MIGRATIONS_DIR"
    /// The folder used when neither the flag nor the variable is set.
    public static let defaultDirectory = "migrations"

    @Option(
        name: .customLong("migrations-dir"),
        help: ArgumentHelp("Folder of NNNN_name.up.sql / .down.sql files. Default: $WALLET_MIGRATIONS_DIR or ./migrations.", valueName: "path")
    )
    var migrationsDirectory: String?

    public init() {}

    /// The folder's path.
    public var directory: String {
        migrationsDirectory ?? ProcessInfo.processInfo.environment[Self.directoryEnvironmentVariable] ?? Self.defaultDirectory
    }
}
