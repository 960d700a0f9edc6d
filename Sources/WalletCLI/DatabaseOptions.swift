public import ArgumentParser
import Foundation
public import MariaDB

/// Where the database is: `--database-url`, else `WALLET_DATABASE_URL`.
public struct DatabaseOptions: ParsableArguments {
    /// The environment variable read when `--database-url` is absent.
    public static let urlEnvironmentVariable = "WALLET_DATABASE_URL"

    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "MariaDB URL: mariadb://user:password@host:port/database[?socket=/path]. Default: $WALLET_DATABASE_URL.",
            valueName: "url"
        )
    )
    var databaseURL: String?

    public init() {}

    /// The parsed configuration; a missing or malformed URL is a usage error.
    public func configuration() throws -> MariaDBConfiguration {
        guard let url = databaseURL ?? ProcessInfo.processInfo.environment[Self.urlEnvironmentVariable], !url.isEmpty else {
            throw ValidationError("no database: pass --database-url or set \(Self.urlEnvironmentVariable)")
        }
        do {
            return try MariaDBConfiguration(url: url)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
